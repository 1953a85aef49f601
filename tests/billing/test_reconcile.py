"""`manage.py billing_reconcile`: lists recent events through the real Stripe library (served by the recording HTTP
client) and applies the ones the webhook missed, once. All Stripe data is SIMULATED."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.models import Subscription, WebhookEvent
from billing.stripe_client import use_recording_client
from tests.billing import stripe_fakes as fakes
from tests.billing.test_webhooks import deliver, owner_id, prices, story, stripe_settings  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def reconcile(*args: str) -> str:
    out = StringIO()
    call_command("billing_reconcile", *args, stdout=out)
    return out.getvalue()


def test_it_applies_a_missed_event_once(cast, public_client, stripe_settings, prices) -> None:  # noqa: F811
    events = story(owner_id(cast))
    missed = events[-1]  # the cancel-at-period-end update never reached the webhook
    for event in events[:-1]:
        assert deliver(public_client, event).status_code == 200
    assert Subscription.objects.get().cancel_at_period_end is False

    stripe_api = fakes.RecordingHTTPClient({("GET", "/v1/events"): fakes.events_list(events)})
    with use_recording_client(stripe_api):
        first = reconcile("--since", "24")
        second = reconcile("--since", "24")

    assert "listed 6: applied 1, ignored 0, failed 0, already done 5" in first
    assert "listed 6: applied 0, ignored 0, failed 0, already done 6" in second
    row = Subscription.objects.get()
    assert (row.cancel_at_period_end, row.stripe_event_id) == (True, missed["id"])
    stored = WebhookEvent.objects.get(event_id=missed["id"])
    assert (stored.outcome, stored.payload) == ("applied", missed)  # stored as Stripe would have delivered it
    assert WebhookEvent.objects.filter(event_id__in=[e["id"] for e in events]).count() == len(events)

    request = stripe_api.requests[0]
    assert (request.method, request.path, request.query["limit"]) == ("GET", "/v1/events", "100")
    assert abs(int(request.query["created[gte]"]) - (int(time.time()) - 24 * 3600)) < 120
    assert request.query["types[0]"] == "checkout.session.completed"
    assert request.headers["Authorization"] == f"Bearer {fakes.SECRET_KEY}"


def test_it_follows_pagination_and_retries_an_event_that_had_failed(
    cast,
    public_client,
    stripe_settings,  # noqa: F811
    prices,  # noqa: F811
) -> None:
    events = story(owner_id(cast))
    checkout, created = events[0], events[1]
    assert deliver(public_client, created).json()["outcome"] == "failed"  # customer not known yet

    pages = [
        fakes.events_list([e for e in events if e is not checkout], has_more=True),
        fakes.events_list([checkout]),
    ]
    stripe_api = fakes.RecordingHTTPClient({("GET", "/v1/events"): pages})
    with use_recording_client(stripe_api):
        output = reconcile()

    assert "listed 6:" in output
    assert len(stripe_api.requests) == 2
    assert stripe_api.requests[1].query["starting_after"] == pages[0]["data"][-1]["id"]
    assert (
        WebhookEvent.objects.filter(event_id__in=[e["id"] for e in events])
        .exclude(outcome__in=["applied", "ignored"])
        .count()
        == 0
    )
    assert Subscription.objects.get().cancel_at_period_end is True


def test_it_refuses_to_run_without_a_secret_key_or_with_a_bad_window(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="STRIPE_SECRET_KEY"):
        reconcile()
    settings.STRIPE_SECRET_KEY = fakes.SECRET_KEY
    with pytest.raises(CommandError, match="--since"):
        reconcile("--since", "0")
    assert not WebhookEvent.objects.exists()
