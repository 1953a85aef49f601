"""The event stream: each meaningful action writes one domain event in the transaction of the change it records, with
ids and categories only. Page views of the main pages, sign-ups, served predictions and subscription changes here;
applications, CVs, reminders and members joining are recorded by their own services (tracking, portal)."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError
from django_tenants.utils import schema_context

from accounts.models import PendingSignup, User
from accounts.signup import signup_confirm, signup_request, signup_token
from billing.models import Subscription
from predictions.logbuffer import prediction_log_flush
from privacy.notice import NOTICE_VERSION
from tests.billing.test_webhooks import deliver, owner_id, story
from tests.predictions.test_logbuffer import _forget_buffered_rows, salary_post
from tracking import events as tracking_events
from tracking.models import DomainEvent

pytestmark = pytest.mark.django_db

Kind = DomainEvent.Kind


def events_in(schema: str, kind: str) -> list[DomainEvent]:
    with schema_context(schema):
        return list(DomainEvent.objects.filter(kind=kind).order_by("id"))


def test_a_full_page_load_of_a_main_page_is_one_page_view_with_the_page_and_the_viewer(owner, owner_client) -> None:
    assert owner_client.get("/app/").status_code == 200

    (view,) = events_in("alpha", Kind.PAGE_VIEWED)
    assert (view.actor_id, view.subject_id, view.payload) == (owner.pk, None, {"key": "board"})


def test_fragments_posts_errors_other_pages_and_anonymous_visitors_are_not_page_views(
    cast, owner_client, client_b
) -> None:
    owner_client.get("/app/", HTTP_HX_REQUEST="true")  # an htmx fragment
    owner_client.post("/app/postings/new/", {})  # a form post
    owner_client.get("/app/applications/999999/")  # not found
    owner_client.get("/accounts/password/change/")  # not a main page
    client_b.get("/app/")  # signed out: redirected to sign in

    assert events_in("alpha", Kind.PAGE_VIEWED) == []
    assert events_in("beta", Kind.PAGE_VIEWED) == []


def test_a_page_view_that_cannot_be_recorded_still_serves_the_page(owner_client, monkeypatch) -> None:
    def fails(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr("analytics.pageviews.domain_event_record", fails)
    assert owner_client.get("/app/").status_code == 200


def test_confirming_a_sign_up_records_it_in_the_same_transaction(cast) -> None:
    with schema_context("alpha"):
        signup_request(
            email="ines.duarte@example.org", password="a long enough passphrase 42", notice_version=NOTICE_VERSION
        )
        user = signup_confirm(token=signup_token(PendingSignup.objects.get(email="ines.duarte@example.org")))

    (signed_up,) = events_in("alpha", Kind.USER_SIGNED_UP)
    assert (signed_up.actor_id, signed_up.subject_id, signed_up.payload) == (user.pk, user.pk, {})


def test_a_sign_up_whose_event_fails_creates_no_account(cast, monkeypatch) -> None:
    def fails(**kwargs):
        raise DatabaseError("the events table is gone")

    with schema_context("alpha"):
        signup_request(
            email="kai.moreno@example.org", password="a long enough passphrase 42", notice_version=NOTICE_VERSION
        )
        token = signup_token(PendingSignup.objects.get(email="kai.moreno@example.org"))
        monkeypatch.setattr("accounts.signup.domain_event_record", fails)
        with pytest.raises(DatabaseError):
            signup_confirm(token=token)
        assert not User.objects.filter(email="kai.moreno@example.org").exists()
        assert PendingSignup.objects.filter(email="kai.moreno@example.org").exists()  # the link still works


def test_each_served_prediction_is_an_event_written_with_its_log_row_at_the_flush(
    owner, owner_client, salary_champion, settings
) -> None:
    settings.PREDICTION_LOG_BUFFERED = True
    _forget_buffered_rows()
    salary_post(owner_client)
    salary_post(owner_client)
    assert events_in("alpha", Kind.PREDICTION_SERVED) == []  # buffered: neither the rows nor their events yet

    assert prediction_log_flush() == 2

    served = events_in("alpha", Kind.PREDICTION_SERVED)
    assert len(served) == 2
    for event in served:
        assert event.actor_id == owner.pk
        assert event.payload["key"] == "salary"
        assert event.payload["value"] > 0  # the latency in ms
        assert (event.payload["version"], event.payload["source"]) == (salary_champion.version, "api")
    assert events_in("beta", Kind.PREDICTION_SERVED) == []


def test_without_the_buffer_the_row_and_its_event_are_written_together(owner_client, salary_champion, settings) -> None:
    settings.PREDICTION_LOG_BUFFERED = False
    salary_post(owner_client)
    (event,) = events_in("alpha", Kind.PREDICTION_SERVED)
    assert event.payload["key"] == "salary"


def test_a_subscription_change_is_recorded_in_the_subscribers_own_schema(
    cast, public_client, stripe_settings, prices
) -> None:
    events = story(owner_id(cast))
    for event in events:
        assert deliver(public_client, event).status_code == 200
    row = Subscription.objects.get()

    changes = events_in("alpha", Kind.SUBSCRIPTION_CHANGED)
    # incomplete, then active; the later update only sets cancel-at-period-end (no change of plan or status)
    assert [(e.actor_id, e.subject_id, e.payload["key"]) for e in changes] == [
        (row.user_id, row.pk, "incomplete"),
        (row.user_id, row.pk, "active"),
    ]
    assert {e.payload["plan"] for e in changes} == {"premium-monthly"}
    assert events_in("beta", Kind.SUBSCRIPTION_CHANGED) == []


def test_events_carry_ids_and_short_categories_only(owner, owner_client, salary_champion, settings) -> None:
    """A seeker's journey: no free text (CV, notes, contacts, names, e-mail) reaches an event."""
    settings.PREDICTION_LOG_BUFFERED = False
    owner_client.get("/app/")
    salary_post(owner_client)
    tracking_events.domain_event_record(kind=Kind.CV_PARSED, actor_id=owner.pk, subject_id=1, payload={"key": "en"})
    with schema_context("alpha"):
        payloads = list(DomainEvent.objects.values_list("payload", flat=True))
    assert payloads
    text = json.dumps(payloads)
    assert owner.email not in text
    assert "Olive" not in text
    for payload in payloads:
        for value in payload.values():
            assert value is None or isinstance(value, int | float | bool) or len(str(value)) <= 40
