"""A minimal organisation funnel for the API (GET /api/v1/org/outcomes/funnel/), until the outcomes area's
portal/outcomes.py is merged and this endpoint calls it instead.

For each stage of applied → screening → interviewing → offer → accepted: how many of the members' applications ever
reached that stage or a later one (an application may skip a stage: applied → interviewing counts for screening
too), how many members had at least one such application, and the conversion from the stage before. Aggregates only,
over every member of the organisation (or of one cohort); a group of fewer than five members shows no figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import User
from tracking.models import ApplicationEvent, Stage

FUNNEL_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED)
MIN_GROUP_MEMBERS = 5


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    applications: int
    members: int
    conversion: float | None  # from the step before; None for the first step or after an empty step


@dataclass(frozen=True)
class Funnel:
    cohort_id: int | None
    members: int
    suppressed: bool
    steps: list[FunnelStep]


def funnel_aggregate(*, cohort_id: int | None = None) -> Funnel:
    """The funnel of the organisation's members (one cohort's if given): two queries."""
    members = User.objects.filter(role=User.Role.MEMBER, is_staff=False)
    events = ApplicationEvent.objects.filter(application__owner__role=User.Role.MEMBER)
    if cohort_id is not None:
        members = members.filter(membership__cohort_id=cohort_id)
        events = events.filter(application__owner__membership__cohort_id=cohort_id)
    member_count = members.count()
    if member_count < MIN_GROUP_MEMBERS:
        return Funnel(cohort_id=cohort_id, members=member_count, suppressed=True, steps=[])
    counts = events.aggregate(
        **{
            f"{kind}_{index}": Count(field, distinct=True, filter=Q(to_stage__in=FUNNEL_STAGES[index:]))
            for index in range(len(FUNNEL_STAGES))
            for kind, field in (("applications", "application_id"), ("members", "application__owner_id"))
        }
    )
    steps, before = [], None
    for index, stage in enumerate(FUNNEL_STAGES):
        applications = counts[f"applications_{index}"]
        conversion = round(applications / before, 4) if before else None
        steps.append(FunnelStep(stage, applications, counts[f"members_{index}"], conversion))
        before = applications
    return Funnel(cohort_id=cohort_id, members=member_count, suppressed=False, steps=steps)
