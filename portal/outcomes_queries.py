"""Cohort outcomes, the reads: aggregate queries over this organisation's schema, a fixed number per page whatever the
number of members (portal/outcomes.py computes on what they return).

Each query returns rows per member (or per member and posting attribute when grouping by industry, region or country),
never per application or event: 2,000 members with 60,000 applications come back as a few thousand rows.
Only members (role member) count; coaches', analysts' and administrators' own applications never do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q

from accounts.models import User
from portal.models import Cohort, Membership
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


@dataclass(frozen=True)
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
    first_interview_at: datetime.datetime | None = None
    first_offer_at: datetime.datetime | None = None

    def reached(self) -> tuple[int, int, int, int, int]:
        return self.applied, self.screening, self.interviewing, self.offer, self.accepted


def _members_q(filters: OutcomeFilters, path: str) -> Q:
    """Members passing the filters, from a model whose `path` leads to the user ("" for User)."""
    q = Q(**{f"{path}role": User.Role.MEMBER, f"{path}is_staff": False, f"{path}membership__isnull": False})
    if filters.cohort_id is not None:
        q &= Q(**{f"{path}membership__cohort_id": filters.cohort_id})
    if filters.coach_id is not None:
        q &= Q(**{f"{path}membership__coach_id": filters.coach_id})
    if filters.joined_from is not None:
        q &= Q(**{f"{path}membership__joined_at__date__gte": filters.joined_from})
    if filters.joined_to is not None:
        q &= Q(**{f"{path}membership__joined_at__date__lte": filters.joined_to})
    return q


def _postings_q(filters: OutcomeFilters, path: str) -> Q:
    """Applications passing the posting filters, from a model whose `path` leads to the application."""
    q = Q()
    if filters.industry:
        q &= Q(**{f"{path}posting__industry": filters.industry})
    if filters.region:
        q &= Q(**{f"{path}posting__region": filters.region})
    return q


def members_list(filters: OutcomeFilters) -> list[MemberRow]:
    """Every member passing the member filters, deactivated ones included (their follow-up ends when they left)."""
    require_tenant_schema()
    rows = (
        User.objects.filter(_members_q(filters, ""))
        .order_by()
        .values_list(
            "pk", "membership__cohort_id", "membership__coach_id", "membership__joined_at", "membership__deactivated_at"
        )
    )
    return [MemberRow(*row) for row in rows]


def _key_field(group_by: str, path: str) -> list[str]:
    return [f"{path}{POSTING_FIELDS[group_by]}"] if group_by in POSTING_FIELDS else []


def activity_list(filters: OutcomeFilters, group_by: str) -> list[ActivityRow]:
    """Per member (and posting group): applications tracked, reaching each funnel stage, and the first interview and
    offer on or after joining. Two aggregate queries: applications (tracked, applied: an applied date is set by the
    move to applied), then events of screening or later (the smaller part of the history)."""
    require_tenant_schema()
    app_key = _key_field(group_by, "")
    applications = (
        Application.objects.filter(_members_q(filters, "owner__"), _postings_q(filters, ""))
        .values("owner_id", *app_key)
        .annotate(tracked=Count("id"), applied=Count("id", filter=Q(applied_at__isnull=False)))
        .order_by()
    )
    event_key = _key_field(group_by, "application__")
    since_joining = Q(occurred_at__gte=F("application__owner__membership__joined_at"))
    events = (
        ApplicationEvent.objects.filter(
            _members_q(filters, "application__owner__"),
            _postings_q(filters, "application__"),
            to_stage__in=SCREENING_ON,
        )
        .values("application__owner_id", *event_key)
        .annotate(
            screening=Count("application_id", distinct=True),
            interviewing=Count("application_id", distinct=True, filter=Q(to_stage__in=INTERVIEWING_ON)),
            offer=Count("application_id", distinct=True, filter=Q(to_stage__in=OFFER_ON)),
            accepted=Count("application_id", distinct=True, filter=Q(to_stage=Stage.ACCEPTED)),
            first_interview_at=Min("occurred_at", filter=Q(since_joining, to_stage__in=INTERVIEWING_ON)),
            first_offer_at=Min("occurred_at", filter=Q(since_joining, to_stage__in=OFFER_ON)),
        )
        .order_by()
    )
    later = {(row["application__owner_id"], row[event_key[0]] if event_key else ""): row for row in events}
    rows = []
    for row in applications:
        key = (row["owner_id"], row[app_key[0]] if app_key else "")
        found = later.get(key, {})
        rows.append(
            ActivityRow(
                user_id=key[0],
                key=key[1] or "",
                tracked=row["tracked"],
                applied=row["applied"],
                **{name: found.get(name) or 0 for name in ("screening", "interviewing", "offer", "accepted")},
                first_interview_at=found.get("first_interview_at"),
                first_offer_at=found.get("first_offer_at"),
            )
        )
    return rows


def offer_list(filters: OutcomeFilters, group_by: str) -> list[dict]:
    """Applications at offer or accepted with an offer amount and currency, with what the salary prediction needs
    from the posting, the member's profile and the CV version the application pins. One query."""
    require_tenant_schema()
    return list(
        Application.objects.filter(
            _members_q(filters, "owner__"),
            _postings_q(filters, ""),
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
