"""The seeker plans a tenant host offers on its pricing page: each plan's price in the currency it is charged in,
the saving a yearly plan gives over twelve months of the monthly plan of the same kind and currency (computed from
the plans' own prices, never typed in), and whether it can be bought now or only waited for.

Plans are charged in their own currency (Stripe's price has one). A workspace's currency (``Client.currency``) picks
the plans charged in it when staff created some (e.g. ``premium-monthly-eur`` with a EUR Stripe price); without any,
the catalogue's plans are shown in their own currency and the page says so rather than converting at a made-up rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from billing.entitlements import PlanView, plan_for
from billing.models import PaymentWaitlistEntry, Plan
from billing.money import price_format
from billing.stripe_client import billing_configured
from tenants.context import current_tenant

SEEKER_PLAN_KINDS = (Plan.Kind.FREE, Plan.Kind.PREMIUM)


@dataclass(frozen=True)
class YearlySaving:
    amount: str  # formatted with its currency in the active language
    percent: int  # of twelve monthly payments, rounded down
    monthly_total: str  # what twelve monthly payments cost, formatted


@dataclass(frozen=True)
class PlanOffer:
    code: str
    kind: str
    name: str
    description: str
    price: str  # formatted in the plan's currency, in the active language
    currency: str
    interval: str  # "monthly", "yearly" or "" (translated)
    is_current: bool
    can_checkout: bool  # a paid plan with a Stripe price, while billing is configured
    can_wait: bool  # a paid plan that cannot be bought online here (no Stripe, or no Stripe price): a waiting list
    on_waitlist: bool
    yearly_saving: YearlySaving | None = None


@dataclass(frozen=True)
class Offers:
    plans: list[PlanOffer]
    workspace_currency: str
    charged_currency: str  # the currency the paid plans shown are charged in ("" when none is on sale)

    @property
    def in_workspace_currency(self) -> bool:
        return not self.charged_currency or self.charged_currency == self.workspace_currency


def yearly_saving(*, monthly_minor: int, yearly_minor: int, currency: str) -> YearlySaving | None:
    """What paying yearly saves over twelve monthly payments; None when it saves nothing."""
    twelve = monthly_minor * 12
    saved = twelve - yearly_minor
    if monthly_minor <= 0 or saved <= 0:
        return None
    return YearlySaving(
        amount=price_format(saved, currency),
        percent=saved * 100 // twelve,
        monthly_total=price_format(twelve, currency),
    )


def _plans_for_currency(currency: str) -> tuple[list[Plan], str]:
    """The active seeker plans charged in ``currency``, else those of the catalogue's currency (the one most paid
    plans use), with the currency the paid ones are charged in."""
    plans = list(Plan.objects.filter(is_active=True, kind__in=SEEKER_PLAN_KINDS))
    paid = [plan for plan in plans if plan.kind == Plan.Kind.PREMIUM]
    if not paid:
        return plans, ""
    currencies = [plan.currency.upper() for plan in paid]
    charged = currency.upper() if currency.upper() in currencies else max(set(currencies), key=currencies.count)
    return [plan for plan in plans if plan.kind == Plan.Kind.FREE or plan.currency.upper() == charged], charged


def _savings(plans: list[Plan]) -> dict[str, YearlySaving]:
    monthly = {(plan.kind, plan.currency.upper()): plan for plan in plans if plan.interval == Plan.Interval.MONTH}
    savings = {}
    for plan in plans:
        if plan.interval != Plan.Interval.YEAR:
            continue
        month = monthly.get((plan.kind, plan.currency.upper()))
        if month is None:
            continue
        saving = yearly_saving(monthly_minor=month.price_minor, yearly_minor=plan.price_minor, currency=plan.currency)
        if saving is not None:
            savings[plan.code] = saving
    return savings


def plan_offers(*, user, current: PlanView | None = None) -> Offers:
    """The seeker plans on sale (Free and Premium) in the workspace's currency where staff priced them in it, in
    catalogue order, with the user's current one marked and the yearly saving computed. Must run in a tenant schema."""
    current = current or plan_for(user)
    tenant = current_tenant()
    configured = billing_configured()
    plans, charged = _plans_for_currency(tenant.currency)
    savings = _savings(plans)
    waiting = set()
    if user is not None and user.is_authenticated:
        waiting = set(
            PaymentWaitlistEntry.objects.filter(tenant=tenant, user_id=user.pk).values_list("plan__code", flat=True)
        )
    offers = []
    for plan in plans:
        is_current = plan.code == current.code
        paid = plan.kind == Plan.Kind.PREMIUM and not is_current
        can_checkout = configured and paid and bool(plan.stripe_price_id)
        # Free costs nothing in any currency: shown in the workspace's.
        currency = tenant.currency if plan.kind == Plan.Kind.FREE else plan.currency
        offers.append(
            PlanOffer(
                code=plan.code,
                kind=plan.kind,
                name=str(plan.name),
                description=str(plan.description),
                price=price_format(plan.price_minor, currency),
                currency=currency.upper(),
                interval=str(Plan.Interval(plan.interval).label) if plan.interval else "",
                is_current=is_current,
                can_checkout=can_checkout,
                can_wait=paid and not can_checkout,
                on_waitlist=plan.code in waiting,
                yearly_saving=savings.get(plan.code),
            )
        )
    return Offers(plans=offers, workspace_currency=tenant.currency.upper(), charged_currency=charged)
