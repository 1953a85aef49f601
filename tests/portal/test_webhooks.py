"""Outgoing webhooks (portal/webhooks.py, portal/webhook_delivery.py, /portal/webhooks/): the outbox written in the
transaction of the change, signatures a receiver checks with a plain HMAC, retries with backoff after a failing
receiver, timeouts that never hold the request that caused the event, refused internal targets, the delivery log
with replay and test events, and the pages' isolation."""

from __future__ import annotations

import json
import logging
import re
import threading
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context, tenant_context
from kombu.exceptions import OperationalError

from portal import webhook_delivery, webhook_outbox, webhooks
from portal.models import Membership, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from portal.tasks import webhook_deliveries_due_dispatch
from portal.views.webhook_inbox import INBOX_CACHE_KEY
from portal.webhook_bodies import iso_utc
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
    """What the webhooks keep in the test cache (subscriptions, the kick's flag, the inbox) outlives each test's
    rolled-back rows."""
    with schema_context("gamma"):
        cache.delete_many([webhooks.SUBSCRIBED_CACHE_KEY, webhook_delivery.KICK_CACHE_KEY, INBOX_CACHE_KEY])


@pytest.fixture
def org(cast):
    with schema_context("gamma"):
        return organisation_build()


def _endpoint(org, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    return webhooks.webhook_endpoint_create(by=org.admin, url=url, description="HR data warehouse", events=events)


def _stage_change_heard(org, url: str) -> tuple[WebhookEndpoint, WebhookDelivery]:
    """An endpoint listening to stage changes, and the delivery (not built yet) that Mia's next move writes for it."""
    with schema_context("gamma"):
        endpoint, _secret = _endpoint(org, url, [Event.STAGE_CHANGED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        (delivery,) = WebhookDelivery.objects.all()
    return endpoint, delivery


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
        moved = DomainEvent.objects.filter(kind=DomainEvent.Kind.STAGE_CHANGED).latest("id")
        assert (delivery.endpoint, delivery.event, delivery.status, delivery.attempts) == (
            listening,
            Event.STAGE_CHANGED,
            Status.PENDING,
            0,
        )
        assert (delivery.domain_event, delivery.payload) == (moved, {})  # the worker builds the body
        assert len(queued) == 2  # the kicks (webhooks, event rollups), after the commit


def test_the_request_writes_one_insert_when_an_endpoint_listens_and_nothing_when_none_does(
    cast, org, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.enterprise):  # the tenant's row at hand, as on a request
        event = domain_event_record(
            kind=DomainEvent.Kind.STAGE_CHANGED,
            actor_id=org.mine.pk,
            subject_id=org.application.pk,
            payload={"from": "screening", "to": "interviewing"},
        )
        webhooks.webhook_endpoints_listening()  # the first look fills the cache

        with CaptureQueriesContext(connection) as without, django_capture_on_commit_callbacks() as kicked:
            assert webhook_outbox.webhook_outbox_record(event) == []
        assert (len(without), kicked) == (0, [])

        stages, _secret = _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        crm, _secret = _endpoint(org, "http://127.0.0.1:9/crm", [Event.STAGE_CHANGED, Event.MEMBER_JOINED])
        _endpoint(org, "http://127.0.0.1:9/joins", [Event.MEMBER_JOINED])
        webhooks.webhook_endpoints_listening()  # saving an endpoint forgot the cache; warm it again
        assert webhooks.webhook_events_subscribed() == {Event.STAGE_CHANGED, Event.MEMBER_JOINED}

        with CaptureQueriesContext(connection) as listening, django_capture_on_commit_callbacks() as kicked:
            deliveries = webhook_outbox.webhook_outbox_record(event)

        (insert,) = (query["sql"] for query in listening.captured_queries)
        assert insert.startswith('INSERT INTO "portal_webhookdelivery"')
        assert len(kicked) == 1
        assert sorted((d.endpoint_id, d.event) for d in deliveries) == [
            (stages.pk, Event.STAGE_CHANGED),
            (crm.pk, Event.STAGE_CHANGED),
        ]
        assert len({d.event_id for d in deliveries}) == 1  # one event, one id, whichever endpoint hears it


def test_an_accepted_offer_is_two_events_with_their_own_ids(org) -> None:
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/all", [Event.STAGE_CHANGED, Event.OFFER_ACCEPTED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        WebhookDelivery.objects.all().delete()
        services.application_move(
            application=org.application, to_stage=Stage.OFFER, by=org.mine, offer_amount="58000", offer_currency="EUR"
        )
        services.application_move(application=org.application, to_stage=Stage.ACCEPTED, by=org.mine)

        accepted = WebhookDelivery.objects.filter(domain_event__payload__to=Stage.ACCEPTED)
        assert sorted(accepted.values_list("event", flat=True)) == [Event.STAGE_CHANGED, Event.OFFER_ACCEPTED]
        assert len(set(accepted.values_list("event_id", flat=True))) == 2


def _kick_flag() -> object:
    """The kick's flag in gamma's cache (portal/webhook_outbox.py): None when a change may send a dispatch. Once the
    kick thread has run what the commits so far gave it."""
    webhook_outbox.webhook_kicks_wait()
    with schema_context("gamma"):
        return cache.get(webhook_delivery.KICK_CACHE_KEY)


def _dispatches_queued() -> int:
    """Dispatches into gamma waiting on the test broker (the test queue's Redis list; no worker takes them here), once
    the kick thread has run what the commits so far gave it."""
    webhook_outbox.webhook_kicks_wait()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        messages = broker.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
    finally:
        broker.close()
    headers = [json.loads(message)["headers"] for message in messages]
    return sum(
        1
        for header in headers
        if header["task"] == webhook_deliveries_due_dispatch.name and header.get("_schema_name") == "gamma"
    )


def test_changes_in_a_row_send_one_dispatch_until_the_dispatch_clears_the_flag(
    org, django_capture_on_commit_callbacks
) -> None:
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        before = _dispatches_queued()

        for stage in (Stage.INTERVIEWING, Stage.REJECTED):
            with django_capture_on_commit_callbacks(execute=True):
                services.application_move(application=org.application, to_stage=stage, by=org.mine)
        with django_capture_on_commit_callbacks(execute=True):
            application_for(org.mine, title="Analyst", company="SAP", industry="technology", country="DE")

        assert WebhookDelivery.objects.count() == 3
        assert _dispatches_queued() == before + 1  # the first change's; the flag held back the others
        assert _kick_flag() is not None

        assert webhook_deliveries_due_dispatch() == 3  # in-process: clears the flag, then queues the three tries
        assert _kick_flag() is None

        with django_capture_on_commit_callbacks(execute=True):
            application_for(org.mine, title="Auditor", company="KPMG", industry="finance-insurance", country="DE")

        assert _dispatches_queued() == before + 2


def test_the_kick_runs_on_its_own_thread_so_the_request_only_pays_the_insert(
    org, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    published_on = []
    monkeypatch.setattr(
        webhook_deliveries_due_dispatch,
        "apply_async",
        lambda *args, **kwargs: published_on.append(threading.current_thread().name),
    )
    with schema_context("gamma"):
        _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        webhook_delivery.webhook_kick_clear()

        with django_capture_on_commit_callbacks(execute=True):
            services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        webhook_outbox.webhook_kicks_wait()

    assert len(published_on) == 1
    assert published_on[0].startswith("kick")
    assert published_on[0] != threading.current_thread().name


class _RedisDown:
    def add(self, *args: object, **kwargs: object) -> bool:
        raise redis.exceptions.ConnectionError("Redis does not answer")


def test_a_broker_or_redis_failure_after_the_commit_is_logged_and_leaves_the_rows_to_the_sweep(
    org, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("the broker does not answer")

    with schema_context("gamma"), caplog.at_level(logging.WARNING, logger="portal.webhook_outbox"):
        _endpoint(org, "http://127.0.0.1:9/stages", [Event.STAGE_CHANGED])
        before = _dispatches_queued()
        monkeypatch.setattr(webhook_deliveries_due_dispatch, "apply_async", broker_down)

        with django_capture_on_commit_callbacks(execute=True):
            services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)

        webhook_outbox.webhook_kicks_wait()
        assert "Could not send the webhook dispatch" in caplog.text
        assert _kick_flag() is not None  # kept: the next requests do not wait on the broker too
        assert webhook_delivery.webhook_deliveries_due() == [WebhookDelivery.objects.get().pk]  # the sweep's list

        webhook_delivery.webhook_kick_clear()
        monkeypatch.setattr(webhook_outbox, "cache", _RedisDown())

        with django_capture_on_commit_callbacks(execute=True):
            services.application_move(application=org.application, to_stage=Stage.REJECTED, by=org.mine)

        webhook_outbox.webhook_kicks_wait()
        assert "Could not set the webhook dispatch flag" in caplog.text
        assert len(webhook_delivery.webhook_deliveries_due()) == 2
        assert _dispatches_queued() == before


# ---------------------------------------------------------------------------------------------------------------------
# Bodies, built by the worker on the first try
# ---------------------------------------------------------------------------------------------------------------------
def _sent_body(receiver, delivery: WebhookDelivery) -> dict:
    assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.DELIVERED
    return json.loads(receiver.requests[-1].body)


def test_application_events_of_members_who_keep_them_to_themselves_are_never_sent_and_leave_no_delivery(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        private = application_for(
            org.private, title="Auditor", company="KPMG", industry="finance-insurance", country="DE"
        )
        services.application_move(application=private, to_stage=Stage.SCREENING, by=org.private)
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        Membership.objects.filter(user=org.mine).update(share_applications=False)  # before the worker builds it
        written = list(WebhookDelivery.objects.values_list("pk", flat=True))

        assert len(written) == 3  # Priv's creation and move, Mia's move: written blind on the request
        assert [webhook_delivery.webhook_delivery_send(pk) for pk in written] == [None, None, None]
        assert not WebhookDelivery.objects.exists()
        assert receiver.requests == []


def test_an_accepted_offer_is_its_own_event_with_the_offer(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        _endpoint(org, receiver.url, [Event.OFFER_ACCEPTED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        services.application_move(
            application=org.application, to_stage=Stage.OFFER, by=org.mine, offer_amount="58000", offer_currency="EUR"
        )
        assert not WebhookDelivery.objects.exists()
        services.application_move(application=org.application, to_stage=Stage.ACCEPTED, by=org.mine)
        (delivery,) = WebhookDelivery.objects.all()

        body = _sent_body(receiver, delivery)

        accepted = delivery.domain_event
        assert body == {
            "id": str(delivery.event_id),
            "type": Event.OFFER_ACCEPTED,
            "created": iso_utc(accepted.occurred_at),  # the change's time, not the build's
            "data": {
                "application": {"id": org.application.pk, "industry": "technology", "country": "DE"},
                "member": {"id": org.mine.pk},
                "occurred_at": iso_utc(accepted.occurred_at),
                "offer": {"amount": "58000.00", "currency": "EUR"},
            },
        }


def test_a_member_joining_is_sent_with_their_cohort_and_coach(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        _endpoint(org, receiver.url, [Event.MEMBER_JOINED])
        newcomer = person("lukas.meyer@gamma.example", "Lukas Meyer")
        membership = Membership.objects.create(user=newcomer, coach=org.coach, cohort=org.cohort)
        domain_event_record(kind=DomainEvent.Kind.MEMBER_JOINED, actor_id=newcomer.pk, subject_id=newcomer.pk)
        (delivery,) = WebhookDelivery.objects.all()

        body = _sent_body(receiver, delivery)

        assert (body["type"], set(body)) == (Event.MEMBER_JOINED, {"id", "type", "created", "data"})
        assert body["data"] == {
            "member": {
                "id": newcomer.pk,
                "name": "Lukas Meyer",
                "email": "lukas.meyer@gamma.example",
                "role": "member",
                "cohort": {"id": org.cohort.pk, "name": "Herbst 2026"},
                "coach": {"id": org.coach.pk, "name": "Carl Brandt"},
                "joined_at": iso_utc(membership.joined_at),
            }
        }


def test_a_body_is_built_once_and_every_retry_sends_it_unchanged(org) -> None:
    with receiving(500, 200) as receiver, schema_context("gamma"):
        _endpoint(org, receiver.url, [Event.MEMBER_JOINED])
        newcomer = person("lukas.meyer@gamma.example", "Lukas Meyer")
        Membership.objects.create(user=newcomer, coach=org.coach, cohort=org.cohort)
        domain_event_record(kind=DomainEvent.Kind.MEMBER_JOINED, actor_id=newcomer.pk, subject_id=newcomer.pk)
        (delivery,) = WebhookDelivery.objects.all()

        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.RETRYING
        newcomer.full_name = "Lukas Meyer-Schmidt"
        newcomer.save(update_fields=["full_name"])
        _due_now(delivery)
        assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.DELIVERED

        first, second = receiver.requests
        assert first.body == second.body
        assert json.loads(second.body)["data"]["member"]["name"] == "Lukas Meyer"
        delivery.refresh_from_db()
        assert webhook_delivery.webhook_body(delivery) == second.body


def test_the_endpoints_hearing_one_change_get_one_body_built_once(org) -> None:
    with receiving(200) as receiver, schema_context("gamma"):
        _endpoint(org, receiver.url, [Event.STAGE_CHANGED])
        _endpoint(org, receiver.url, [Event.STAGE_CHANGED, Event.OFFER_ACCEPTED])
        services.application_move(application=org.application, to_stage=Stage.INTERVIEWING, by=org.mine)
        first, second = WebhookDelivery.objects.order_by("pk")

        body = _sent_body(receiver, first)

        second.refresh_from_db()
        assert second.payload == body  # stored by the first one's build: its own try builds nothing
        assert _sent_body(receiver, second) == body


def test_the_delivery_log_shows_a_delivery_once_its_body_is_built(org) -> None:
    with receiving(200) as receiver:
        endpoint, delivery = _stage_change_heard(org, receiver.url)
        client = _in_english(signed_in(org.admin.email))

        before = client.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
        replay = client.post(f"/portal/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/replay/")

        assert f'id="delivery-{delivery.pk}"' not in before
        assert "Nothing sent yet" in before
        assert replay.status_code == 404
        with schema_context("gamma"):
            assert webhook_delivery.webhook_delivery_send(delivery.pk) == Status.DELIVERED
        after = client.get(f"/portal/webhooks/{endpoint.pk}/").content.decode()
        assert f'id="delivery-{delivery.pk}"' in after
        assert f"&quot;id&quot;: {org.application.pk}," in after  # its body, under the row


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
        assert webhook_delivery.webhook_body(delivery) == request.body  # built by the worker, stored as sent
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
        assert len(queued) == 2  # the kicks (webhooks, event rollups)
        with schema_context("gamma"):
            (delivery,) = WebhookDelivery.objects.all()
            assert (delivery.status, delivery.attempts, delivery.payload) == (Status.PENDING, 0, {})


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
            webhook_delivery.webhook_delivery_send(original.pk)  # builds its body on this first try
            original.refresh_from_db()

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
        endpoint, queued = _stage_change_heard(org, receiver.url)

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
