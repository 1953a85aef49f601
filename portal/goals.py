"""Goals (issue 13, item 4): a target the programme sets ("10 applications a week", "3 informational interviews"),
the members enrolled in it and their progress, computed from what they already record.

| what counts              | counted from                                                   | when                  |
|--------------------------|----------------------------------------------------------------|-----------------------|
| applications sent        | tracking.Application                                           | ``applied_at``        |
| interviews               | tracking.ApplicationEvent moving to Interviewing (every round) | ``occurred_at``       |
| tasks done               | portal.CoachTask                                               | ``done_at``           |
| informational interviews | the member's own GoalCheckIn rows for this goal                | ``occurred_on``       |

Periods are the organisation's: days, weeks and months in Django's TIME_ZONE, weeks starting on Monday. A goal's
current period is the week or month holding today (cut to the goal's start and end dates), or the whole goal for a
goal "in total". A member is on track when their count reaches the target pro rata of the period's days gone by,
today included (10 a week: 5 by Wednesday), or the target itself for a goal in total with no end date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from portal import access
from portal.audience import Audience, active_members_visible, audience_members, require_programme_staff
from portal.models import CoachTask, Cohort, Goal, GoalCheckIn, GoalEnrolment
from tracking.models import Application, ApplicationEvent, Stage

Metric = Goal.Metric
Period = Goal.Period
WEEK_STARTS_ON = 0  # Monday, as date.weekday() counts
MAX_TARGET = 1000

UPCOMING, CURRENT, ENDED = "upcoming", "current", "ended"

# Where each tracked metric is read: (model, path to the member, the moment that counts, rows that count).
_TRACKED = {
    Metric.APPLICATIONS: (Application, "owner_id", "applied_at", Q()),
    Metric.INTERVIEWS: (ApplicationEvent, "application__owner_id", "occurred_at", Q(to_stage=Stage.INTERVIEWING)),
    Metric.TASKS: (CoachTask, "member_id", "done_at", Q()),
}


def organisation_today() -> date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class GoalWindow:
    """The days a goal counts now: ``start`` to ``end`` (exclusive; None: open, up to today included)."""

    start: date
    end: date | None
    state: str  # UPCOMING, CURRENT or ENDED
    today: date

    @property
    def end_date(self) -> date:
        return self.end if self.end is not None else self.today + timedelta(days=1)

    @property
    def last_day(self) -> date:
        return self.end_date - timedelta(days=1)

    @property
    def start_at(self) -> datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime:
        return _midnight(self.end_date)

    def expected(self, target: int) -> int:
        """What a member should have reached by today to be on track."""
        if self.state == UPCOMING:
            return 0
        if self.end is None:
            return target
        length = (self.end - self.start).days
        elapsed = min((self.today - self.start).days + 1, length)
        return math.ceil(target * elapsed / length)


def goal_window(goal: Goal, today: date | None = None) -> GoalWindow:
    """The goal's current period on ``today`` (the organisation's today by default); before the goal starts, its
    first period; after it ends, its last one."""
    today = today or organisation_today()
    if today < goal.starts_on:
        state, reference = UPCOMING, goal.starts_on
    elif goal.ends_on is not None and today > goal.ends_on:
        state, reference = ENDED, goal.ends_on
    else:
        state, reference = CURRENT, today
    if goal.period == Period.WEEK:
        start = reference - timedelta(days=(reference.weekday() - WEEK_STARTS_ON) % 7)
        end: date | None = start + timedelta(days=7)
    elif goal.period == Period.MONTH:
        start = reference.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    else:
        start, end = goal.starts_on, None
    start = max(start, goal.starts_on)
    if goal.ends_on is not None:
        after_end = goal.ends_on + timedelta(days=1)
        end = after_end if end is None else min(end, after_end)
    return GoalWindow(start=start, end=end, state=state, today=today)


@dataclass(frozen=True)
class Progress:
    count: int
    target: int
    expected: int
    state: str

    @property
    def on_track(self) -> bool | None:
        """None before the goal starts."""
        return None if self.state == UPCOMING else self.count >= self.expected

    @property
    def reached(self) -> bool:
        return self.count >= self.target

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.count / self.target)) if self.target else 100


def _metric_counts(*, metric: str, member_ids: list[int], windows: dict[int, GoalWindow]) -> dict[tuple[int, int], int]:
    """{(goal id, member id): count} for goals measuring ``metric``, each over its own window: one query."""
    windows = {goal_id: window for goal_id, window in windows.items() if window.state != UPCOMING}
    if not member_ids or not windows:
        return {}
    if metric == Metric.INFORMATIONAL:
        within = {
            goal_id: Q(enrolment__goal_id=goal_id, occurred_on__gte=window.start, occurred_on__lt=window.end_date)
            for goal_id, window in windows.items()
        }
        rows = GoalCheckIn.objects.filter(enrolment__member_id__in=member_ids).values(
            counted_member=F("enrolment__member_id")
        )
    else:
        model, member_path, moment, counted = _TRACKED[metric]
        within = {
            goal_id: Q(**{f"{moment}__gte": window.start_at, f"{moment}__lt": window.end_at})
            for goal_id, window in windows.items()
        }
        rows = model.objects.filter(counted, **{f"{member_path}__in": member_ids}).values(counted_member=F(member_path))
    # No ordering: a model's default ordering would join the GROUP BY and split the counts.
    rows = (
        rows.order_by()
        .filter(reduce(or_, within.values()))
        .annotate(**{f"goal_{goal_id}": Count("pk", filter=condition) for goal_id, condition in within.items()})
    )
    return {(goal_id, row["counted_member"]): row[f"goal_{goal_id}"] for row in rows for goal_id in within}


# ---------------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberProgress:
    member: User
    progress: Progress


@dataclass(frozen=True)
class GoalReport:
    goal: Goal
    window: GoalWindow
    rows: list[MemberProgress]

    @property
    def on_track_count(self) -> int:
        return sum(1 for row in self.rows if row.progress.on_track)

    @property
    def on_track_percent(self) -> int | None:
        if not self.rows or self.window.state == UPCOMING:
            return None
        return round(100 * self.on_track_count / len(self.rows))


def goal_list(*, viewer: User) -> QuerySet[Goal]:
    """Every goal, with how many of the members ``viewer`` reaches are enrolled."""
    reached = access.members_visible(viewer).values("pk")
    return Goal.objects.select_related("cohort").annotate(
        enrolled_count=Count("enrolments", filter=Q(enrolments__member__in=reached))
    )


def goal_report(*, goal: Goal, viewer: User, today: date | None = None) -> GoalReport:
    """Each enrolled member ``viewer`` reaches with their progress this period: a fixed number of queries (the
    enrolled members, their counts) whatever the number of members."""
    window = goal_window(goal, today)
    members = [
        enrolment.member
        for enrolment in GoalEnrolment.objects.filter(goal=goal, member__in=access.members_visible(viewer).values("pk"))
        .select_related("member__membership__cohort")
        .order_by("member__full_name", "member__email")
    ]
    counts = _metric_counts(metric=goal.metric, member_ids=[member.pk for member in members], windows={goal.pk: window})
    expected = window.expected(goal.target)
    rows = [
        MemberProgress(
            member=member,
            progress=Progress(
                count=counts.get((goal.pk, member.pk), 0), target=goal.target, expected=expected, state=window.state
            ),
        )
        for member in members
    ]
    return GoalReport(goal=goal, window=window, rows=rows)


@dataclass(frozen=True)
class MemberGoal:
    enrolment: GoalEnrolment
    window: GoalWindow
    progress: Progress

    @property
    def goal(self) -> Goal:
        return self.enrolment.goal

    @property
    def takes_check_ins(self) -> bool:
        return self.goal.metric == Metric.INFORMATIONAL and self.window.state == CURRENT


def member_goals(member: User, today: date | None = None) -> list[MemberGoal]:
    """The member's goals that have not ended, with this period's progress: one query for the goals and one per
    kind of metric among them (at most four)."""
    today = today or organisation_today()
    enrolments = [
        enrolment
        for enrolment in GoalEnrolment.objects.filter(member=member)
        .select_related("goal")
        .order_by("goal__starts_on", "goal_id")
        if enrolment.goal.ends_on is None or enrolment.goal.ends_on >= today
    ]
    windows = {enrolment.goal_id: goal_window(enrolment.goal, today) for enrolment in enrolments}
    counts: dict[tuple[int, int], int] = {}
    for metric in {enrolment.goal.metric for enrolment in enrolments}:
        counts |= _metric_counts(
            metric=metric,
            member_ids=[member.pk],
            windows={e.goal_id: windows[e.goal_id] for e in enrolments if e.goal.metric == metric},
        )
    return [
        MemberGoal(
            enrolment=enrolment,
            window=windows[enrolment.goal_id],
            progress=Progress(
                count=counts.get((enrolment.goal_id, member.pk), 0),
                target=enrolment.goal.target,
                expected=windows[enrolment.goal_id].expected(enrolment.goal.target),
                state=windows[enrolment.goal_id].state,
            ),
        )
        for enrolment in enrolments
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalFields:
    title: str
    metric: str
    target: int
    period: str
    starts_on: date
    ends_on: date | None
    cohort: Cohort | None


def goal_fields_check(fields: GoalFields) -> None:
    errors: dict[str, list[str]] = {}
    if not fields.title.strip():
        errors["title"] = [_("Give the goal a name.")]
    if fields.metric not in Metric.values:
        errors["metric"] = [_("Choose what counts towards the goal.")]
    if fields.period not in Period.values:
        errors["period"] = [_("Choose the goal's period.")]
    if not 1 <= fields.target <= MAX_TARGET:
        errors["target"] = [_("The target is a number from 1 to %(max)d.") % {"max": MAX_TARGET}]
    if fields.ends_on is not None and fields.ends_on < fields.starts_on:
        errors["ends_on"] = [_("The goal cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)


def goal_save(*, actor: User, fields: GoalFields, goal: Goal | None = None) -> tuple[Goal, int]:
    """Creates a goal, or changes ``goal``. A new goal for a cohort enrols the cohort's active members that
    ``actor`` reaches. Returns the goal and how many members were enrolled now."""
    require_programme_staff(actor)
    goal_fields_check(fields)
    creating = goal is None
    goal = goal or Goal(created_by=actor)
    goal.title = fields.title.strip()
    goal.metric = fields.metric
    goal.target = fields.target
    goal.period = fields.period
    goal.starts_on = fields.starts_on
    goal.ends_on = fields.ends_on
    goal.cohort = fields.cohort
    with transaction.atomic():
        goal.save()
        enrolled = 0
        if creating and fields.cohort is not None:
            cohort_members = audience_members(actor=actor, audience=Audience.COHORT, cohort=fields.cohort)
            enrolled = goal_enrol(actor=actor, goal=goal, members=cohort_members)
    return goal, enrolled


def goal_delete(*, actor: User, goal: Goal) -> None:
    """Deletes the goal, its enrolments and the members' check-ins for it."""
    require_programme_staff(actor)
    goal.delete()


def goal_enrol(*, actor: User, goal: Goal, members: QuerySet[User]) -> int:
    """Enrols the active ``members`` that ``actor`` reaches (others are left out, never an error that would confirm
    they exist). Returns how many were newly enrolled; those already enrolled stay as they were."""
    require_programme_staff(actor)
    member_ids = list(active_members_visible(actor).filter(pk__in=members.values("pk")).values_list("pk", flat=True))
    with transaction.atomic():
        already = set(
            GoalEnrolment.objects.filter(goal=goal, member_id__in=member_ids).values_list("member_id", flat=True)
        )
        GoalEnrolment.objects.bulk_create(
            [GoalEnrolment(goal=goal, member_id=member_id) for member_id in member_ids if member_id not in already],
            ignore_conflicts=True,
        )
    return len(set(member_ids) - already)


def check_in_enrolment_get(*, member: User, enrolment_id: int) -> GoalEnrolment:
    """The member's own enrolment in a goal counting informational interviews; anything else is a 404."""
    enrolment = (
        GoalEnrolment.objects.select_related("goal")
        .filter(pk=enrolment_id, member=member, goal__metric=Metric.INFORMATIONAL)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def goal_check_in(
    *, member: User, enrolment: GoalEnrolment, occurred_on: date, note: str = "", today: date | None = None
) -> GoalCheckIn:
    """The member records an informational interview for a goal they are enrolled in, on a day the goal counts."""
    enrolment = check_in_enrolment_get(member=member, enrolment_id=enrolment.pk)
    goal = enrolment.goal
    today = today or organisation_today()
    if occurred_on > today:
        raise ValidationError({"occurred_on": [_("The date cannot be in the future.")]})
    if occurred_on < goal.starts_on:
        starts = date_format(goal.starts_on, "DATE_FORMAT")
        message = _("The goal starts on %(date)s: an earlier date does not count towards it.") % {"date": starts}
        raise ValidationError({"occurred_on": [message]})
    if goal.ends_on is not None and occurred_on > goal.ends_on:
        raise ValidationError({"occurred_on": [_("The goal has ended: this date does not count towards it.")]})
    return GoalCheckIn.objects.create(enrolment=enrolment, occurred_on=occurred_on, note=note.strip())
