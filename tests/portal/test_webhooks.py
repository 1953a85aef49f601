"""Outgoing webhooks (portal/webhooks.py, portal/webhook_delivery.py, /portal/webhooks/): the outbox written in the
transaction of the change, signatures a receiver checks with a plain HMAC, retries with backoff after a failing
receiver, timeouts that never hold the request that caused the event, refused internal targets, the delivery log
with replay and test events, and the pages' isolation."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from portal import webhook_delivery, webhook_outbox, webhooks
from portal.models import Membership, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from portal.views.webhook_inbox import INBOX_CACHE_KEY
from tests.conftest import login
from tests.portal.integrations_cast import application_for, organisation_build, person, signed_in
from tests.portal.webhook_receiver import receiving, signature_valid
from tracking import services
from tracking.events import domain_event_record
from tracking.models import DomainEvent, Stage

pytestmark = pytest.mark.django_db

Event = WebhookEndpoint.Event
Status = WebhookDelivery.Status
PRODUCTION_CHECKS = {"PORTAL_WEBHOOKS_ALLOW_PRIVATE": False, "PORTAL_WEBHOOKS_REQUIRE_HTTPS": True}


@pytest.fixture(autouse=True)
def _webhook_caches_forgotten(cast) -> None:
    """What the webhooks keep in the test cache (subscriptions, the inbox) outlives each test's rolled-back rows."""
    with schema_context("gamma"):
        cache.delete_many([webhooks.SUBSCRIBED_CACHE_KEY, INBOX_CACHE_KEY])


@pytest.fixture
def org(cast):
    with schema_context("gamma"):
        return organisation_build()


def _endpoint(org, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    return webhooks.webhook_endpoint_create(by=org.admin, url=url, description="HR data warehouse", events=events)


def _due_now(delivery: WebhookDelivery) -> None:
    """Moves the delivery's next try to now, as time passing would (no sleeping in tests)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


# ---------------------------------------------------------------------------------------------------------------------
# The outbox
# ---------------------------------------------------------------------------------------------------------------------


def _in_english(client):
    """The administrator picks English on the German portal (the language switcher saves it), so that the page's
    words are compared as written."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    return client


def test_a_stage_change_writes_its_deliveries_in_its_own_transaction(org, django_capture_on_commit_callbacks) -> None:
    with schema_context("gamma"):
        listening, _secret = _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        _endpoint(org, "http://127.0.0.1:9/joins", [Event.MEMBER_JOINED])
        disabled, _secret = _endpoint(org, "http://127.0.0.1:9/old", [Event.STAGE_CHANGED])
        webhooks.webhook_endpoint_activate(by=org.admin, endpoint=disabled, active=False)

        written_with_the_change = []

        def move_then_fail() -> None:
            with transaction.atomic():
                services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
                written_with_the_change.append(WebhookDelivery.objects.count())
                raise RuntimeError

        with pytest.raises(RuntimeError):
            move_then_fail()
        assert written_with_the_change == [1]
        assert WebhookDelivery.objects.count() == 0  # rolled back with it

        with django_capture_on_commit_callbacks() as queued:
            services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)

        (delivery,) = WebhookDelivery.objects.all()
        assert (delivery.endpoint, delivery.event, delivery.status, delivery.attempts) == (
            listening,
            Event.STAGE_CHANGED,
            Status.PENDING,
            0,
        )
        assert len(queued) == 1  # its sending is queued for after the commit


def test_application_events_are_not_sent_for_members_who_keep_them_to_themselves(org) -> None:
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        application = application_for(
            org.private, title="Auditor", company="KPMG", industry="finance-insurance", country="DE"
        )
        services.application_move(application=application, to_stage=Stage.SCREENING, by=org.private)

        assert not WebhookDelivery.objects.exists()


def test_an_accepted_offer_is_its_own_event_with_the_offer(org) -> None:
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/offers", [Event.OFFER_ACCEPTED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        services.application_move(
            application=org.application, to_stage=Stage.OFFER, by=org.mine, offer_amount="58000", offer_currency="EUR"
        )
        assert not WebhookDelivery.objects.exists()
        services.application_move(application=org.application, to_stage=Stage.ACCEPTED, by=org.mine)

        (delivery,) = WebhookDelivery.objects.all()
        assert delivery.event == Event.OFFER_ACCEPTED
        data = delivery.payload["data"]
        assert data["offer"] == {"amount": "58000.00", "currency": "EUR"}
        assert data["application"] == {"id": org.application.pk, "industry": "technology", "country": "DE"}
        assert data["member"] == {"id": org.mine.pk}


def test_a_member_joining_is_sent_with_their_cohort_and_coach(org) -> None:
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/joins", [Event.MEMBER_JOINED])
        newcomer = person("lukas.meyer@gamma.example", "Lukas Meyer")
        Membership.objects.create(user=newcomer, coach=org.coach, cohort=org.cohort)
        domain_event_record(kind=DomainEvent.Kind.MEMBER_JOINED, actor_id=newcomer.pk, subject_id=newcomer.pk)

        (delivery,) = WebhookDelivery.objects.all()
        member = delivery.payload["data"]["member"]
        assert (member["id"], member["email"], member["name"]) == (
            newcomer.pk,
            "lukas.meyer@gamma.example",
            "Lukas Meyer",
        )
        assert member["cohort"] == {"id": org.cohort.pk, "name": "Herbst 2026"}
        assert member["coach"] == {"id": org.coach.pk, "name": "Carl Brandt"}


def test_an_organisation_without_webhooks_pays_one_cache_read_and_one_with_them_three_queries(
    org, django_assert_num_queries
) -> None:
    with schema_context("gamma"):
        event = domain_event_record(
            kind=DomainEvent.Kind.STAGE_CHANGED,
            actor_id=org.mine.pk,
            subject_id=org.application.pk,
            payload={"from": "screening", "to": "interviewing"},
        )
        webhooks.webhook_events_subscribed()  # the first look fills the cache

        with django_assert_num_queries(0):
            assert webhook_outbox.webhook_outbox_record(event) == []

        _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])  # saving an endpoint forgets the cache
        assert Event.STAGE_CHANGED in webhooks.webhook_events_subscribed()

        # the tenant's row (a request has it at hand; schema_context does not), then the application with its
        # member's sharing, the endpoints, and one insert
        with django_assert_num_queries(1 + 3):
            (delivery,) = webhook_outbox.webhook_outbox_record(event)
        assert delivery.event == Event.STAGE_CHANGED


# ---------------------------------------------------------------------------------------------------------------------
# Sending: signature, retries, timeouts, targets
# ---------------------------------------------------------------------------------------------------------------------
def test_a_receiver_verifies_the_signature_with_a_plain_hmac_check(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        endpoint, secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        (delivery,) = WebhookDelivery.objects.all()

        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.DELIVERED

        (request,) = receiver.requests
        assert request.path == "/hooks/cvplus"
        assert request.headers["CVPlus-Event"] == Event.STAGE_CHANGED
        assert request.headers["CVPlus-Delivery"] == str(delivery.pk)
        assert request.headers["Content-Type"] == "application/json"
        assert signature_valid(request.body, request.headers["CVPlus-Signature"], secret)
        assert not signature_valid(request.body + b" ", request.headers["CVPlus-Signature"], secret)
        assert not signature_valid(request.body, request.headers["CVPlus-Signature"], "whsec_someone-else")
        body = json.loads(request.body)
        assert set(body) == {"id", "type", "created", "data"}
        assert (body["id"], body["type"]) == (str(delivery.event_id), Event.STAGE_CHANGED)
        assert body["data"]["from"] == Stage.SCREENING
        assert body["data"]["to"] == Stage.INTERVIEWING
        assert body["data"]["application"] == {"id": org.application.pk, "industry": "technology", "country": "DE"}
        assert body["data"]["member"] == {"id": org.mine.pk}
        assert b"Rheinmetall" not in request.body  # ids, stages and dates only: no company, title or CV
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.DELIVERED, 1, 200)
        assert delivery.delivered_at is not None


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(org) -> None:
    with receiving(500, 500, 200) as receiver, schema_context("gamma"):
        endpoint, _secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)

        before = timezone.now()
        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.RETRYING
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status_code) == (1, 500)
        assert before + timedelta(seconds=48) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=72)
        assert webhook_delivery.webhook_delivery_send(delivery.pk) is None  # not due yet: nothing sent
        assert delivery.pk not in webhook_delivery.webhook_deliveries_due()
        assert len(receiver.requests) == 1

        _due_now(delivery)
        assert delivery.pk in webhook_delivery.webhook_deliveries_due()
        before = timezone.now()
        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.RETRYING
        delivery.refresh_from_db()
        assert before + timedelta(minutes=4) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=6)

        _due_now(delivery)
        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.DELIVERED

        attempts = list(WebhookAttempt.objects.filter(delivery=delivery).values_list("number", "status_code"))
        assert attempts == [(1, 500), (2, 500), (3, 200)]
        assert len({request.body for request in receiver.requests}) == 1  # the same body each time
    page = _in_english(signed_in(org.admin.email)).get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
    assert re.search(r"Attempt 1 at .*?<code>500</code>", page, re.S)
    assert re.search(r"Attempt 3 at .*?<code>200</code>", page, re.S)


def test_it_gives_up_after_six_attempts(org) -> None:
    with receiving(503) as receiver, schema_context("gamma"):
        endpoint, _secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)
        statuses = []
        for _attempt in range(webhook_delivery.MAX_ATTEMPTS):
            _due_now(delivery)
            statuses.append(webhook_delivery.webhook_delivery_send(delivery.pk))

        assert statuses == [Status.RETRYING] * 5 + [Status.FAILED]
        _due_now(delivery)
        assert webhook_delivery.webhook_delivery_send(delivery.pk) is None
        assert len(receiver.requests) == 6


@override_settings(PORTAL_WEBHOOKS_TIMEOUT_MS=200)
def test_a_receiver_that_hangs_times_out(org) -> None:
    with receiving(200, hang=True) as receiver, schema_context("gamma"):
        endpoint, _secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)

        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.RETRYING

        delivery.refresh_from_db()
        assert delivery.last_status_code is None
        assert delivery.last_error.startswith(webhook_delivery.TIMEOUT + "|")
        assert len(receiver.requests) == 1
        with translation.override("de"):
            assert webhook_delivery.webhook_error_text(delivery.last_error) == gettext(
                "No answer within %(seconds)s seconds."
            ) % {"seconds": 0.2}


def test_the_request_that_causes_an_event_only_writes_the_outbox(org, django_capture_on_commit_callbacks) -> None:
    with receiving(200, hang=True) as receiver:
        with schema_context("gamma"):
            _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        client = signed_in(org.mine.email)

        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                f"/api/v1/applications/{org.application.pk}/move/",
                {"to_stage": Stage.INTERVIEWING},
                content_type="application/json",
            )

        assert response.status_code == 200
        assert receiver.requests == []  # nothing was sent on the request's path
        assert len(queued) == 1
        with schema_context("gamma"):
            (delivery,) = WebhookDelivery.objects.all()
            assert (delivery.status, delivery.attempts) == (Status.PENDING, 0)


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("https://127.0.0.1/hooks", "127.0.0.1"),
        ("https://10.20.30.40/hooks", "10.20.30.40"),
        ("https://192.168.1.20/hooks", "192.168.1.20"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://[::1]/hooks", "::1"),
        ("https://[::ffff:10.0.0.7]/hooks", "10.0.0.7"),
        ("https://0.0.0.0/hooks", "0.0.0.0"),  # noqa: S104 - the address being refused
        ("https://224.0.0.251/hooks", "224.0.0.251"),
        ("https://localhost/hooks", "localhost"),
        ("https://intranet.localhost:8443/hooks", "intranet.localhost"),
    ],
)
@override_settings(**PRODUCTION_CHECKS)
def test_production_settings_refuse_internal_targets(org, url, named) -> None:
    client = signed_in(org.admin.email)

    response = client.post("/portal/webhooks/new/", {"url": url, "events": [Event.STAGE_CHANGED]})

    assert response.status_code == 400
    (error,) = response.context["form"].errors["url"]
    assert named in error
    with schema_context("gamma"):
        assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/hooks", "Use an https:// URL: events are sent over encrypted connections only."),
        (
            "https://crm:hunter2@93.184.215.14/hooks",
            "Leave the user name and password out of the URL: the signature tells you the event is ours.",
        ),
        ("ftp://93.184.215.14/hooks", "Enter a valid URL, such as https://hooks.example.com/cvplus."),
        ("https://hooks.cvplus-test.invalid/x", "The host %(host)s could not be found."),
    ],
)
@override_settings(**PRODUCTION_CHECKS)
def test_production_settings_name_what_is_wrong_with_a_url(org, url, message) -> None:
    with schema_context("gamma"), pytest.raises(ValidationError) as refused:
        _endpoint(org, url, [Event.STAGE_CHANGED])

    assert refused.value.message_dict["url"] == [gettext(message) % {"host": "hooks.cvplus-test.invalid"}]
    with schema_context("gamma"):
        assert not WebhookEndpoint.objects.exists()


@override_settings(**PRODUCTION_CHECKS)
def test_production_settings_accept_a_public_https_address(org) -> None:
    with schema_context("gamma"):
        endpoint, secret = _endpoint(org, "https://93.184.215.14/cvplus", [Event.STAGE_CHANGED])

    assert endpoint.is_active
    assert secret.startswith("whsec_")


def test_the_target_is_checked_again_before_each_delivery(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        endpoint, _secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])  # allowed here (test settings)
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)

        with override_settings(PORTAL_WEBHOOKS_ALLOW_PRIVATE=False):  # as if the name now led somewhere internal
            assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.RETRYING

        assert receiver.requests == []  # no connection was made
        delivery.refresh_from_db()
        assert delivery.last_error.startswith(webhook_delivery.TARGET + "|")
        assert "127.0.0.1" in webhook_delivery.webhook_error_text(delivery.last_error)


# ---------------------------------------------------------------------------------------------------------------------
# The delivery log's buttons, the pages and their isolation
# ---------------------------------------------------------------------------------------------------------------------
def test_replay_sends_the_same_body_again_as_a_new_delivery(org, django_capture_on_commit_callbacks) -> None:
    with receiving(200) as receiver:
        with schema_context("gamma"):
            endpoint, secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
            services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
            (original,) = WebhookDelivery.objects.all()
            webhook_delivery.webhook_delivery_send(original.pk)

        with django_capture_on_commit_callbacks() as queued:
            response = signed_in(org.admin.email).post(
                f"/portal/webhooks/{endpoint.pk}/deliveries/{original.pk}/replay/"
            )

        assert response.status_code == 302
        assert len(queued) == 1
        with schema_context("gamma"):
            replay = WebhookDelivery.objects.exclude(pk=original.pk).get()
            assert replay.replay_of == original
            assert (replay.event_id, replay.event, replay.payload) == (
                original.event_id,
                original.event,
                original.payload,
            )
            assert webhook_delivery.webhook_delivery_send(replay.pk) == Status.DELIVERED
        first, second = receiver.requests
        assert first.body == second.body
        assert (first.headers["CVPlus-Delivery"], second.headers["CVPlus-Delivery"]) == (
            str(original.pk),
            str(replay.pk),
        )
        assert signature_valid(second.body, second.headers["CVPlus-Signature"], secret)


def test_send_test_event_queues_a_test_delivery(org, django_capture_on_commit_callbacks) -> None:
    with schema_context("gamma"):
        endpoint, _secret = _endpoint(org, "http://127.0.0.1:9/hooks", [Event.MEMBER_JOINED])

    with django_capture_on_commit_callbacks() as queued:
        response = signed_in(org.admin.email).post(f"/portal/webhooks/{endpoint.pk}/test/")

    assert response.status_code == 302
    assert len(queued) == 1
    with schema_context("gamma"):
        (delivery,) = WebhookDelivery.objects.all()
        assert delivery.event == webhooks.TEST_EVENT
        assert delivery.payload["data"]["endpoint"] == {"id": endpoint.pk, "url": "http://127.0.0.1:9/hooks"}


def test_creating_an_endpoint_shows_its_secret_once_and_rotating_replaces_it(org) -> None:
    client = signed_in(org.admin.email)

    created = client.post(
        "/portal/webhooks/new/",
        {"url": "http://127.0.0.1:9/hooks", "description": "Workday sync", "events": [Event.STAGE_CHANGED]},
    )

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    (secret,) = set(re.findall(r"whsec_[A-Za-z0-9_-]{43}", created.content.decode()))
    with schema_context("gamma"):
        endpoint = WebhookEndpoint.objects.get()
        assert (endpoint.secret, endpoint.events, endpoint.description) == (
            secret,
            [Event.STAGE_CHANGED],
            "Workday sync",
        )
    assert secret not in client.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()

    rotated = client.post(f"/portal/webhooks/{endpoint.pk}/rotate-secret/")

    (new_secret,) = set(re.findall(r"whsec_[A-Za-z0-9_-]{43}", rotated.content.decode()))
    assert new_secret != secret
    with schema_context("gamma"):
        assert WebhookEndpoint.objects.get().secret == new_secret


def test_an_endpoint_without_events_is_refused(org) -> None:
    response = signed_in(org.admin.email).post("/portal/webhooks/new/", {"url": "http://127.0.0.1:9/hooks"})

    assert response.status_code == 400
    assert response.context["form"].errors["events"]
    with schema_context("gamma"):
        assert not WebhookEndpoint.objects.exists()


def test_a_disabled_endpoint_hears_nothing_more_and_its_queued_deliveries_are_not_sent(org) -> None:
    with receiving(200) as receiver:
        with schema_context("gamma"):
            endpoint, _secret = _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
            services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
            (queued,) = WebhookDelivery.objects.all()

        response = signed_in(org.admin.email).post(f"/portal/webhooks/{endpoint.pk}/active/", {"active": "0"})

        assert response.status_code == 302
        with schema_context("gamma"):
            services.application_move(application=org.application, to_stage=Stage.REJECTED, by=org.mine)
            assert WebhookDelivery.objects.count() == 1
            assert webhook_delivery.webhook_delivery_send(queued.pk) == Status.FAILED
        assert receiver.requests == []


@pytest.mark.parametrize("role", ["coach", "analyst", "mine"])
def test_only_administrators_reach_the_webhook_pages(org, role) -> None:
    with schema_context("gamma"):
        endpoint, _secret = _endpoint(org, "http://127.0.0.1:9/hooks", [Event.STAGE_CHANGED])
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)
    client = signed_in(getattr(org, role).email)

    for url in ("/portal/webhooks/", "/portal/webhooks/new/", f"/portal/webhooks/{endpoint.pk}/"):
        assert client.get(url).status_code == 404
    for url in (
        f"/portal/webhooks/{endpoint.pk}/rotate-secret/",
        f"/portal/webhooks/{endpoint.pk}/test/",
        f"/portal/webhooks/{endpoint.pk}/active/",
        f"/portal/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/replay/",
    ):
        assert client.post(url, {"active": "0"}).status_code == 404
    with schema_context("gamma"):
        endpoint.refresh_from_db()
        assert (endpoint.is_active, WebhookDelivery.objects.count()) == (True, 1)


def test_the_webhook_pages_are_a_404_on_a_consumer_host(cast, client_a) -> None:
    login(client_a, cast.owner_email)
    assert client_a.get("/portal/webhooks/").status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# The development inbox
# ---------------------------------------------------------------------------------------------------------------------
@override_settings(PORTAL_WEBHOOKS_INBOX=True)
def test_the_inbox_checks_signatures_and_shows_what_it_received(org) -> None:
    with schema_context("gamma"):
        endpoint, _secret = _endpoint(org, "http://gamma.localhost/portal/webhooks/inbox/", [Event.MEMBER_JOINED])
        delivery = webhooks.webhook_test_send(by=org.admin, endpoint=endpoint)
    body = webhook_delivery.webhook_body(delivery)
    signature = webhook_delivery.webhook_signature(
        secret=endpoint.secret, timestamp=int(timezone.now().timestamp()), body=body
    )
    sender = signed_in(org.mine.email)  # anyone may post; the signature decides
    headers = {"HTTP_CVPLUS_SIGNATURE": signature, "HTTP_CVPLUS_DELIVERY": str(delivery.pk)}

    valid = sender.post("/portal/webhooks/inbox/", body, content_type="application/json", **headers)
    forged = sender.post("/portal/webhooks/inbox/", body + b" ", content_type="application/json", **headers)

    assert (valid.status_code, valid.json()) == (200, {"received": True, "signature_valid": True})
    assert (forged.status_code, forged.json()["signature_valid"]) == (400, False)
    page = _in_english(signed_in(org.admin.email)).get("/portal/webhooks/inbox/").content.decode()
    assert page.count("signature valid") == 1
    assert page.count("signature invalid") == 1
    assert sender.get("/portal/webhooks/inbox/").status_code == 404  # reading it is for administrators


def test_the_inbox_does_not_exist_outside_local_settings(org) -> None:
    client = signed_in(org.admin.email)

    assert client.get("/portal/webhooks/inbox/").status_code == 404
    assert client.post("/portal/webhooks/inbox/", b"{}", content_type="application/json").status_code == 404
