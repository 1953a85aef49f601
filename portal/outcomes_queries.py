"""Cohort outcomes, the reads: aggregate queries over this organisation's schema, a fixed number per page whatever the
number of members (portal/outcomes.py computes on what they return).

Each query returns rows per member (or per member and posting attribute when grouping by industry, region or country),
never per application or event: 2,000 members with 60,000 applications come back as a few thousand rows.
Only members (role member) count; coaches', analysts' and administrators' own applications never do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Q, QuerySet

from accounts.models import User
from portal.models import Cohort, Membership
from tenants.context import require_tenant_schema
from tracking.models import Application, Stage

# The groupings and, for those of a posting, the field that carries them.
ORGANISATION, COHORT, COACH, INDUSTRY, REGION, COUNTRY = "", "cohort", "coach", "industry", "region", "country"
POSTING_FIELDS = {INDUSTRY: "posting__industry", REGION: "posting__region", COUNTRY: "posting__country"}
OFFER_ON = (Stage.OFFER, Stage.ACCEPTED)


@dataclass(frozen=True)
class OutcomeFilters:
    cohort_id: int | None = None
    coach_id: int | None = None
    industry: str = ""
    region: str = ""
    joined_from: datetime.date | None = None
    joined_to: datetime.date | None = None
    # Only these users (a queryset of users), e.g. the members a coach reaches (portal.access.members_visible); None:
    # every member. The organisation dashboard narrows a coach's figures to their own members with it.
    reach: QuerySet | None = None

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


class ActivityRow(NamedTuple):
    """One member's applications (within one posting group when grouping by a posting's attribute)."""

    user_id: int
    key: str  # the posting attribute ("" for none, and for the member's whole)
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


@dataclass
class Activity:
    """What activity_list returns: each member's whole (within the filters), and when grouping by a posting's
    attribute, each member's part in each group (a member who applied in two industries has a row in each)."""

    whole: dict[int, ActivityRow]
    by_key: list[ActivityRow]


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
    if filters.reach is not None:
        q &= Q(pk__in=filters.reach.values("pk"))
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


def activity_list(filters: OutcomeFilters, group_by: str, *, members: QuerySet) -> Activity:
    """Per member of `members` (members_chosen), and per member and posting group when grouping by a posting's
    attribute: applications tracked, reaching each funnel stage, and whole days from joining to the first interview
    and offer on or after joining.

    One aggregate query over the applications, which carry when they first reached each stage (tracking/reach.py),
    so the event history is never read: an application counts as reaching a stage if it ever moved to it or further;
    its first interview (offer) counts if it came on or after the member joined (one before is not the programme's).
    The member's whole and their part per group come from the same scan (GROUPING SETS), as integers: the database
    does the date arithmetic, so no timestamp crosses to Python."""
    require_tenant_schema()
    key = {INDUSTRY: "posting.industry", REGION: "posting.region", COUNTRY: "posting.country"}.get(group_by)
    members_sql, params = members.query.sql_with_params()
    where = [f"application.owner_id IN ({members_sql})", "application.deleted_at IS NULL"]
    for value, column in ((filters.industry, "posting.industry"), (filters.region, "posting.region")):
        if value:
            where.append(f"{column} = %s")
            params = (*params, value)
    posting_join = (
        "JOIN tracking_jobposting AS posting ON posting.id = application.posting_id"
        if key or filters.on_postings
        else ""
    )
    days = ", ".join(
        f"FLOOR(EXTRACT(EPOCH FROM MIN(application.{at}) FILTER (WHERE application.{at} >= membership.joined_at)"
        " - MIN(membership.joined_at)) / 86400)::int"
        for at in ("interviewed_at", "offered_at")
    )
    counts = ", ".join(
        f"COUNT(application.{column})"
        for column in ("id", "applied_at", "screened_at", "interviewed_at", "offered_at", "accepted_at")
    )
    if key:  # GROUPING() is 1 on the member's whole, 0 on their part in one group
        chosen, whole = f"COALESCE({key}, '')", f"GROUPING({key})"
        grouping = f"GROUPING SETS ((application.owner_id, {key}), (application.owner_id))"
    else:
        chosen, whole, grouping = "''", "1", "application.owner_id"
    sql = (
        f"SELECT application.owner_id, {chosen}, {counts}, {days}, {whole} "  # noqa: S608 - fixed text; values stay parameters
        f"FROM tracking_application AS application "
        f"JOIN portal_membership AS membership ON membership.user_id = application.owner_id {posting_join} "
        f"WHERE {' AND '.join(where)} GROUP BY {grouping}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    activity = Activity(whole={}, by_key=[])
    make = ActivityRow._make
    for row in rows:
        if row[-1]:
            activity.whole[row[0]] = make(row[:-1])
        else:
            activity.by_key.append(make(row[:-1]))
    return activity


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
