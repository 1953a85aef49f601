"""Cohort outcomes, the reads: aggregate queries over this organisation's schema, a fixed number per page whatever the
number of members (portal/outcomes.py computes on what they return).

Each query returns rows per member (or per member and posting attribute when grouping by industry, region or country),
never per application or event: 2,000 members with 60,000 applications come back as a few thousand rows.
Only members (role member) count; coaches', analysts' and administrators' own applications never do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When

from accounts.models import User
from portal.models import Cohort, Membership
from portal.outcomes import FUNNEL_STAGES
from tenants.context import require_tenant_schema
from tracking.models import Application, ApplicationEvent, Stage

# The groupings and, for those of a posting, the field that carries them.
ORGANISATION, COHORT, COACH, INDUSTRY, REGION, COUNTRY = "", "cohort", "coach", "industry", "region", "country"
POSTING_FIELDS = {INDUSTRY: "posting__industry", REGION: "posting__region", COUNTRY: "posting__country"}
SCREENING_ON = (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
INTERVIEWING_ON = (Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
OFFER_ON = (Stage.OFFER, Stage.ACCEPTED)


@dataclass(frozen=True)
class OutcomeFilters:
    cohort_id: int | None = None
    coach_id: int | None = None
    industry: str = ""
    region: str = ""
    joined_from: datetime.date | None = None
    joined_to: datetime.date | None = None

    @property
    def on_postings(self) -> bool:
        """True when the filters choose applications (and so the members who made one that passes)."""
        return bool(self.industry or self.region)


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    cohort_id: int | None
    coach_id: int | None
    joined_at: datetime.datetime
    deactivated_at: datetime.datetime | None


@dataclass
class ActivityRow:
    """One member's applications (within one posting group when grouping by a posting's attribute)."""

    user_id: int
    key: str  # the posting attribute ("" when grouping by member)
    tracked: int = 0
    applied: int = 0
    screening: int = 0
    interviewing: int = 0
    offer: int = 0
    accepted: int = 0
    first_interview_day: int | None = None  # whole days from joining to the first interview (on or after joining)
    first_offer_day: int | None = None

    def reached(self) -> tuple[int, int, int, int, int]:
        return self.applied, self.screening, self.interviewing, self.offer, self.accepted

    def add(self, reached: list[int], *, first_interview_day: int | None, first_offer_day: int | None) -> None:
        """Adds applications reaching screening, interviewing, offer and accepted."""
        self.screening += reached[0]
        self.interviewing += reached[1]
        self.offer += reached[2]
        self.accepted += reached[3]
        self.first_interview_day = _earliest(self.first_interview_day, first_interview_day)
        self.first_offer_day = _earliest(self.first_offer_day, first_offer_day)

    def absorb(self, other: ActivityRow) -> None:
        """Adds the member's row of another posting group (for the whole organisation)."""
        self.tracked += other.tracked
        self.applied += other.applied
        self.add(
            [other.screening, other.interviewing, other.offer, other.accepted],
            first_interview_day=other.first_interview_day,
            first_offer_day=other.first_offer_day,
        )


def _earliest(a, b):
    return b if a is None else a if b is None else min(a, b)


def _members_q(filters: OutcomeFilters) -> Q:
    """Members (role member, with a membership) passing the member filters."""
    q = Q(role=User.Role.MEMBER, is_staff=False, membership__isnull=False)
    if filters.cohort_id is not None:
        q &= Q(membership__cohort_id=filters.cohort_id)
    if filters.coach_id is not None:
        q &= Q(membership__coach_id=filters.coach_id)
    if filters.joined_from is not None:
        q &= Q(membership__joined_at__date__gte=filters.joined_from)
    if filters.joined_to is not None:
        q &= Q(membership__joined_at__date__lte=filters.joined_to)
    return q


def _postings_q(filters: OutcomeFilters, path: str) -> Q:
    """Applications passing the posting filters, from a model whose `path` leads to the application."""
    q = Q()
    if filters.industry:
        q &= Q(**{f"{path}posting__industry": filters.industry})
    if filters.region:
        q &= Q(**{f"{path}posting__region": filters.region})
    return q


def members_chosen(filters: OutcomeFilters) -> QuerySet:
    """The ids of the members passing the member filters, as a subquery (2,000 ids as parameters cost more to send
    than the semi-join costs the database)."""
    return User.objects.filter(_members_q(filters)).values("pk")


def members_list(filters: OutcomeFilters) -> list[MemberRow]:
    """Every member passing the member filters, deactivated ones included (their follow-up ends when they left)."""
    require_tenant_schema()
    rows = (
        User.objects.filter(_members_q(filters))
        .order_by()
        .values_list(
            "pk", "membership__cohort_id", "membership__coach_id", "membership__joined_at", "membership__deactivated_at"
        )
    )
    return [MemberRow(*row) for row in rows]


def _key_field(group_by: str, path: str) -> list[str]:
    return [f"{path}{POSTING_FIELDS[group_by]}"] if group_by in POSTING_FIELDS else []


def _key(values: list) -> str:
    """The posting attribute a row is grouped by, "" without one."""
    return (values[0] or "") if values else ""


def _per_member(per_application: QuerySet, group_by: str) -> list[tuple]:
    """Sums the per-application query per member (and posting group) in the database: (owner id, key, applications
    reaching screening, interviewing, offer, accepted, whole days from joining to the first interview, to the first
    offer). Django cannot aggregate over an aggregate, so the ORM's query is wrapped in one outer GROUP BY; fetching
    a row per application instead costs more than the query."""
    key = "key" if group_by in POSTING_FIELDS else "''"
    columns = "application_id, owner_id, " + ("key, " if group_by in POSTING_FIELDS else "") + "joined, rank, fi, fo"
    inner, params = per_application.query.sql_with_params()
    reached = ", ".join(f"COUNT(*) FILTER (WHERE rank >= {rank})" for rank in (2, 3, 4, 5))
    days = ", ".join(f"FLOOR(EXTRACT(EPOCH FROM MIN({at}) - MIN(joined)) / 86400)::int" for at in ("fi", "fo"))
    sql = (
        f"SELECT owner_id, {key}, {reached}, {days} "  # noqa: S608 - fixed text; values stay parameters
        f"FROM ({inner}) AS per_application ({columns}) GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


RANK = Case(
    *(When(to_stage=stage, then=Value(rank)) for rank, stage in enumerate(FUNNEL_STAGES, start=1)),
    default=Value(0),
)


def activity_list(filters: OutcomeFilters, group_by: str, *, members: QuerySet) -> list[ActivityRow]:
    """Per member of `members` (members_chosen) and posting group: applications tracked, reaching each funnel
    stage, and the first interview and offer on or after joining. Two aggregate queries: applications per member
    (tracked; applied: an applied date is set by the move to applied), then from the events of screening or later
    (the smaller part of the history) the furthest stage and first interview and offer per application, summed per
    member in the same query. Counting distinct applications per member instead sorts every event four times."""
    require_tenant_schema()
    app_key = _key_field(group_by, "")
    applications = (
        Application.objects.filter(_postings_q(filters, ""), owner_id__in=members)
        .values_list("owner_id", *app_key)
        .annotate(tracked=Count("id"), applied=Count("id", filter=Q(applied_at__isnull=False)))
        .order_by()
    )
    rows: dict[tuple[int, str], ActivityRow] = {}
    for owner_id, *key, tracked, applied in applications:
        rows[(owner_id, _key(key))] = ActivityRow(owner_id, _key(key), tracked, applied)
    since_joining = Q(occurred_at__gte=F("application__owner__membership__joined_at"))
    per_application = (
        ApplicationEvent.objects.filter(
            _postings_q(filters, "application__"), application__owner_id__in=members, to_stage__in=SCREENING_ON
        )
        .values_list(
            "application_id",
            "application__owner_id",
            *_key_field(group_by, "application__"),
            "application__owner__membership__joined_at",
        )
        .annotate(
            rank=Max(RANK),
            first_interview_at=Min("occurred_at", filter=Q(since_joining, to_stage__in=INTERVIEWING_ON)),
            first_offer_at=Min("occurred_at", filter=Q(since_joining, to_stage__in=OFFER_ON)),
        )
        .order_by()
    )
    for owner_id, key, *reached, first_interview_day, first_offer_day in _per_member(per_application, group_by):
        row = rows.get((owner_id, key or ""))
        if row is not None:
            row.add(reached, first_interview_day=first_interview_day, first_offer_day=first_offer_day)
    return list(rows.values())


def offer_list(filters: OutcomeFilters, *, members: QuerySet) -> list[dict]:
    """Applications of `members` (members_chosen) at offer or accepted with an offer amount and currency, with what
    the salary prediction needs from the posting, the member's profile and the CV version the application pins."""
    require_tenant_schema()
    return list(
        Application.objects.filter(
            _postings_q(filters, ""),
            owner_id__in=members,
            stage__in=OFFER_ON,
            offer_amount__isnull=False,
        )
        .exclude(offer_currency="")
        .order_by("id")
        .values(
            "id",
            "owner_id",
            "stage",
            "offer_amount",
            "offer_currency",
            *(POSTING_FIELDS.values()),
            "posting__title",
            "posting__location",
            "posting__employment_type",
            "posting__remote",
            "owner__candidate_profile__experience_level",
            "owner__candidate_profile__years_experience",
            "owner__candidate_profile__country",
            cv_years=F("cv__parsed__years_experience"),
        )
    )


def cohort_names() -> dict[int, str]:
    return dict(Cohort.objects.order_by().values_list("pk", "name"))


def coach_names() -> dict[int, str]:
    """Coaches (and administrators, who may coach) by name; names of staff, never of members."""
    people = User.objects.filter(role__in=(User.Role.COACH, User.Role.ADMINISTRATOR), is_staff=False).order_by()
    return {pk: full_name or email for pk, full_name, email in people.values_list("pk", "full_name", "email")}


def coach_choices() -> list[tuple[int, str]]:
    """The coaches members are assigned to, for the filter (one query)."""
    coached = Membership.objects.filter(coach__isnull=False).values("coach_id")
    people = User.objects.filter(pk__in=coached).order_by("full_name", "email")
    return [(pk, full_name or email) for pk, full_name, email in people.values_list("pk", "full_name", "email")]
