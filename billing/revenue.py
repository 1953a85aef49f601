"""Revenue for staff: monthly recurring revenue by stream, active subscriptions, churn and failed payments over a
period, and consulting entered by hand. Amounts stay in their own currency (no exchange rate is invented): every
figure is a sum per currency.

- Premium: every Stripe subscription that grants today (active, trial, past due), a yearly price counted as 1/12
  a month. Staff grants are not revenue and are counted apart.
- Enterprise: seats x price per seat of every contract in force today.
- API: the monthly price of each active licensee's plan (when licensees exist).
- Consulting: each engagement in force today, its amount spread evenly over its months.
- Churn in the period: Stripe subscriptions that became cancelled in it, over those granting at its start
  (approximated as granting now plus cancelled in the period, since the status history lives in the event store).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from billing.models import ConsultingEngagement, Contract, Invoice, Plan, Subscription

STREAMS = ("premium", "enterprise", "api", "consulting")


@dataclass
class RevenueReport:
    period_start: date
    period_end: date
    mrr: dict[str, dict[str, int]] = field(default_factory=dict)  # stream -> currency -> minor units a month
    active_subscriptions: int = 0
    staff_grants: int = 0
    cancelled_in_period: int = 0
    churn_rate: float | None = None  # None when nothing was granting at the start
    failed_payments: int = 0
    consulting: list[ConsultingEngagement] = field(default_factory=list)

    def total_by_currency(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for by_currency in self.mrr.values():
            for currency, amount in by_currency.items():
                totals[currency] += amount
        return dict(totals)


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


def _monthly(plan: Plan) -> int:
    return round(plan.price_minor / 12) if plan.interval == Plan.Interval.YEAR else plan.price_minor


def revenue_report(*, period_days: int = 30, today: date | None = None) -> RevenueReport:
    """The report for the `period_days` days ending today. Runs in the public schema (billing's tables)."""
    today = today or timezone.localdate()
    start = today - timedelta(days=period_days)
    report = RevenueReport(period_start=start, period_end=today)
    mrr: dict[str, dict[str, int]] = {stream: defaultdict(int) for stream in STREAMS}

    # Counted per plan, not loaded per subscription: a handful of plans, however many subscribers.
    granting = (
        Subscription.objects.filter(source=Subscription.Source.STRIPE, status__in=Subscription.GRANTING)
        .values_list("plan_id")
        .annotate(subscriptions=Count("pk"))
        .order_by()
    )
    subscriptions_by_plan = dict(granting)
    for plan in Plan.objects.filter(pk__in=subscriptions_by_plan):
        mrr["premium"][plan.currency] += _monthly(plan) * subscriptions_by_plan[plan.pk]
    report.active_subscriptions = sum(subscriptions_by_plan.values())
    report.staff_grants = Subscription.objects.filter(source=Subscription.Source.STAFF).count()

    for contract in Contract.objects.filter(starts_on__lte=today, ends_on__gte=today):
        mrr["enterprise"][contract.currency] += contract.seats * contract.price_per_seat_minor

    licensee_model = apps.get_model("billing", "Licensee") if _has_model("Licensee") else None
    if licensee_model is not None:
        for licensee in licensee_model.objects.select_related("plan").filter(is_active=True):
            mrr["api"][licensee.plan.currency] += _monthly(licensee.plan)

    report.consulting = list(ConsultingEngagement.objects.filter(starts_on__lte=today, ends_on__gte=today))
    for engagement in report.consulting:
        mrr["consulting"][engagement.currency] += round(
            engagement.amount_minor / _months(engagement.starts_on, engagement.ends_on)
        )

    report.mrr = {stream: dict(by_currency) for stream, by_currency in mrr.items()}
    report.cancelled_in_period = Subscription.objects.filter(
        source=Subscription.Source.STRIPE, status=Subscription.Status.CANCELED, updated_at__date__gt=start
    ).count()
    at_start = report.active_subscriptions + report.cancelled_in_period
    report.churn_rate = report.cancelled_in_period / at_start if at_start else None
    report.failed_payments = Invoice.objects.filter(payment_failed=True, updated_at__date__gt=start).count()
    return report


def _has_model(name: str) -> bool:
    try:
        apps.get_model("billing", name)
    except LookupError:
        return False
    return True
