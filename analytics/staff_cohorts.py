"""The staff dashboard's cohort tables, read from the rollups and billing (public schema): retention by sign-up week and
Free → Premium conversion by sign-up month.

A cohort is the people whose sign-up day (analytics.SignupCohort: the day they signed up, or joined an organisation)
falls in the same ISO week or calendar month (UTC). A cohort smaller than MIN_MEMBERS is counted but its shares are
not shown: with four people, a share says what each of them did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from analytics.models import SignupCohort
from analytics.staff import Scope, week_start
from billing.models import Invoice, Subscription
from portal.outcomes import MIN_MEMBERS
from tenants.models import Client

RETENTION_WEEKS = 8  # weeks +1 … +8 after the sign-up week
COHORT_WEEKS = 12  # sign-up weeks shown, the current one included
COHORT_MONTHS = 6  # sign-up months shown, the current one included
CONVERSION_TARGET = (0.20, 0.25)  # the product brief's target share of seekers who ever pay for Premium


@dataclass(frozen=True)
class RetentionRow:
    week: date  # the sign-up week's Monday
    size: int
    # Share of the cohort active in week +1 … +RETENTION_WEEKS; None while that week has not ended, and every share
    # None when the cohort is smaller than MIN_MEMBERS (`suppressed`).
    shares: tuple[float | None, ...]

    @property
    def suppressed(self) -> bool:
        return self.size < MIN_MEMBERS


# Each cohort member's distinct weeks of activity after their sign-up week, counted per cohort and week offset. The
# join reads ActiveDay rows of cohort members only, within the 8 weeks that follow each cohort.
_RETENTION = """
WITH cohort AS MATERIALIZED (
    SELECT tenant_id, user_id, day - (EXTRACT(ISODOW FROM day)::int - 1) AS week
    FROM analytics_signupcohort
    WHERE day >= %(first_week)s AND day <= %(today)s {tenant_filter}
), returned AS (
    SELECT DISTINCT c.week, c.tenant_id, c.user_id, (a.day - c.week) / 7 AS week_offset
    FROM cohort c
    JOIN analytics_activeday a
      ON a.tenant_id = c.tenant_id AND a.user_id = c.user_id
     AND a.day >= c.week + 7 AND a.day < c.week + %(horizon_days)s
)
SELECT week, NULL AS week_offset, COUNT(*) FROM cohort GROUP BY week
UNION ALL
SELECT week, week_offset, COUNT(*) FROM returned GROUP BY week, week_offset
"""


def retention_count(scope: Scope) -> list[RetentionRow]:
    """The last COHORT_WEEKS sign-up weeks (the period filter does not apply: a 7-day period holds no week +8), newest
    first, each with the share of its people active in each following week that has ended by today."""
    first_week = week_start(scope.today) - timedelta(weeks=COHORT_WEEKS - 1)
    params = {"first_week": first_week, "today": scope.today, "horizon_days": 7 * (RETENTION_WEEKS + 1)}
    tenant_filter = ""
    if scope.tenant is not None:
        tenant_filter, params["tenant"] = "AND tenant_id = %(tenant)s", scope.tenant.pk
    with connection.cursor() as cursor:
        cursor.execute(_RETENTION.format(tenant_filter=tenant_filter), params)
        counts = cursor.fetchall()
    sizes = {week: users for week, offset, users in counts if offset is None}
    returned = {(week, offset): users for week, offset, users in counts if offset is not None}
    rows = []
    for week in sorted(sizes, reverse=True):
        size = sizes[week]
        shares = tuple(
            None
            if size < MIN_MEMBERS or week + timedelta(weeks=offset, days=6) >= scope.today
            else returned.get((week, offset), 0) / size
            for offset in range(1, RETENTION_WEEKS + 1)
        )
        rows.append(RetentionRow(week=week, size=size, shares=shares))
    return rows


@dataclass(frozen=True)
class ConversionRow:
    month: date  # the sign-up month's first day
    seekers: int
    converted: int  # of them, those who ever paid for Premium

    @property
    def suppressed(self) -> bool:
        return self.seekers < MIN_MEMBERS

    @property
    def share(self) -> float | None:
        return None if self.suppressed else self.converted / self.seekers


def _ever_paid() -> Q:
    """A seeker who ever paid: a Stripe subscription active now, or any invoice with money paid. Trials, staff
    grants and subscriptions whose first payment never went through are not conversions."""
    active = Subscription.objects.filter(
        tenant_id=OuterRef("tenant_id"),
        user_id=OuterRef("user_id"),
        source=Subscription.Source.STRIPE,
        status=Subscription.Status.ACTIVE,
    )
    paid = Invoice.objects.filter(
        customer__tenant_id=OuterRef("tenant_id"), customer__user_id=OuterRef("user_id"), amount_paid_minor__gt=0
    )
    return Q(Exists(active)) | Q(Exists(paid))


def conversion_count(scope: Scope) -> tuple[list[ConversionRow], ConversionRow | None]:
    """Seekers of the consumer tenants by sign-up month (the last COHORT_MONTHS, newest first) and how many of them
    ever paid for Premium, with the total over those months. Organisations' members are left out: their contract
    pays for them. Returns no rows when the scope is one organisation."""
    first_month = scope.today.replace(day=1)
    for _month in range(COHORT_MONTHS - 1):
        first_month = (first_month - timedelta(days=1)).replace(day=1)
    seekers = SignupCohort.objects.filter(
        scope.q(), tenant__kind=Client.Kind.CONSUMER, day__gte=first_month, day__lte=scope.today
    )
    months = (
        seekers.annotate(month=TruncMonth("day"))
        .values_list("month")
        .annotate(seekers=Count("pk"), converted=Count("pk", filter=_ever_paid()))
        .order_by("-month")
    )
    rows = [ConversionRow(month=month, seekers=total, converted=converted) for month, total, converted in months]
    if not rows:
        return [], None
    total = ConversionRow(
        month=rows[-1].month, seekers=sum(row.seekers for row in rows), converted=sum(row.converted for row in rows)
    )
    return rows, total
