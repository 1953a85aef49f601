"""The demo's recorded predictions (`make run`): for every demo application, what its page would have shown when it
was sent, computed by the served models, so the model monitor's live accuracy and drift come from the models set
against the demo's outcomes. The outcomes are the demo's simulated histories (portal/demo_histories.py): the page
says how many of its figures rest on them.

- Salary and time to hire: the champions answer each application's page input (predictions.application_panel's
  `salary_item` and `time_to_hire_item`), in one logged batch per kind and tenant (source "demo"), with the month it
  was sent as the posting month; the models know nothing of the outcomes, so their answers are as of then.
- Interview: no classifier serves when the demo is set up, so the page's answer was the published prior refined by
  the outcomes known then: `shrunk_prior_results_as_of` replays it as of the day each application was sent.

Idempotent: an application that has a recorded prediction is left alone. Run on the training queue after the
champions' trainings (analytics.tasks.demo_predictions_record_task, queued by `manage.py demo_setup`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from predictions import service
from predictions.application_panel import salary_item, time_to_hire_item
from predictions.errors import ModelUnavailable
from predictions.interview.odds import shrunk_prior_results_as_of
from predictions.models import ApplicationPrediction, PredictionLog
from predictions.served import Served, served_predictions_replay
from tenants.context import require_tenant_schema
from tracking.models import Application, CandidateProfile

logger = logging.getLogger(__name__)
DEMO = PredictionLog.Source.DEMO
Kind = ApplicationPrediction.Kind
BATCH = 2000


def _sent(application: Application):
    return application.applied_at or application.created_at


def _batched(
    kind: str, applications: Sequence[Application], item_of: Callable[[Application], dict], serve
) -> list[Served]:
    served: list[Served] = []
    for start in range(0, len(applications), BATCH):
        chunk = applications[start : start + BATCH]
        try:
            results = serve([item_of(application) for application in chunk])
        except ModelUnavailable:
            logger.warning("demo predictions: no %s model yet; run demo_setup again once it is trained", kind)
            return served
        served += [
            Served(application, kind, result, served_at=_sent(application))
            for application, result in zip(chunk, results, strict=True)
        ]
    return served


def demo_predictions_record() -> dict[str, int]:
    """Records the predictions of the current tenant's applications that have none; returns the rows per kind."""
    require_tenant_schema()
    recorded = ApplicationPrediction.objects.values("application_id")
    applications = list(
        Application.objects.exclude(pk__in=recorded).select_related("posting", "cv", "owner").order_by("pk")
    )
    if not applications:
        return {}
    profiles = {p.user_id: p for p in CandidateProfile.objects.filter(user__in={a.owner_id for a in applications})}

    def salary_input(application: Application) -> dict:
        profile = profiles.get(application.owner_id)
        return salary_item(user=application.owner, application=application, profile=profile)[0]

    def days_input(application: Application) -> dict:
        item = time_to_hire_item(application=application, profile=profiles.get(application.owner_id))
        return item | {"posted_on": _sent(application).date()}  # the page's month was the month it was sent

    served = _batched(
        Kind.SALARY,
        applications,
        salary_input,
        lambda items: service.salary_serve(user=None, items=items, explain=False, source=DEMO),
    )
    served += _batched(
        Kind.TIME_TO_HIRE,
        applications,
        days_input,
        lambda items: service.time_to_hire_serve(user=None, items=items, explain=False, source=DEMO),
    )
    odds = shrunk_prior_results_as_of([(a.owner_id, a.channel, _sent(a)) for a in applications])
    served += [
        Served(application, Kind.INTERVIEW, result, served_at=_sent(application))
        for application, result in zip(applications, odds, strict=True)
    ]
    served_predictions_replay(served=served, source=DEMO)
    counts: dict[str, int] = {}
    for item in served:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts
