"""Cohort outcomes, assembled per group: the figures the page, its charts and its CSV files show (one source for all
three, so an export always matches the table on the page).

A group is the whole organisation (within the filters) or one cohort, coach, industry, region or country. Cohort and
coach split members; industry, region and country are the posting's, so a member who applied in two industries counts
in both (those groups overlap, and their rows do not add up to the whole).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext as _

from market.industries import industry_choices
from market.models import Country, Region
from portal import outcomes, outcomes_salary
from portal.outcomes import MIN_MEMBERS, Curve, FunnelRow, Offer, SalaryRow
from portal.outcomes_queries import (
    COACH,
    COHORT,
    COUNTRY,
    INDUSTRY,
    ORGANISATION,
    POSTING_FIELDS,
    REGION,
    Activity,
    ActivityRow,
    MemberRow,
    OutcomeFilters,
    activity_list,
    coach_names,
    cohort_names,
    members_chosen,
    members_list,
    offer_list,
)

ALL, NONE = "all", "none"


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    members: int

    @property
    def suppressed(self) -> bool:
        return self.members < MIN_MEMBERS


@dataclass
class Report:
    group_by: str
    groups: list[Group]
    funnel: dict[str, FunnelRow] = field(default_factory=dict)
    interview: dict[str, Curve] = field(default_factory=dict)
    offer: dict[str, Curve] = field(default_factory=dict)
    salary: list[SalaryRow] = field(default_factory=list)
    salary_status: str = outcomes_salary.READY

    def group(self, key: str) -> Group:
        return next(group for group in self.groups if group.key == key)


@dataclass
class _Population:
    """Who is in each group and, for each of them, their activity there (one row a member)."""

    members: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    activity: dict[str, dict[int, ActivityRow]] = field(default_factory=lambda: defaultdict(dict))


def _member_key(member: MemberRow, group_by: str) -> str:
    value = member.cohort_id if group_by == COHORT else member.coach_id
    return NONE if value is None else str(value)


def _population(members: list[MemberRow], activity: Activity, *, group_by: str, on_postings: bool) -> _Population:
    population = _Population()
    everyone = population.activity[ALL]
    everyone.update(activity.whole)
    if group_by in POSTING_FIELDS:
        for row in activity.by_key:
            key = row.key or NONE
            population.members[key].add(row.user_id)
            population.activity[key][row.user_id] = row
    for member in members:
        if on_postings and member.user_id not in everyone:
            continue  # the posting filters choose members who made an application that passes them
        population.members[ALL].add(member.user_id)
        if group_by in (COHORT, COACH):
            key = _member_key(member, group_by)
            population.members[key].add(member.user_id)
            if member.user_id in everyone:
                population.activity[key][member.user_id] = everyone[member.user_id]
    return population


def _labels(group_by: str, keys: Iterable[str]) -> dict[str, str]:
    if group_by == COHORT:
        names, none = {str(pk): name for pk, name in cohort_names().items()}, _("No cohort")
    elif group_by == COACH:
        names, none = {str(pk): name for pk, name in coach_names().items()}, _("No coach")
    elif group_by == INDUSTRY:
        names, none = {code: str(name) for code, name in industry_choices()}, _("No industry")
    elif group_by == REGION:
        names, none = {code: str(name) for code, name in Region.Code.choices}, _("Outside the three regions")
    elif group_by == COUNTRY:
        countries = Country.objects.filter(iso2__in=[key for key in keys if key != NONE])
        names, none = {country.iso2: str(country.name) for country in countries}, _("No country")
    else:
        names, none = {}, ""
    return {key: none if key == NONE else names.get(key, key) for key in keys}


def _groups(population: _Population, group_by: str) -> list[Group]:
    keys = [key for key in population.members if key != ALL]
    labels = _labels(group_by, keys)
    ordered = sorted(keys, key=lambda key: (key == NONE, labels[key].casefold()))
    everyone = Group(ALL, _("Everyone"), len(population.members[ALL]))
    return [everyone, *(Group(key, labels[key], len(population.members[key])) for key in ordered)]


def _funnel(members: set[int], rows: dict[int, ActivityRow]) -> FunnelRow:
    """`rows`: one a member."""
    applications = 0
    reached_members, reached_applications = [0] * 5, [0] * 5
    for row in rows.values():
        applications += row.tracked
        for stage, count in enumerate(row.reached()):
            if count:
                reached_members[stage] += 1
                reached_applications[stage] += count
    return outcomes.funnel_row(
        members=len(members),
        applications=applications,
        reached_members=reached_members,
        reached_applications=reached_applications,
    )


def _curve(members: set[int], rows: dict[int, ActivityRow], follow_up: dict[int, int], *, attribute: str) -> Curve:
    event_day = attrgetter(attribute)
    observation = outcomes.member_observation
    return outcomes.kaplan_meier(
        observation(event_day=event_day(rows[user_id]) if user_id in rows else None, follow_up_days=follow_up[user_id])
        for user_id in members
    )


def _offers(rows: list[dict], predicted, *, group_by: str, by_member: dict[int, MemberRow]) -> list[Offer]:
    found = []
    for row in rows:
        member = by_member.get(row["owner_id"])
        if member is None:
            continue
        if group_by in (COHORT, COACH):
            keys = [ALL, _member_key(member, group_by)]
        elif group_by in POSTING_FIELDS:
            keys = [ALL, row[POSTING_FIELDS[group_by]] or NONE]
        else:
            keys = [ALL]
        for key in keys:
            found.append(
                Offer(
                    member_id=row["owner_id"],
                    group=key,
                    currency=row["offer_currency"],
                    amount=row["offer_amount"],
                    accepted=row["stage"] == "accepted",
                    predicted=predicted.get(row["id"]),
                )
            )
    return found


def _report(population: _Population, group_by: str) -> Report:
    report = Report(group_by=group_by, groups=_groups(population, group_by))
    for group in report.groups:
        report.funnel[group.key] = _funnel(population.members[group.key], population.activity[group.key])
    return report


def _gathered(filters: OutcomeFilters, group_by: str) -> tuple[list[MemberRow], object, _Population, Report]:
    """The members, their subquery, who is in each group with their activity, and the report with its groups and
    funnels (two queries, plus the groups' names)."""
    members = members_list(filters)
    chosen = members_chosen(filters)
    activity = activity_list(filters, group_by, members=chosen)
    population = _population(members, activity, group_by=group_by, on_postings=filters.on_postings)
    return members, chosen, population, _report(population, group_by)


def funnel_report(*, filters: OutcomeFilters, group_by: str) -> Report:
    """The groups and their funnels alone (no curves, no salary ranges) for any grouping."""
    return _gathered(filters, group_by)[3]


def funnel_reports(*, filters: OutcomeFilters, group_bys: Sequence[str]) -> dict[str, Report]:
    """The groups and their funnels alone (no curves, no salary ranges) for each of `group_bys`, groupings of members
    (cohort, coach): what the organisation dashboard shows. One read of the members and one scan of their
    applications serve every grouping (a member's activity is the same whichever group they are counted in), plus
    each grouping's names."""
    if any(group_by in POSTING_FIELDS for group_by in group_bys):
        raise ValueError("funnel_reports groups members; a posting's attribute needs outcomes_report")
    members = members_list(filters)
    activity = activity_list(filters, ORGANISATION, members=members_chosen(filters))
    return {
        group_by: _report(_population(members, activity, group_by=group_by, on_postings=filters.on_postings), group_by)
        for group_by in group_bys
    }


def outcomes_report(*, viewer, filters: OutcomeFilters, group_by: str) -> Report:
    """Every figure of the outcomes page for `filters`, per group of `group_by` (portal.outcomes_queries), computed
    from the data as it is now. Suppression is applied by portal.outcomes; nothing here names a member."""
    now = timezone.now()
    members, chosen, population, report = _gathered(filters, group_by)
    by_member = {member.user_id: member for member in members}
    follow_up = {  # whole days each member has been followed: until now, or until they were deactivated
        member.user_id: outcomes.days_between(member.joined_at, min(member.deactivated_at or now, now))
        for member in members
    }
    for group in report.groups:
        in_group, rows = population.members[group.key], population.activity[group.key]
        for name, attribute in (("interview", "first_interview_day"), ("offer", "first_offer_day")):
            getattr(report, name)[group.key] = _curve(in_group, rows, follow_up, attribute=attribute)
    offer_rows = [row for row in offer_list(filters, members=chosen) if row["owner_id"] in population.members[ALL]]
    predicted, report.salary_status = outcomes_salary.predicted_ranges(viewer=viewer, offers=offer_rows)
    offers = _offers(offer_rows, predicted, group_by=group_by, by_member=by_member)
    report.salary = outcomes.salary_rows(offers, groups=[group.key for group in report.groups])
    return report
