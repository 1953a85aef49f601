"""The staff dashboard's reads from the rollups (public schema): sign-ups, active users, prediction volume, metered API
calls and how fresh the counts are. Never the events themselves (tracking_domainevent): those are the rollups' source,
ten million rows and more, and a page that scanned them would slow down as CVPlus grows.

Days are UTC days, as the rollups count them. A scope is every tenant (but the public site) or one, over the last 7,
30 or 90 days ending today. Cohort tables (retention, conversion) are in analytics/staff_cohorts.py; figures read from
the tenants' own tables (latency percentiles, error rates) in analytics/staff_health.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from analytics.models import DailyActiveUsers, DailyRollup, RollupCursor
from billing.models import ApiUsageDay
from tenants.models import Client
from tracking.models import DomainEvent

PERIODS_DAYS = (7, 30, 90)
DEFAULT_PERIOD_DAYS = 30
SIGNUP_KINDS = (DomainEvent.Kind.USER_SIGNED_UP, DomainEvent.Kind.MEMBER_JOINED)
WEEK_DAYS = 7
MONTH_DAYS = 30


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def week_start(day: date) -> date:
    """The Monday of the day's ISO week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Scope:
    """What the dashboard reads: `tenants` (every tenant but the public site, or the one chosen as `tenant`) over the
    `days` days ending `today` (UTC). `choices` are every tenant that could be chosen."""

    tenants: tuple[Client, ...]
    tenant: Client | None
    days: int
    today: date
    choices: tuple[Client, ...] = ()

    @property
    def start(self) -> date:
        return self.today - timedelta(days=self.days - 1)

    @cached_property
    def day_list(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def schemas(self) -> list[str]:
        return [tenant.schema_name for tenant in self.tenants if tenant.is_ready]

    def q(self, prefix: str = "") -> Q:
        """The tenant filter for a query on a table with a `tenant` column (`prefix` for a related one)."""
        return Q(**{f"{prefix}tenant_id": self.tenant.pk}) if self.tenant is not None else Q()


def scope_make(*, tenant_id: int | None, days: int, today: date | None = None) -> Scope:
    """The scope for the page's filters. An unknown tenant id or period falls back to every tenant and 30 days (a
    staff page: there is nothing to hide by failing, and nothing is shown that staff could not choose)."""
    tenants = tuple(Client.objects.exclude(kind=Client.Kind.PUBLIC).order_by("name", "pk"))
    chosen = next((tenant for tenant in tenants if tenant.pk == tenant_id), None)
    return Scope(
        tenants=(chosen,) if chosen is not None else tenants,
        tenant=chosen,
        days=days if days in PERIODS_DAYS else DEFAULT_PERIOD_DAYS,
        today=today or utc_today(),
        choices=tenants,
    )


def scope_rows(scope: Scope, sql: str, params: dict, *, tenant_column: str = "tenant_id") -> list[tuple]:
    """The rows of `sql` for the scope: its `{tenant_filter}` slot becomes nothing (every tenant) or the chosen
    tenant's condition on `tenant_column`."""
    tenant_filter = ""
    if scope.tenant is not None:
        tenant_filter, params = f"AND {tenant_column} = %(tenant)s", params | {"tenant": scope.tenant.pk}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(tenant_filter=tenant_filter), params)
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------------------------------------
# Sign-ups
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignupCount:
    signed_up: int = 0  # seekers who created an account (user.signed_up)
    joined: int = 0  # members who joined an organisation (member.joined)

    @property
    def total(self) -> int:
        return self.signed_up + self.joined

    def __add__(self, other: SignupCount) -> SignupCount:
        return SignupCount(self.signed_up + other.signed_up, self.joined + other.joined)


@dataclass
class SignupFigures:
    by_day: dict[date, SignupCount] = field(default_factory=dict)
    by_week: dict[date, SignupCount] = field(default_factory=dict)  # week's Monday -> count within the period
    by_tenant: dict[int, SignupCount] = field(default_factory=dict)
    total: SignupCount = field(default_factory=SignupCount)


def signups_count(scope: Scope) -> SignupFigures:
    """Sign-ups and organisation joins per day, per week and per tenant over the period (DailyRollup)."""
    rows = (
        DailyRollup.objects.filter(scope.q(), kind__in=SIGNUP_KINDS, day__range=(scope.start, scope.today))
        .values_list("tenant_id", "day", "kind")
        .annotate(events=Sum("count"))
    )
    figures = SignupFigures(by_day={day: SignupCount() for day in scope.day_list})
    by_week: dict[date, SignupCount] = defaultdict(SignupCount)
    by_tenant: dict[int, SignupCount] = defaultdict(SignupCount)
    for tenant_id, day, kind, events in rows:
        count = SignupCount(signed_up=events) if kind == DomainEvent.Kind.USER_SIGNED_UP else SignupCount(joined=events)
        figures.by_day[day] += count
        by_week[week_start(day)] += count
        by_tenant[tenant_id] += count
        figures.total += count
    figures.by_week = {week: by_week[week] for week in sorted({week_start(day) for day in scope.day_list})}
    figures.by_tenant = dict(by_tenant)
    return figures


# ---------------------------------------------------------------------------------------------------------------------
# Active users
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActiveCount:
    daily: int  # distinct users active today (so far)
    weekly: int  # in the last 7 days, today included
    monthly: int  # in the last 30 days, today included


@dataclass
class ActiveFigures:
    by_tenant: dict[int, ActiveCount]
    total: ActiveCount
    by_day: dict[date, int]  # distinct users active each day of the period


# Weekly and monthly active users per tenant as of today: the users whose last active day falls in the month
# (UserActivity, one row per person), and the rare user whose last active day lies after today counted from their
# ActiveDay rows in the month (their latest one, NULL when none).
_WEEK_AND_MONTH = """
SELECT tenant_id, COUNT(*) FILTER (WHERE last_day > %(week_after)s), COUNT(*)
FROM (
    SELECT tenant_id, last_day FROM analytics_useractivity
    WHERE last_day > %(month_after)s AND last_day <= %(today)s {tenant_filter}
    UNION ALL
    SELECT u.tenant_id, (
        SELECT MAX(a.day) FROM analytics_activeday a
        WHERE a.tenant_id = u.tenant_id AND a.user_id = u.user_id AND a.day > %(month_after)s AND a.day <= %(today)s
    )
    FROM analytics_useractivity u WHERE u.last_day > %(today)s {tenant_filter}
) AS recent (tenant_id, last_day)
WHERE last_day IS NOT NULL
GROUP BY tenant_id
"""


def active_users_count(scope: Scope) -> ActiveFigures:
    """Daily, weekly and monthly active users per tenant as of today, and daily active users over the period. Read
    from the people rollups (DailyActiveUsers per tenant and day, UserActivity per person), which count ActiveDay rows
    exactly: one per tenant, day and user. A user id names a person only inside their tenant: totals add tenants'
    counts, never compare ids across them."""
    today = scope.today
    params = {
        "today": today,
        "week_after": today - timedelta(days=WEEK_DAYS),
        "month_after": today - timedelta(days=MONTH_DAYS),
    }
    week_and_month = scope_rows(scope, _WEEK_AND_MONTH, params)
    series = DailyActiveUsers.objects.filter(scope.q(), day__range=(scope.start, today)).values_list(
        "tenant_id", "day", "users"
    )
    by_day = dict.fromkeys(scope.day_list, 0)
    daily: dict[int, int] = defaultdict(int)
    for tenant_id, day, users in series:
        by_day[day] += users
        if day == today:
            daily[tenant_id] = users
    by_tenant = {
        tenant_id: ActiveCount(daily[tenant_id], weekly, monthly) for tenant_id, weekly, monthly in week_and_month
    }
    total = ActiveCount(
        daily=sum(c.daily for c in by_tenant.values()),
        weekly=sum(c.weekly for c in by_tenant.values()),
        monthly=sum(c.monthly for c in by_tenant.values()),
    )
    return ActiveFigures(by_tenant=by_tenant, total=total, by_day=by_day)


# ---------------------------------------------------------------------------------------------------------------------
# Predictions and metered API calls
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PredictionVolume:
    kind: str
    served: int
    mean_latency_ms: float | None  # the rollups' sum of latencies over their count, for the period


@dataclass
class PredictionFigures:
    by_kind: list[PredictionVolume]
    by_day: dict[str, dict[date, int]]  # kind -> day -> served


def predictions_count(scope: Scope) -> PredictionFigures:
    """Predictions served per model kind over the period, per day, with their mean latency (DailyRollup
    prediction.served: one event per prediction log row, its value the latency in ms)."""
    rows = (
        DailyRollup.objects.filter(
            scope.q(), kind=DomainEvent.Kind.PREDICTION_SERVED, day__range=(scope.start, scope.today)
        )
        .values_list("key", "day")
        .annotate(served=Sum("count"), latency_ms=Sum("total"))
    )
    by_day: dict[str, dict[date, int]] = {}
    served: dict[str, int] = defaultdict(int)
    latency_ms: dict[str, float] = defaultdict(float)
    for kind, day, count, latency in rows:
        by_day.setdefault(kind, dict.fromkeys(scope.day_list, 0))[day] = count
        served[kind] += count
        latency_ms[kind] += latency
    by_kind = [
        PredictionVolume(kind, served[kind], latency_ms[kind] / served[kind] if served[kind] else None)
        for kind in sorted(served, key=lambda kind: (-served[kind], kind))
    ]
    return PredictionFigures(by_kind=by_kind, by_day={kind: by_day[kind] for kind in sorted(by_day)})


@dataclass(frozen=True)
class ApiCalls:
    label: str
    calls: int


@dataclass
class ApiFigures:
    by_licensee: list[ApiCalls]  # billing's metering (ApiUsageDay): what licensees are billed for
    by_key: list[tuple[int, ApiCalls]]  # (tenant id, calls) from the tenants' api.metered rollups


def api_calls_count(scope: Scope) -> ApiFigures:
    """Calls per licensee over the period from billing's own daily usage (licensees are not tenants: the tenant filter
    does not apply), and calls recorded as api.metered events in the tenants' streams, per tenant and key."""
    licensees = (
        ApiUsageDay.objects.filter(day__range=(scope.start, scope.today))
        .values_list("licensee__name")
        .annotate(calls=Sum("calls"))
        .order_by("-calls", "licensee__name")
    )
    metered = (
        DailyRollup.objects.filter(scope.q(), kind=DomainEvent.Kind.API_METERED, day__range=(scope.start, scope.today))
        .values_list("tenant_id", "key")
        .annotate(calls=Sum("total"))
        .order_by("-calls", "tenant_id", "key")
    )
    return ApiFigures(
        by_licensee=[ApiCalls(name, calls) for name, calls in licensees],
        by_key=[(tenant_id, ApiCalls(key, round(calls))) for tenant_id, key, calls in metered],
    )


# ---------------------------------------------------------------------------------------------------------------------
# Freshness
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Freshness:
    oldest: datetime | None  # the stalest tenant's last advance: every count is at least this fresh
    newest: datetime | None
    never_counted: int  # tenants in scope whose events were never counted


def freshness_read(scope: Scope) -> Freshness:
    """How fresh the rollups are: each tenant's cursor records when its counts last advanced."""
    cursors = RollupCursor.objects.filter(scope.q(), advanced_at__isnull=False).aggregate(
        oldest=Min("advanced_at"), newest=Max("advanced_at"), counted=Count("pk")
    )
    return Freshness(
        oldest=cursors["oldest"],
        newest=cursors["newest"],
        never_counted=max(len(scope.schemas) - cursors["counted"], 0),
    )
