"""What an enterprise host shows instead of the consumer Free/Premium page: the organisation's programme.

Everyone in the organisation (members, coaches, analysts, administrators) sees whether a contract is in force and
the features it includes, as words. Its administrators also see the contract itself: seats used and total, its term
and the price per seat in the contract's currency, formatted in the page's language; without a contract in force,
who to contact at CVPlus, and when the last contract ended or the next one starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from billing.entitlements import plan_for
from billing.models import Contract, Feature
from billing.money import price_format
from billing.seats import Seats, seats_for_current_tenant
from tenants.context import current_tenant


@dataclass(frozen=True)
class ContractTerms:
    """What an organisation's administrators read about their contract."""

    seats: Seats
    starts_on: date
    ends_on: date
    price_per_seat: str  # formatted with its currency in the active language, e.g. "12,50 EUR"
    currency: str


@dataclass(frozen=True)
class OrganisationPlan:
    organisation: str
    in_force: bool
    features: list[str]  # translated labels, in Feature's order
    is_administrator: bool
    terms: ContractTerms | None = None  # administrators, with a contract in force
    last_ended_on: date | None = None  # administrators, without one: the last contract's end
    next_starts_on: date | None = None  # administrators, without one: a signed contract still to start
    contact_email: str = ""  # administrators: who at CVPlus sets up, renews or changes contracts


def _is_administrator(user) -> bool:
    return bool(user is not None and user.is_authenticated and not user.is_staff and user.is_administrator)


def organisation_plan_for(*, user) -> OrganisationPlan:
    """The current enterprise tenant's programme as `user` may read it (anonymous visitors and members: whether a
    contract is in force and its features; administrators: the contract's terms too). Runs in a tenant schema."""
    tenant = current_tenant()
    plan = plan_for(user)
    features = [str(label) for code, label in Feature.choices if code in plan.features]
    if not _is_administrator(user):
        return OrganisationPlan(tenant.name, plan.has_contract, features, is_administrator=False)
    today = timezone.localdate()
    contracts = Contract.objects.filter(tenant=tenant)
    contract = contracts.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
    if contract is None:
        last = contracts.filter(ends_on__lt=today).order_by("-ends_on").values_list("ends_on", flat=True).first()
        upcoming = contracts.filter(starts_on__gt=today).order_by("starts_on").values_list("starts_on", flat=True)
        return OrganisationPlan(
            tenant.name,
            False,
            features,
            is_administrator=True,
            last_ended_on=last,
            next_starts_on=upcoming.first(),
            contact_email=settings.ENTERPRISE_CONTACT_EMAIL,
        )
    terms = ContractTerms(
        seats=seats_for_current_tenant(),
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        price_per_seat=price_format(contract.price_per_seat_minor, contract.currency),
        currency=contract.currency,
    )
    return OrganisationPlan(
        tenant.name,
        True,
        features,
        is_administrator=True,
        terms=terms,
        contact_email=settings.ENTERPRISE_CONTACT_EMAIL,
    )
