"""The staff dashboard's cohort tables, read from the rollups and billing (public schema): retention by sign-up week and
Free → Premium conversion by sign-up month.

A cohort is the people whose sign-up day (analytics.SignupCohort: the day they signed up, or joined an organisation)
falls in the same ISO week or calendar month (UTC). A cohort smaller than MIN_MEMBERS is counted but its shares are
not shown: with four people, a share says what each of them did.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.models import SignupCohort
from analytics.staff import Scope, scope_rows, week_start
from billing.models import Subscription
from portal.outcomes import MIN_MEMBERS
from tenants.models import Client

RETENTION_WEEKS = SignupCohort.RETAINED_WEEKS  # weeks +1 … +8 after the sign-up week
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


# The cohorts' sizes and their people's retained weeks (SignupCohort.retained_weeks: bit k-1 set when active in week
# +k), one row per sign-up week and pattern of weeks: at most 12 × 256 rows, whatever the number of people.
_RETENTION = """
SELECT day - (EXTRACT(ISODOW FROM day)::int - 1) AS week, retained_weeks, COUNT(*)
FROM analytics_signupcohort
WHERE day >= %(first_week)s AND day <= %(today)s {tenant_filter}
GROUP BY 1, 2
"""


def retention_count(scope: Scope) -> list[RetentionRow]:
    """The last COHORT_WEEKS sign-up weeks (the period filter does not apply: a 7-day period holds no week +8), newest
    first, each with the share of its people active in each following week that has ended by today."""
    first_week = week_start(scope.today) - timedelta(weeks=COHORT_WEEKS - 1)
    counts = scope_rows(scope, _RETENTION, {"first_week": first_week, "today": scope.today})
    sizes: dict[date, int] = defaultdict(int)
    returned: dict[tuple[date, int], int] = defaultdict(int)
    for week, retained_weeks, users in counts:
        sizes[week] += users
        for offset in range(1, RETENTION_WEEKS + 1):
            if retained_weeks & (1 << (offset - 1)):
                returned[(week, offset)] += users
    rows = []
    for week in sorted(sizes, reverse=True):
        size = sizes[week]
        shares = tuple(
            None
            if size < MIN_MEMBERS or week + timedelta(weeks=offset, days=6) >= scope.today
            else returned[(week, offset)] / size
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


# Seekers of consumer tenants by sign-up month, and of them those who ever paid: a Stripe subscription active now, or
# any invoice with money paid. Trials, staff grants and subscriptions whose first payment never went through are not
# conversions. The payers are few next to the seekers: gathered once, then joined (not looked up per seeker).
_CONVERSION = """
WITH paid AS (
    SELECT tenant_id, user_id FROM billing_subscription WHERE source = %(stripe)s AND status = %(active)s
    UNION
    SELECT c.tenant_id, c.user_id FROM billing_invoice i JOIN billing_customer c ON c.id = i.customer_id
    WHERE i.amount_paid_minor > 0 AND c.user_id IS NOT NULL
)
SELECT date_trunc('month', s.day)::date AS month, COUNT(*), COUNT(p.user_id)
FROM analytics_signupcohort s
JOIN tenants_client t ON t.id = s.tenant_id AND t.kind = %(consumer)s
LEFT JOIN paid p ON p.tenant_id = s.tenant_id AND p.user_id = s.user_id
WHERE s.day >= %(first_month)s AND s.day <= %(today)s {tenant_filter}
GROUP BY 1 ORDER BY 1 DESC
"""


def conversion_count(scope: Scope) -> tuple[list[ConversionRow], ConversionRow | None]:
    """Seekers of the consumer tenants by sign-up month (the last COHORT_MONTHS, newest first) and how many of them
    ever paid for Premium, with the total over those months. Organisations' members are left out: their contract
    pays for them. Returns no rows when the scope is one organisation."""
    first_month = scope.today.replace(day=1)
    for _month in range(COHORT_MONTHS - 1):
        first_month = (first_month - timedelta(days=1)).replace(day=1)
    params = {
        "stripe": Subscription.Source.STRIPE,
        "active": Subscription.Status.ACTIVE,
        "consumer": Client.Kind.CONSUMER,
        "first_month": first_month,
        "today": scope.today,
    }
    months = scope_rows(scope, _CONVERSION, params, tenant_column="s.tenant_id")
    rows = [ConversionRow(month=month, seekers=total, converted=converted) for month, total, converted in months]
    if not rows:
        return [], None
    total = ConversionRow(
        month=rows[-1].month, seekers=sum(row.seekers for row in rows), converted=sum(row.converted for row in rows)
    )
    return rows, total
