"""The member list's figures (issue 13, item 3): per member, applications per stage, last activity and flags.

Scope: every query starts from ``access.members_visible(viewer)`` (its SQL is embedded below as the ``visible`` set),
so a member out of the viewer's reach is never counted, listed or looked up. The figures are aggregates, shown for
every member the viewer reaches whatever the member shares; nothing about one application leaves this module.

Cost: a page of the list is one statement whatever its size (the page's rows with their figures and, from a window,
the number of matching rows), plus one for the page's people with cohort and coach. The figures come from derived
tables aggregated once per statement (one pass over the visible members' applications grouped by owner), not from
correlated subqueries per member: written as one ORM query with a subquery per member it took 140 ms at 2,000
members and 60,000 applications, and its high estimated cost made PostgreSQL JIT-compile it, for several seconds.
The ORM cannot join a derived table, hence the SQL; the scoped member set and the filters are still the ORM's, and
every value is a parameter. The member set is inlined (NOT MATERIALIZED) so one member's figures use the indexes.

Rules (the list page states them in its help text):
- Last activity: the latest of an application recorded (``Application.created_at``), the date of an application's
  latest step (``stage_changed_at``: a step entered late counts from the date given for it), a CV version added, a
  sign-in (``User.last_login``) and ``Membership.last_active_at`` where something keeps it.
- "No application in 14 days": an active member with no application recorded or applied in the last 14 days.
- "Interview coming up": the tracker has no interview dates (yet), so: an application in Interviewing whose last
  step is at most 14 days old, or an open task on an application in Interviewing due in the next 7 days. Tasks are
  part of what a member shares as notes, so the second rule counts only for members who share their notes.
- "Offer to decide": an application in Offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet, TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal import access
from portal.models import Membership
from tracking.models import Application, CVDocument, Stage, Task

# The list's stage columns; the closed stages other than accepted are summed into one.
COUNTED_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
CLOSED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED)
CLOSED = "closed"
QUIET_AFTER_DAYS = 14
INTERVIEW_RECENT_DAYS = 14
INTERVIEW_TASK_AHEAD_DAYS = 7
PAGE_SIZE = 50
NO_VALUE = "none"  # a filter's "no cohort" / "no coach" choice


class Flag(TextChoices):
    # The labels name the numbers above; change both together.
    QUIET = "quiet", _("No application in 14 days")
    INTERVIEW = "interview", _("Interview coming up")
    OFFER = "offer", _("Offer to decide")


class Sort(TextChoices):
    RECENT = "recent", _("Most recently active first")
    QUIET = "quiet", _("Least recently active first")
    NAME = "name", _("Name")


class Status(TextChoices):
    ACTIVE = "active", _("Active members")
    DEACTIVATED = "deactivated", _("Deactivated members")
    ALL = "all", _("Everyone")


@dataclass(frozen=True)
class MemberFilters:
    """The member list's filters, as its query form cleaned them. ``cohort`` and ``coach`` are "" (any), NO_VALUE
    or a primary key."""

    q: str = ""
    cohort: str = ""
    coach: str = ""
    flag: str = ""
    status: str = Status.ACTIVE
    sort: str = Sort.RECENT


@dataclass
class MemberRow:
    """One member's figures. ``counts`` maps each of COUNTED_STAGES and CLOSED to a number of applications;
    ``member`` is the person with membership, cohort and coach."""

    member_id: int
    counts: dict[str, int]
    last_activity_at: datetime | None
    flags: list[Flag] = field(default_factory=list)
    member: User | None = None

    @property
    def stage_counts(self) -> list[tuple[str, int]]:
        """(label, count) for each column of the list, in order: COUNTED_STAGES, then the closed ones summed. A page
        of rows passes the labels it translated once (``with_labels``)."""
        labels = getattr(self, "_labels", None) or column_labels()
        return [(label, self.counts[column]) for column, label in labels]

    def with_labels(self, labels: list[tuple[str, str]]) -> MemberRow:
        self._labels = labels
        return self


def column_labels() -> list[tuple[str, str]]:
    """(key, label) of the list's count columns, the labels translated into the active language."""
    return [*((stage.value, str(stage.label)) for stage in COUNTED_STAGES), (CLOSED, str(_("Closed")))]


def members_filtered(viewer: User, filters: MemberFilters = MemberFilters()) -> QuerySet[User]:
    """The members `viewer` reaches, narrowed by the filters that need no figures."""
    members = access.members_visible(viewer)
    if filters.status == Status.ACTIVE:
        members = members.exclude(membership__status=Membership.Status.DEACTIVATED)
    elif filters.status == Status.DEACTIVATED:
        members = members.filter(membership__status=Membership.Status.DEACTIVATED)
    if filters.q:
        members = members.filter(Q(full_name__icontains=filters.q) | Q(email__icontains=filters.q))
    for name, value in (("cohort", filters.cohort), ("coach", filters.coach)):
        if value == NO_VALUE:
            members = members.filter(**{f"membership__{name}__isnull": True})
        elif value:
            members = members.filter(**{f"membership__{name}_id": int(value)})
    return members


_COLUMNS = (*COUNTED_STAGES, CLOSED)
_ORDER = {
    Sort.RECENT: "last_activity_at DESC NULLS LAST, full_name, email, id",
    Sort.QUIET: "last_activity_at ASC NULLS FIRST, full_name, email, id",
    Sort.NAME: "full_name, email, id",
}


def _figures_sql(members: QuerySet[User], *, now: datetime) -> tuple[str, list]:
    """A statement selecting one row per member of `members`: id, name, email, the counts, last_activity_at and
    the flags flag_quiet, flag_interview, flag_offer. Every value is a parameter; table names come from the models."""
    visible_sql, visible_params = members.order_by().values("pk").query.sql_with_params()
    stage_counts = ", ".join(f"COUNT(*) FILTER (WHERE stage = %s) AS {stage}" for stage in COUNTED_STAGES)
    closed_in = ", ".join(["%s"] * len(CLOSED_STAGES))
    quiet_since = now - timedelta(days=QUIET_AFTER_DAYS)
    sql = f"""
        WITH visible (id) AS NOT MATERIALIZED ({visible_sql}),
        applications AS (
            SELECT owner_id, {stage_counts},
                COUNT(*) FILTER (WHERE stage IN ({closed_in})) AS {CLOSED},
                COUNT(*) FILTER (WHERE created_at >= %s OR applied_at >= %s) AS recent,
                COUNT(*) FILTER (WHERE stage = %s AND stage_changed_at >= %s) AS interviewing_recently,
                GREATEST(MAX(created_at), MAX(stage_changed_at)) AS last_application_at
            FROM {Application._meta.db_table}
            WHERE owner_id IN (SELECT id FROM visible)
            GROUP BY owner_id
        ),
        cvs AS (
            SELECT owner_id, MAX(created_at) AS last_cv_at FROM {CVDocument._meta.db_table}
            WHERE owner_id IN (SELECT id FROM visible)
            GROUP BY owner_id
        ),
        interview_tasks AS (
            SELECT DISTINCT application.owner_id
            FROM {Task._meta.db_table} task
            JOIN {Application._meta.db_table} application ON application.id = task.application_id
            WHERE application.owner_id IN (SELECT id FROM visible) AND application.stage = %s
                AND task.done_at IS NULL AND task.due_at >= %s AND task.due_at <= %s
        )
        SELECT person.id, person.full_name, person.email,
            {", ".join(f"COALESCE(applications.{column}, 0) AS {column}" for column in _COLUMNS)},
            GREATEST(applications.last_application_at, cvs.last_cv_at, person.last_login, membership.last_active_at)
                AS last_activity_at,
            (membership.status IS DISTINCT FROM %s AND COALESCE(applications.recent, 0) = 0) AS flag_quiet,
            (COALESCE(applications.interviewing_recently, 0) > 0
                OR (COALESCE(membership.share_notes, FALSE) AND interview_tasks.owner_id IS NOT NULL))
                AS flag_interview,
            (COALESCE(applications.{Stage.OFFER}, 0) > 0) AS flag_offer
        FROM {User._meta.db_table} person
        JOIN visible ON visible.id = person.id
        LEFT JOIN {Membership._meta.db_table} membership ON membership.user_id = person.id
        LEFT JOIN applications ON applications.owner_id = person.id
        LEFT JOIN cvs ON cvs.owner_id = person.id
        LEFT JOIN interview_tasks ON interview_tasks.owner_id = person.id
    """  # noqa: S608 - only model table names and fixed column names are formatted in; values are parameters
    params = [
        *visible_params,
        *COUNTED_STAGES,
        *CLOSED_STAGES,
        quiet_since,
        quiet_since,
        Stage.INTERVIEWING,
        now - timedelta(days=INTERVIEW_RECENT_DAYS),
        Stage.INTERVIEWING,
        now,
        now + timedelta(days=INTERVIEW_TASK_AHEAD_DAYS),
        Membership.Status.DEACTIVATED,
    ]
    return sql, params


def _row(values: tuple) -> MemberRow:
    member_id, _name, _email, *rest = values
    counts = dict(zip(_COLUMNS, rest[: len(_COLUMNS)], strict=True))
    last_activity_at, quiet, interview, offer = rest[len(_COLUMNS) :]
    flags = [flag for flag, raised in ((Flag.QUIET, quiet), (Flag.INTERVIEW, interview), (Flag.OFFER, offer)) if raised]
    return MemberRow(member_id=member_id, counts=counts, last_activity_at=last_activity_at, flags=flags)


def _rows_and_total(
    members: QuerySet[User], *, flag: str = "", sort: str = Sort.RECENT, now: datetime, offset: int, limit: int
) -> tuple[list[MemberRow], int | None]:
    """The rows `offset` to `offset + limit` in order, and how many rows match in all (None when the slice is past
    the end): one statement, the total from a window over the matching rows before the slice."""
    sql, params = _figures_sql(members, now=now)
    where = f"WHERE flag_{Flag(flag).value}" if flag else ""
    sql = f"""
        SELECT *, COUNT(*) OVER () AS total FROM ({sql}) AS figures {where}
        ORDER BY {_ORDER[Sort(sort)]} LIMIT %s OFFSET %s
    """  # noqa: S608 - a fixed flag column name and ORDER BY clause
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        found = cursor.fetchall()
    if not found:
        return [], None
    return [_row(values[:-1]) for values in found], found[0][-1]


def _with_people(rows: list[MemberRow], members: QuerySet[User]) -> list[MemberRow]:
    """`rows` with their ``member`` (membership, cohort and coach joined) filled from `members`: one query."""
    if not rows:
        return rows
    people = members.select_related("membership__cohort", "membership__coach").in_bulk([row.member_id for row in rows])
    for row in rows:
        row.member = people[row.member_id]
    return rows


def member_page(
    viewer: User, filters: MemberFilters = MemberFilters(), *, page: int = 1, now: datetime | None = None
) -> Page:
    """Page `page` (PAGE_SIZE rows) of the members `viewer` reaches, filtered and ordered as asked, each row with
    ``member`` filled; the last page when `page` is past the end. Two queries whatever the page size (four when
    past the end)."""
    now = now or timezone.now()
    members = members_filtered(viewer, filters)
    page = max(page, 1)
    rows, total = _rows_and_total(
        members, flag=filters.flag, sort=filters.sort, now=now, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    if total is None and page > 1:  # past the end: count, then show the last page
        counted = _rows_and_total(members, flag=filters.flag, now=now, offset=0, limit=1)[1] or 0
        page = max((counted + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        rows, total = _rows_and_total(
            members, flag=filters.flag, sort=filters.sort, now=now, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    paginator = Paginator(range(total or 0), PAGE_SIZE)  # the count only: the rows are this page's
    labels = column_labels()
    return Page([row.with_labels(labels) for row in _with_people(rows, members)], page, paginator)


def member_summary(viewer: User, pk: int, *, now: datetime | None = None) -> MemberRow:
    """One member's row as on the list, with ``member`` filled; Http404 when `viewer` does not reach them."""
    members = access.members_visible(viewer).filter(pk=pk)
    rows, _total = _rows_and_total(members, now=now or timezone.now(), offset=0, limit=1)
    if not rows:
        raise Http404
    return _with_people(rows, members)[0]
