"""The organisation dashboard (issue 14, item 2), for an organisation's administrators, coaches and analysts: live
activity from the event rollups, engagement from the days members were active, and the funnel by coach and by cohort
from the cohort outcomes' own machinery (portal/outcomes_report.py). Aggregates only: no member is named, and a figure
from fewer than five members reads "fewer than 5" (portal.outcomes.MIN_MEMBERS).

Reads rollups (public schema, filtered by the current tenant) and small per-member tables; never the domain events.

Who counts: a coach's figures are those of the members they reach (portal.access.members_visible: their own members,
or everyone when the organisation's settings say so); administrators and analysts see the whole organisation's. The
live activity is the whole organisation's for everyone: the rollups count events per tenant, with no person in them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Max, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.models import ActiveDay, DailyRollup, EventRollup, RollupCursor
from portal import access
from portal.models import Membership
from portal.outcomes import MIN_MEMBERS
from portal.outcomes_queries import COACH, COHORT, OutcomeFilters, coach_names, cohort_names
from portal.outcomes_report import ALL, NONE, Report, funnel_reports
from tenants.context import current_tenant
from tracking.models import DomainEvent

LIVE_HOURS = 24
WEEK_DAYS = 7


def figures_reach(viewer: User) -> QuerySet[User] | None:
    """The members whose figures `viewer` sees; None for the whole organisation (administrators and analysts)."""
    if viewer.role == User.Role.COACH:
        return access.members_visible(viewer)
    return None


# ---------------------------------------------------------------------------------------------------------------------
# Live activity
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    this_hour: int
    previous_hour: int
    today: int


@dataclass(frozen=True)
class LiveActivity:
    hour: datetime.datetime  # the start of the current hour (UTC): "this hour" counts from it
    kinds: list[KindCount]
    hours: list[tuple[datetime.datetime, int]]  # every event per hour, the last LIVE_HOURS hours, oldest first
    counted_at: datetime.datetime | None  # when the rollups last counted this organisation's events

    @property
    def last_day_total(self) -> int:
        return sum(count for _hour, count in self.hours)

    @property
    def busiest(self) -> tuple[datetime.datetime, int] | None:
        best = max(self.hours, key=lambda pair: pair[1], default=None)
        return best if best and best[1] else None


def _kind_label(kind: str) -> str:
    try:
        return str(DomainEvent.Kind(kind).label)
    except ValueError:  # a kind added after this page: its code rather than nothing
        return kind


def live_activity(*, now: datetime.datetime | None = None) -> LiveActivity:
    """Events of the current organisation by kind: this hour, the hour before and today (UTC), and per hour over the
    last day. Three small queries on the rollups."""
    tenant = current_tenant()
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    first = hour - datetime.timedelta(hours=LIVE_HOURS - 1)
    hourly = (
        EventRollup.objects.filter(tenant=tenant, hour__gte=first, hour__lte=hour)
        .values_list("kind", "hour")
        .annotate(events=Sum("count"))
        .order_by()
    )
    per_hour: dict[datetime.datetime, int] = defaultdict(int)
    this_hour: dict[str, int] = defaultdict(int)
    previous_hour: dict[str, int] = defaultdict(int)
    for kind, at, events in hourly:
        per_hour[at] += events
        if at == hour:
            this_hour[kind] += events
        elif at == hour - datetime.timedelta(hours=1):
            previous_hour[kind] += events
    today = dict(
        DailyRollup.objects.filter(tenant=tenant, day=now.date())
        .values_list("kind")
        .annotate(events=Sum("count"))
        .order_by()
    )
    kinds = sorted(set(today) | set(this_hour) | set(previous_hour))
    counts = [KindCount(k, _kind_label(k), this_hour[k], previous_hour[k], today.get(k, 0)) for k in kinds]
    counts.sort(key=lambda count: (-count.today, count.label.casefold()))
    starts = [first + datetime.timedelta(hours=i) for i in range(LIVE_HOURS)]
    hours = [(start, per_hour[start]) for start in starts]
    counted_at = RollupCursor.objects.filter(tenant=tenant).values_list("advanced_at", flat=True).first()
    return LiveActivity(hour=hour, kinds=counts, hours=hours, counted_at=counted_at)


# ---------------------------------------------------------------------------------------------------------------------
# Engagement
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EngagementRow:
    key: str
    label: str
    members: int
    this_week: int | None  # None: fewer than MIN_MEMBERS (or the group is)
    last_week: int | None

    @property
    def suppressed(self) -> bool:
        return self.members < MIN_MEMBERS

    def share(self, active: int | None) -> float | None:
        return None if active is None or not self.members else active / self.members


@dataclass(frozen=True)
class Engagement:
    this_week: tuple[datetime.date, datetime.date]  # first and last day (UTC)
    last_week: tuple[datetime.date, datetime.date]
    by_cohort: list[EngagementRow]  # "everyone" first
    by_coach: list[EngagementRow]


def _shown(count: int, members: int) -> int | None:
    return count if members >= MIN_MEMBERS and count >= MIN_MEMBERS else None


def _engagement_rows(rows: list[tuple], index: int, labels: dict[str, str], none_label: str) -> list[EngagementRow]:
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        for key in (ALL, NONE if row[index] is None else str(row[index])):
            groups[key][0] += 1
            groups[key][1] += row[2]
            groups[key][2] += row[3]
    everyone = groups.pop(ALL, [0, 0, 0])
    found = [
        EngagementRow(
            ALL, _("Everyone"), everyone[0], _shown(everyone[1], everyone[0]), _shown(everyone[2], everyone[0])
        )
    ]
    named = {key: none_label if key == NONE else labels.get(key, key) for key in groups}
    for key in sorted(groups, key=lambda key: (key == NONE, named[key].casefold())):
        members, this_week, last_week = groups[key]
        found.append(EngagementRow(key, named[key], members, _shown(this_week, members), _shown(last_week, members)))
    return found


def _active_weeks(tenant, *, week_start: datetime.date, last_start: datetime.date, today: datetime.date) -> dict:
    """{user id: (active in the last 7 days, active in the 7 before)} for everyone of `tenant` active in the last 14
    days: one range scan of the rollups' (tenant, day, user) index, grouped by user."""
    rows = (
        ActiveDay.objects.filter(tenant=tenant, day__gte=last_start, day__lte=today)
        .values("user_id")
        .annotate(
            this_week=Max(Case(When(day__gte=week_start, then=1), default=0)),
            last_week=Max(Case(When(day__lt=week_start, then=1), default=0)),
        )
        .order_by()
        .values_list("user_id", "this_week", "last_week")
    )
    return {user_id: (this_week, last_week) for user_id, this_week, last_week in rows}


def engagement(
    *,
    reach: QuerySet[User] | None,
    today: datetime.date | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> Engagement:
    """Active members (with an active membership) who did anything in the last 7 days (today and the 6 before, UTC)
    and in the 7 days before those, per cohort and per coach. Two queries whatever the number of members: the
    memberships, and the days the rollups (analytics.ActiveDay) saw them active, grouped by user. `labels`: the
    names of the cohorts and coaches ({COHORT: {key: name}, COACH: {…}}), e.g. from the funnel's groups; read (two
    more queries) when not given."""
    tenant = current_tenant()
    today = today or timezone.now().date()
    week_start = today - datetime.timedelta(days=WEEK_DAYS - 1)
    last_start, last_end = week_start - datetime.timedelta(days=WEEK_DAYS), week_start - datetime.timedelta(days=1)
    members = Membership.objects.filter(
        status=Membership.Status.ACTIVE, user__role=User.Role.MEMBER, user__is_staff=False
    )
    if reach is not None:
        members = members.filter(user_id__in=reach.values("pk"))
    active = _active_weeks(tenant, week_start=week_start, last_start=last_start, today=today)
    rows = [
        (cohort_id, coach_id, *active.get(user_id, (0, 0)))
        for user_id, cohort_id, coach_id in members.order_by().values_list("user_id", "cohort_id", "coach_id")
    ]
    if labels is None:
        labels = {
            COHORT: {str(pk): name for pk, name in cohort_names().items()},
            COACH: {str(pk): name for pk, name in coach_names().items()},
        }
    return Engagement(
        this_week=(week_start, today),
        last_week=(last_start, last_end),
        by_cohort=_engagement_rows(rows, 0, labels[COHORT], _("No cohort")),
        by_coach=_engagement_rows(rows, 1, labels[COACH], _("No coach")),
    )


# ---------------------------------------------------------------------------------------------------------------------
# The whole page
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrganisationDashboard:
    live: LiveActivity
    engagement: Engagement
    funnel_by_coach: Report
    funnel_by_cohort: Report
    coach_view: bool  # the figures are the viewer's own members' (a coach)


def organisation_dashboard(*, viewer: User, now: datetime.datetime | None = None) -> OrganisationDashboard:
    now = now or timezone.now()
    reach = figures_reach(viewer)
    funnels = funnel_reports(filters=OutcomeFilters(reach=reach), group_bys=(COACH, COHORT))
    # Every member engagement counts (an active membership) is in the funnel's groups, so their names serve both.
    labels = {group_by: {group.key: group.label for group in report.groups} for group_by, report in funnels.items()}
    return OrganisationDashboard(
        live=live_activity(now=now),
        engagement=engagement(reach=reach, today=now.date(), labels=labels),
        funnel_by_coach=funnels[COACH],
        funnel_by_cohort=funnels[COHORT],
        coach_view=reach is not None,
    )
