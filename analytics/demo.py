"""The demo's experiments (called by `manage.py demo_setup`): both product experiments running since
DEMO_STARTED_DAYS_AGO, with SIMULATED exposures derived from the demo's generated histories, so that their results
pages have something to show on a fresh machine. Every row written here is marked simulated (Exposure.simulated and
the domain event's payload), and the results page says so; exposures from using the demo afterwards are real.

Derived, per member of each demo tenant, from their applications (tracking tables, already generated):
- reminder-wording: the first time a follow-up reminder would have been sent, i.e. an application that stayed in
  "applied" for the seeker's follow-up delay (7 days by default) with no move;
- salary-challenger: the first application saved after the experiment started (its page shows the salary range).
The variant is the real assignment's. The outcomes are the demo's generated histories, which were drawn without
regard to any variant: the demo's experiments are A/A tests in effect, and should end "no difference".
Idempotent: an exposure already written is kept (ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.experiments.assignment import variant_for
from analytics.experiments.catalogue import DEFINITIONS, REMINDER_WORDING, SALARY_CHALLENGER, experiment_ensure
from analytics.experiments.exposure import exposure_record, subject_of
from analytics.models import Experiment

DEMO_STARTED_DAYS_AGO = 150
FOLLOW_UP_DAYS = 7  # tracking.CandidateProfile.follow_up_after_applied_days's default


def demo_experiments_ensure(*, schemas: list[str], now: datetime | None = None) -> dict[str, int]:
    """Creates the two experiments (running) if missing, and writes the simulated exposures in `schemas`. Returns
    the exposures written by experiment key."""
    now = now or timezone.now()
    starts_at = now - timedelta(days=DEMO_STARTED_DAYS_AGO)
    experiments = {definition.key: experiment_ensure(definition, starts_at=starts_at) for definition in DEFINITIONS}
    written = dict.fromkeys(experiments, 0)
    from tenants.models import Client

    for tenant in Client.objects.filter(schema_name__in=schemas, is_ready=True).order_by("schema_name"):
        with schema_context(tenant.schema_name):
            for key, times in (
                (REMINDER_WORDING, _first_follow_ups(now=now)),
                (SALARY_CHALLENGER, _first_saved(after=experiments[SALARY_CHALLENGER].starts_at)),
            ):
                experiment = experiments[key]
                for user_id, at in times.items():
                    if not experiment.starts_at <= at <= now:
                        continue
                    written[key] += _expose(experiment, tenant=tenant, user_id=user_id, at=at)
    return written


def _expose(experiment: Experiment, *, tenant, user_id: int, at: datetime) -> int:
    variant = variant_for(
        experiment.key, subject_of(schema=tenant.schema_name, user_id=user_id), experiment.variant_pairs()
    )
    return int(
        exposure_record(experiment=experiment, tenant=tenant, user_id=user_id, variant=variant, at=at, simulated=True)
    )


def _first_follow_ups(*, now: datetime) -> dict[int, datetime]:
    """{seeker: when their first follow-up reminder would have gone out}: an "applied" move with no next move within
    FOLLOW_UP_DAYS."""
    from tracking.models import ApplicationEvent, Stage

    events = ApplicationEvent.objects.order_by("application_id", "occurred_at", "pk").values_list(
        "application_id", "application__owner_id", "to_stage", "occurred_at"
    )
    first: dict[int, datetime] = {}
    rows = list(events)
    for index, (application_id, owner_id, stage, at) in enumerate(rows):
        if stage != Stage.APPLIED:
            continue
        following = rows[index + 1] if index + 1 < len(rows) else None
        next_at = following[3] if following is not None and following[0] == application_id else None
        due = at + timedelta(days=FOLLOW_UP_DAYS)
        if due <= now and (next_at is None or next_at >= due) and (owner_id not in first or due < first[owner_id]):
            first[owner_id] = due
    return first


def _first_saved(*, after: datetime) -> dict[int, datetime]:
    """{seeker: when they first saved an application after `after`} (an application's page shows its salary range)."""
    from tracking.models import Application

    rows = (
        Application.objects.filter(created_at__gte=after)
        .values("owner_id")
        .annotate(first=Min("created_at"))
        .values_list("owner_id", "first")
    )
    return {owner_id: first + timedelta(minutes=5) for owner_id, first in rows}


DEMO_BETA_CODE = "CVPLUS-BETA-2026"
DEMO_BETA_CODE_USES = 100  # the seed's planned cohort


def demo_beta_code_ensure() -> str:
    """The demo's beta invitation code, for anyone trying the beta programme: entered on the account page (or at
    sign-up) it enrols them, and their ratings reach the staff page. No member or rating is invented."""
    from analytics.models_beta import BetaInvitation

    BetaInvitation.objects.get_or_create(
        code=DEMO_BETA_CODE,
        defaults={"max_uses": DEMO_BETA_CODE_USES, "note": "Demo: the public beta code shown in the README"},
    )
    return DEMO_BETA_CODE
