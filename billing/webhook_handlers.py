"""What each Stripe event type does to billing rows. Called only by billing.webhooks, inside its transaction and under
its per-customer advisory lock, so a handler may read-then-write without racing another delivery for the same customer.

A handler returns a detail string for an applied event, raises `EventIgnored` when the event is authentic but has
nothing for CVPlus to do, and raises `EventFailed` when it cannot be applied (unknown customer, unknown price,
malformed object); in both raised cases the handler's writes are rolled back by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from billing.models import Customer, Invoice, Plan, Subscription, WebhookEvent
from tenants.models import Client

Handler = Callable[[Mapping[str, Any]], str]

SUBSCRIPTION_EVENTS = (
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)
INVOICE_EVENTS = ("invoice.payment_failed", "invoice.paid")
CHECKOUT_COMPLETED = "checkout.session.completed"
HANDLED_TYPES = (CHECKOUT_COMPLETED, *SUBSCRIPTION_EVENTS, *INVOICE_EVENTS)

# Same-second tie-break: the later step of a lifecycle wins (a tuple's order is its rank).
_LIFECYCLE_RANK = {event_type: rank for rank, event_type in enumerate(SUBSCRIPTION_EVENTS)} | {
    event_type: rank for rank, event_type in enumerate(INVOICE_EVENTS)
}

# Stripe subscription statuses without a CVPlus equivalent map to the closest one that grants the same access.
_STATUS = {
    "active": Subscription.Status.ACTIVE,
    "trialing": Subscription.Status.TRIALING,
    "past_due": Subscription.Status.PAST_DUE,
    "unpaid": Subscription.Status.UNPAID,
    "incomplete": Subscription.Status.INCOMPLETE,
    "incomplete_expired": Subscription.Status.CANCELED,
    "canceled": Subscription.Status.CANCELED,
    "paused": Subscription.Status.UNPAID,  # a paused subscription collects nothing and grants nothing
}


class EventFailed(Exception):
    """The event cannot be applied; the message is stored as the event's detail."""


class EventIgnored(Exception):
    """The event is authentic but changes nothing in CVPlus; the message is stored as the event's detail."""


def customer_key(payload: Mapping[str, Any]) -> str:
    """The Stripe customer id an event concerns ("" when none): the key of the per-customer apply lock."""
    obj = (payload.get("data") or {}).get("object") or {}
    customer = obj.get("customer") if isinstance(obj, Mapping) else None
    return customer if isinstance(customer, str) else ""


def handler_for(event_type: str) -> Handler | None:
    if event_type == CHECKOUT_COMPLETED:
        return checkout_completed_apply
    if event_type in SUBSCRIPTION_EVENTS:
        return subscription_event_apply
    if event_type in INVOICE_EVENTS:
        return invoice_event_apply
    return None


# ---------------------------------------------------------------------------------------------------------------------
# Reading Stripe objects: every malformed field becomes EventFailed naming the field, never a 500.
# ---------------------------------------------------------------------------------------------------------------------


def _object(event: Mapping[str, Any]) -> Mapping[str, Any]:
    obj = (event.get("data") or {}).get("object")
    if not isinstance(obj, Mapping):
        raise EventFailed("data.object is missing or not an object")
    return obj


def _text(obj: Mapping[str, Any], name: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value:
        raise EventFailed(f"{obj.get('object', 'object')}.{name} is missing or not a string")
    return value


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if isinstance(value, int) and not isinstance(value, bool) else None


def _order_key(event: Mapping[str, Any]) -> tuple[int, int, str]:
    return (int(event["created"]), _LIFECYCLE_RANK.get(event["type"], 0), event["id"])


def _is_newer(event: Mapping[str, Any], *, applied_time: int, applied_event_id: str) -> bool:
    """True when ``event`` comes after the event a row last reflects (compared by Stripe's creation time)."""
    if not applied_event_id:
        return True
    applied_type = WebhookEvent.objects.filter(event_id=applied_event_id).values_list("type", flat=True).first() or ""
    applied = (applied_time, _LIFECYCLE_RANK.get(applied_type, 0), applied_event_id)
    return _order_key(event) > applied


# ---------------------------------------------------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------------------------------------------------


def _reference(metadata: Any, client_reference_id: Any = None) -> tuple[str, int] | None:
    """(tenant schema, user id) from metadata {"tenant", "user_id"} or a client_reference_id "<schema>:<user id>"."""
    schema, user_id = None, None
    if isinstance(metadata, Mapping) and metadata.get("tenant") and metadata.get("user_id"):
        schema, user_id = metadata["tenant"], metadata["user_id"]
    elif isinstance(client_reference_id, str) and ":" in client_reference_id:
        schema, user_id = client_reference_id.rsplit(":", 1)
    if schema is None:
        return None
    try:
        return str(schema), int(user_id)
    except (TypeError, ValueError):
        raise EventFailed(f"user_id {user_id!r} in the checkout reference is not a number") from None


def _customer_attach(*, stripe_customer_id: str, schema: str, user_id: int, email: str = "") -> Customer:
    """The Customer row for a Stripe customer, created for (tenant, user) after checking both exist."""
    from accounts.models import User

    tenant = Client.objects.filter(schema_name=schema).exclude(kind=Client.Kind.PUBLIC).first()
    if tenant is None:
        raise EventFailed(f"tenant {schema!r} named by Stripe customer {stripe_customer_id} does not exist")
    with schema_context(schema):
        user_exists = User.objects.filter(pk=user_id).exists()
    if not user_exists:
        raise EventFailed(f"user {user_id} does not exist in tenant {schema!r} (Stripe customer {stripe_customer_id})")
    existing = Customer.objects.filter(stripe_customer_id=stripe_customer_id).first()
    if existing is not None:
        if (existing.tenant_id, existing.user_id) != (tenant.pk, user_id):
            raise EventFailed(f"Stripe customer {stripe_customer_id} already belongs to another user")
        return existing
    try:
        with transaction.atomic():
            return Customer.objects.create(
                stripe_customer_id=stripe_customer_id, tenant=tenant, user_id=user_id, email=email or ""
            )
    except IntegrityError:
        raise EventFailed(
            f"user {user_id} in tenant {schema!r} already has another Stripe customer than {stripe_customer_id}"
        ) from None


def _customer_resolve(stripe_customer_id: str, *, metadata: Any = None) -> Customer:
    customer = Customer.objects.filter(stripe_customer_id=stripe_customer_id).first()
    if customer is not None:
        return customer
    reference = _reference(metadata)
    if reference is None:
        raise EventFailed(
            f"Stripe customer {stripe_customer_id} maps to no tenant: no checkout of theirs has been applied and the "
            "object carries no tenant metadata"
        )
    return _customer_attach(stripe_customer_id=stripe_customer_id, schema=reference[0], user_id=reference[1])


# ---------------------------------------------------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------------------------------------------------


def checkout_completed_apply(event: Mapping[str, Any]) -> str:
    """Attaches the Stripe customer to the tenant + user that started checkout. The subscription itself is written by
    its own customer.subscription.* events; any of those that arrived first (and failed) are applied again by the
    caller once this customer exists."""
    session = _object(event)
    if session.get("mode") != "subscription":
        raise EventIgnored(f"checkout mode {session.get('mode')!r} is not a subscription")
    stripe_customer_id = _text(session, "customer")
    reference = _reference(session.get("metadata"), session.get("client_reference_id"))
    if reference is None:
        raise EventFailed(f"checkout session {session.get('id')} names no tenant (metadata or client_reference_id)")
    details = session.get("customer_details") or {}
    customer = _customer_attach(
        stripe_customer_id=stripe_customer_id,
        schema=reference[0],
        user_id=reference[1],
        email=details.get("email") or "" if isinstance(details, Mapping) else "",
    )
    return f"Stripe customer {customer.stripe_customer_id} is {reference[0]}:{reference[1]}"


def subscription_event_apply(event: Mapping[str, Any]) -> str:
    obj = _object(event)
    subscription_id = _text(obj, "id")
    customer = _customer_resolve(_text(obj, "customer"), metadata=obj.get("metadata"))
    if customer.user_id is None:
        raise EventIgnored(f"Stripe customer {customer.stripe_customer_id} is an enterprise tenant (contracts)")
    items = ((obj.get("items") or {}).get("data")) or []
    price = (items[0].get("price") or {}) if items and isinstance(items[0], Mapping) else {}
    price_id = price.get("id") if isinstance(price, Mapping) else None
    if not isinstance(price_id, str):
        raise EventFailed(f"subscription {subscription_id} has no items.data[0].price.id")
    plan = Plan.objects.filter(stripe_price_id=price_id).first()
    if plan is None:
        raise EventFailed(f"no plan has Stripe price id {price_id} (subscription {subscription_id})")
    status = _STATUS.get(obj.get("status"))
    if status is None:
        raise EventFailed(f"subscription {subscription_id} has unknown status {obj.get('status')!r}")
    if event["type"] == "customer.subscription.deleted":
        status = Subscription.Status.CANCELED
    # API 2025-03-31 moved the billing period onto items; older event versions keep it on the subscription.
    period_end = _timestamp(items[0].get("current_period_end")) or _timestamp(obj.get("current_period_end"))

    row = Subscription.objects.filter(tenant_id=customer.tenant_id, user_id=customer.user_id).first()
    if row is not None:
        if row.stripe_subscription_id not in (None, subscription_id) and status not in Subscription.GRANTING:
            raise EventIgnored(f"subscription {subscription_id} was superseded by {row.stripe_subscription_id}")
        if not _is_newer(event, applied_time=row.stripe_updated, applied_event_id=row.stripe_event_id):
            raise EventIgnored(f"older than event {row.stripe_event_id} already applied to this subscription")
    before = (row.plan_id, row.status) if row is not None else None
    row = row or Subscription(tenant_id=customer.tenant_id, user_id=customer.user_id)
    row.plan = plan
    row.status = status
    row.source = Subscription.Source.STRIPE
    row.granted_until = None
    row.customer = customer
    row.stripe_subscription_id = subscription_id
    row.current_period_end = period_end
    row.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    row.stripe_updated = int(event["created"])
    row.stripe_event_id = event["id"]
    row.save()
    if before != (plan.pk, status):
        _subscription_changed_record(row, plan)
    # An invoice event may have arrived before its subscription's first event.
    Invoice.objects.filter(stripe_subscription_id=subscription_id, subscription__isnull=True).update(subscription=row)
    return f"subscription {subscription_id}: {plan.code} {status}"


def _subscription_changed_record(row: Subscription, plan: Plan) -> None:
    """The analytics event, in the subscriber's own schema and this transaction: the new status is its category."""
    from tracking.events import domain_event_record
    from tracking.models import DomainEvent

    schema = Client.objects.filter(pk=row.tenant_id).values_list("schema_name", flat=True).get()
    with schema_context(schema):
        domain_event_record(
            kind=DomainEvent.Kind.SUBSCRIPTION_CHANGED,
            actor_id=row.user_id,
            subject_id=row.pk,
            payload={"key": row.status, "plan": plan.code},
        )


def invoice_event_apply(event: Mapping[str, Any]) -> str:
    obj = _object(event)
    invoice_id = _text(obj, "id")
    parent = obj.get("parent") or {}
    details = (parent.get("subscription_details") or {}) if isinstance(parent, Mapping) else {}
    subscription_id = details.get("subscription") or obj.get("subscription")  # API >= 2025-03-31, then older
    customer = _customer_resolve(_text(obj, "customer"), metadata=details.get("metadata"))

    row = Invoice.objects.filter(stripe_invoice_id=invoice_id).first()
    if row is not None and not _is_newer(event, applied_time=row.stripe_updated, applied_event_id=row.stripe_event_id):
        raise EventIgnored(f"older than event {row.stripe_event_id} already applied to this invoice")
    status = obj.get("status") if obj.get("status") in Invoice.Status.values else Invoice.Status.OPEN
    row = row or Invoice(stripe_invoice_id=invoice_id)
    row.customer = customer
    row.stripe_subscription_id = subscription_id if isinstance(subscription_id, str) else ""
    row.subscription = (
        Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        if isinstance(subscription_id, str)
        else None
    )
    row.status = status
    row.payment_failed = event["type"] == "invoice.payment_failed"
    row.amount_due_minor = max(int(obj.get("amount_due") or 0), 0)
    row.amount_paid_minor = max(int(obj.get("amount_paid") or 0), 0)
    row.currency = str(obj.get("currency") or "").upper()[:3]
    row.hosted_invoice_url = str(obj.get("hosted_invoice_url") or "")[:500]
    row.stripe_updated = int(event["created"])
    row.stripe_event_id = event["id"]
    row.save()
    return f"invoice {invoice_id}: {status}{' (payment failed)' if row.payment_failed else ''}"
