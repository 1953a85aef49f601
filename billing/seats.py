"""Enterprise seats: how many a tenant's contract in force pays for, how many are used (the tenant's members), and
the refusal when one more member would pass the limit. Without a contract in force no limit applies (a tenant being
set up, or one paying outside a per-seat contract)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from billing.models import Contract

SEAT_LIMIT = "seat_limit"


@dataclass(frozen=True)
class Seats:
    total: int | None  # None: no contract in force, no limit
    used: int

    @property
    def free(self) -> int | None:
        return None if self.total is None else max(self.total - self.used, 0)


def contract_in_force(schema: str) -> Contract | None:
    today = timezone.localdate()
    return (
        Contract.objects.filter(tenant__schema_name=schema, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )


def _seats_used() -> int:
    from accounts.models import User

    return User.objects.filter(is_staff=False, is_active=True, role=User.Role.MEMBER).count()


def seats_for_current_tenant() -> Seats:
    """Seats of the tenant whose schema is active. A seat is an active member (a job seeker in the programme); the
    organisation's own administrators, coaches and analysts, and CVPlus staff, take none."""
    schema = connection.schema_name
    contract = contract_in_force(schema) if schema != get_public_schema_name() else None
    return Seats(total=contract.seats if contract else None, used=_seats_used())


def seats_used_by(client) -> int | None:
    """Seats `client` uses now, counted in its schema (read-only), for staff pages on the public host; None when the
    tenant has no schema to count in (being set up, or erased)."""
    if not client.is_ready:
        return None
    with schema_context(client.schema_name):
        return _seats_used()


def seat_require() -> None:
    """Raises a ValidationError naming the limit when the current enterprise tenant has no free seat. Call it inside
    the transaction that creates the member: a per-tenant advisory lock, held until that transaction ends, makes two
    concurrent creations count one after the other."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cvplus-seats:{connection.schema_name}"])
    seats = seats_for_current_tenant()
    if seats.free is not None and seats.free <= 0:
        raise ValidationError(
            _("All %(total)s seats of your organisation's contract are taken; ask CVPlus to add seats.")
            % {"total": seats.total},
            code=SEAT_LIMIT,
        )


def contract_seats_sync(contract: Contract) -> bool:
    """Sets the Stripe subscription's quantity to the contract's seats (when the contract is billed through Stripe
    and billing is configured). Returns whether Stripe was called."""
    from billing.stripe_client import billing_configured, stripe_client

    if not contract.stripe_subscription_id or not billing_configured():
        return False
    client = stripe_client()
    subscription = client.v1.subscriptions.retrieve(contract.stripe_subscription_id)
    item = subscription["items"]["data"][0]
    client.v1.subscriptions.update(
        contract.stripe_subscription_id,
        params={"items": [{"id": item["id"], "quantity": contract.seats}], "proration_behavior": "create_prorations"},
    )
    return True
