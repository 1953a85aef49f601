"""Stripe events in, billing state out: verify, store once, apply once, in any order, however often delivered.

The contract, shared by the webhook view and `manage.py billing_reconcile` (both call `webhook_event_receive`):

* An event is stored by its id before anything is applied (`INSERT ... ON CONFLICT DO NOTHING`, committed on its
  own), so a crash while applying leaves a row for reconcile to retry and a duplicate delivery never inserts twice.
* Applying happens in one transaction that first takes a PostgreSQL advisory lock on the event's Stripe customer and
  then a row lock on the event. Events of one customer are applied one at a time (so a checkout that re-applies the
  customer's waiting events cannot deadlock with a concurrent delivery of one of them), and an event already applied
  or ignored is a no-op.
* Stripe does not deliver in order: rows remember the event they last reflect and an older event is skipped
  (billing.webhook_handlers), so every arrival order converges on the same state.
* An event naming a customer that maps to no tenant is kept with outcome `failed` and a detail. When the checkout
  that introduces that customer is applied, the customer's failed events are applied again; reconcile retries too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import stripe
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from billing.models import WebhookEvent
from billing.stripe_client import stripe_client
from billing.webhook_handlers import (
    CHECKOUT_COMPLETED,
    HANDLED_TYPES,
    INVOICE_EVENTS,
    SUBSCRIPTION_EVENTS,
    EventFailed,
    EventIgnored,
    customer_key,
    handler_for,
)
from cvplus.json_input import json_input_loads

SIGNATURE_TOLERANCE_S = 300
_ADVISORY_NAMESPACE = 0x42494C4C  # "BILL": keeps these advisory locks apart from any other pg_advisory_* user
FINAL_OUTCOMES = (WebhookEvent.Outcome.APPLIED, WebhookEvent.Outcome.IGNORED)


class WebhookRejected(Exception):
    """The request is not an authentic, well-formed Stripe event; nothing was stored."""


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    type: str
    outcome: str  # a WebhookEvent.Outcome value
    detail: str
    duplicate: bool  # True when an earlier delivery had already applied or ignored this event


@dataclass(frozen=True)
class ReconcileSummary:
    listed: int
    applied: int
    ignored: int
    failed: int
    already_done: int


def webhook_event_verify(*, payload: bytes, signature_header: str | None) -> dict[str, Any]:
    """The event in ``payload`` after checking Stripe's signature on the raw bytes and its timestamp (5 minutes).

    Raises WebhookRejected on a missing, wrong or stale signature, or a body that is not a Stripe event.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRejected("STRIPE_WEBHOOK_SECRET is not set")
    try:
        # The signature first, then one bounded parse (depth, storable text): Stripe's construct_event parsed the
        # body with json.loads, which raised RecursionError on deep nesting.
        stripe.WebhookSignature.verify_header(payload, signature_header, secret, tolerance=SIGNATURE_TOLERANCE_S)
        event = json_input_loads(payload)
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"signature: {error.user_message or error}") from None
    except (ValueError, UnicodeDecodeError) as error:  # JSONInputError is a ValueError
        raise WebhookRejected(f"body is not a Stripe event: {error}") from None
    return event_check(event)


def event_check(event: Any) -> dict[str, Any]:
    """Returns ``event`` when it has the fields every stored event needs; raises WebhookRejected naming the field."""
    if not isinstance(event, dict):
        raise WebhookRejected("body is not a JSON object")
    for name, kind in (("id", str), ("type", str), ("created", int), ("data", dict)):
        if not isinstance(event.get(name), kind) or isinstance(event.get(name), bool):
            raise WebhookRejected(f"event field {name!r} is missing or not a {kind.__name__}")
    return event


def webhook_event_receive(*, event: Mapping[str, Any]) -> WebhookResult:
    """Stores ``event`` once by its id and applies it unless an earlier delivery already did."""
    webhook_event_store(event=event)
    return webhook_event_apply(event_id=event["id"])


def webhook_event_store(*, event: Mapping[str, Any]) -> bool:
    """Inserts the event unless a row with its id exists; returns True when this call inserted it."""
    created = WebhookEvent.objects.bulk_create(
        [
            WebhookEvent(
                event_id=event["id"],
                type=event["type"],
                created=event["created"],
                livemode=bool(event.get("livemode")),
                payload=dict(event),
            )
        ],
        ignore_conflicts=True,
    )
    return bool(created and created[0].pk)


def webhook_event_apply(*, event_id: str) -> WebhookResult:
    """Applies a stored event in one transaction, under its customer's lock; a no-op when already final."""
    with transaction.atomic():
        payload = WebhookEvent.objects.values_list("payload", flat=True).get(event_id=event_id)
        key = customer_key(payload)
        if key:
            _customer_lock(key)
        row = WebhookEvent.objects.select_for_update().get(event_id=event_id)
        if row.outcome in FINAL_OUTCOMES:
            return WebhookResult(row.event_id, row.type, row.outcome, row.detail, duplicate=True)
        _row_apply(row)
        if row.type == CHECKOUT_COMPLETED and row.outcome == WebhookEvent.Outcome.APPLIED and key:
            _waiting_events_apply(stripe_customer_id=key)
    return WebhookResult(row.event_id, row.type, row.outcome, row.detail, duplicate=False)


def _customer_lock(stripe_customer_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_ADVISORY_NAMESPACE, stripe_customer_id])


def _row_apply(row: WebhookEvent) -> None:
    """Runs the handler in a savepoint and records the outcome on the (locked) row; a failure writes nothing else."""
    handler = handler_for(row.type)
    if handler is None:
        outcome, detail = WebhookEvent.Outcome.IGNORED, f"event type {row.type} is not used by CVPlus"
    else:
        try:
            with transaction.atomic():
                detail = handler(row.payload)
            outcome = WebhookEvent.Outcome.APPLIED
        except EventIgnored as ignored:
            outcome, detail = WebhookEvent.Outcome.IGNORED, str(ignored)
        except EventFailed as failed:
            outcome, detail = WebhookEvent.Outcome.FAILED, str(failed)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as malformed:
            outcome, detail = WebhookEvent.Outcome.FAILED, f"malformed {row.type} object: {malformed!r}"
    row.outcome, row.detail, row.processed_at = outcome, detail, timezone.now()
    row.save(update_fields=["outcome", "detail", "processed_at"])


def _waiting_events_apply(*, stripe_customer_id: str) -> None:
    """Applies, oldest first, the customer's events that failed before their checkout attached the customer."""
    waiting = (
        WebhookEvent.objects.select_for_update()
        .filter(
            outcome__in=[WebhookEvent.Outcome.FAILED, WebhookEvent.Outcome.RECEIVED],
            type__in=[*SUBSCRIPTION_EVENTS, *INVOICE_EVENTS],
            payload__data__object__customer=stripe_customer_id,
        )
        .order_by("created", "event_id")
    )
    for row in waiting:
        _row_apply(row)


def _plain(event: stripe.Event) -> dict[str, Any]:
    """The event as a webhook delivers it: the library parses decimal strings into Decimal; they go back as strings."""
    return json.loads(json.dumps(event.to_dict(), cls=DjangoJSONEncoder))


def webhook_events_reconcile(
    *, since_hours: int = 72, progress: Callable[[str], None] = lambda message: None
) -> ReconcileSummary:
    """Lists Stripe's events of the handled types from the last ``since_hours`` and receives each, oldest first.

    Events already applied are no-ops; missed or failed ones go through the same path as a webhook delivery.
    """
    since = int((timezone.now() - timedelta(hours=since_hours)).timestamp())
    listing = stripe_client().v1.events.list({"created": {"gte": since}, "types": list(HANDLED_TYPES), "limit": 100})
    events = sorted((_plain(event) for event in listing.auto_paging_iter()), key=lambda e: (e["created"], e["id"]))
    counts = {"applied": 0, "ignored": 0, "failed": 0, "already_done": 0}
    for event in events:
        try:
            result = webhook_event_receive(event=event_check(event))
        except WebhookRejected as rejected:
            progress(f"skipped a malformed listed event: {rejected}")
            counts["failed"] += 1
            continue
        bucket = "already_done" if result.duplicate else result.outcome
        counts[bucket] = counts.get(bucket, 0) + 1
        if not result.duplicate:
            progress(f"{result.event_id} {result.type}: {result.outcome} {result.detail}")
    return ReconcileSummary(
        listed=len(events),
        applied=counts["applied"],
        ignored=counts["ignored"],
        failed=counts["failed"],
        already_done=counts["already_done"],
    )
