"""What was predicted for an application, kept to set against its outcome (predictions.ApplicationPrediction, read by
the model monitor in analytics/monitoring).

Written where a prediction names an application: the application page (and a coach's view of a member's
application), the comparison API's salary range and the interview API given `application_id`. Off the request path:
the rows join the prediction log's Redis buffer and its flush upserts them (predictions/logbuffer.py), so a page view
commits nothing for them; without Redis, one upsert per request, whatever the number of kinds or applications.

Which answer is kept: the latest one served before the outcome its kind predicts. Interview: until the application
reaches screening or any later stage, or ends (rejected, withdrawn, ghosted). Salary and time to hire: until an offer
or an end without one. After that the row is frozen: an answer given once the outcome was known (the interview prior
learns from the seeker's own outcomes, this one included) would flatter the model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from predictions.logbuffer import served_predictions_buffer
from predictions.models import ApplicationPrediction
from tenants.context import require_tenant_schema
from tracking.models import Application, Stage

logger = logging.getLogger(__name__)
Kind = ApplicationPrediction.Kind
ENDED = frozenset({Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED})
INTERVIEW_ANSWERED = frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED}) | ENDED
OFFER_ANSWERED = frozenset({Stage.OFFER, Stage.ACCEPTED}) | ENDED
VALUE_FIELDS = [
    "model_version_id",
    "model_version",
    "model_label",
    "scope",
    "source",
    "served_at",
    "salary_p10_usd",
    "salary_p50_usd",
    "salary_p90_usd",
    "salary_currency",
    "salary_per_usd",
    "interview_probability",
    "days_p10",
    "days_p50",
    "days_p90",
    "days_measured_from",
]


@dataclass(frozen=True)
class Served:
    """One answer of a predictor (its result dict, as predictions.service returns it) for one application."""

    application: Application
    kind: str
    result: dict
    served_at: datetime | None = None  # a replay's own moment (served_predictions_replay); else the time of writing


def outcome_known(application: Application, kind: str) -> bool:
    """Whether `application` has reached what `kind` predicts (or ended without it)."""
    if kind == Kind.INTERVIEW:
        reached = application.screened_at or application.interviewed_at or application.offered_at
        return reached is not None or application.stage in INTERVIEW_ANSWERED
    return application.offered_at is not None or application.stage in OFFER_ANSWERED


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _row(served: Served, *, source: str, at: datetime) -> ApplicationPrediction | None:
    result = served.result
    version = result.get("model_version")
    numbered = isinstance(version, int) and not isinstance(version, bool)
    row = ApplicationPrediction(
        application_id=served.application.pk,
        kind=served.kind,
        model_version_id=result.get("model_version_id") if numbered else None,
        model_version=version if numbered else None,
        model_label="" if numbered else str(version or result.get("method") or "prior")[:32],
        scope=str(result.get("scope") or "global")[:10],
        source=source,
        served_at=at,
    )
    if served.kind == Kind.SALARY:
        row.salary_p10_usd, row.salary_p50_usd, row.salary_p90_usd = (
            _number(result.get(f"salary_{p}_usd")) for p in ("p10", "p50", "p90")
        )
        row.salary_currency = str(result.get("currency") or "USD")[:3]
        row.salary_per_usd = _number(result.get("exchange_rate")) or 1.0
        complete = row.salary_p10_usd is not None and row.salary_p90_usd is not None
    elif served.kind == Kind.INTERVIEW:
        row.interview_probability = _number(result.get("interview_probability"))
        complete = row.interview_probability is not None
    else:
        row.days_p10, row.days_p50, row.days_p90 = (_number(result.get(f"days_{p}")) for p in ("p10", "p50", "p90"))
        row.days_measured_from = str(result.get("measured_from") or "")[:20]
        complete = row.days_p10 is not None and row.days_p90 is not None
    return row if complete else None


def served_predictions_record(*, served: Sequence[Served], source: str, at: datetime | None = None) -> int:
    """Keeps each answer as its application's prediction of its kind unless the outcome is already known (module
    docstring); one INSERT … ON CONFLICT UPDATE for all of them. Returns the rows written. The caller has scoped the
    applications to the user (or the member) being served."""
    require_tenant_schema()
    at = at or timezone.now()
    kept = [item for item in served if item.kind in Kind.values and not outcome_known(item.application, item.kind)]
    return _upsert([_row(item, source=source, at=at) for item in kept])


def served_predictions_replay(*, served: Sequence[Served], source: str) -> int:
    """Keeps answers computed as of a past moment each (`Served.served_at`, such as when the application was sent)
    whatever happened since: for a replay that computed them from what was known then (the demo,
    analytics/monitoring/demo.py). Returns the rows written."""
    require_tenant_schema()
    kept = [item for item in served if item.kind in Kind.values]
    return _upsert([_row(item, source=source, at=item.served_at or timezone.now()) for item in kept])


def _upsert(candidates: Sequence[ApplicationPrediction | None]) -> int:
    rows: dict[tuple[int, str], ApplicationPrediction] = {}
    for row in candidates:
        if row is not None:
            rows[(row.application_id, row.kind)] = row  # one per key: the statement may not touch a row twice
    if rows:
        ApplicationPrediction.objects.bulk_create(
            list(rows.values()),
            update_conflicts=True,
            unique_fields=["application", "kind"],
            update_fields=VALUE_FIELDS,
        )
    return len(rows)


def served_predictions_keep(*, served: Sequence[Served], source: str) -> None:
    """`served_predictions_record` for a request that is answering, off its path: the rows go to the prediction
    log's Redis buffer and are upserted by its flush (predictions/logbuffer.py), or at once when it cannot take them.
    A failure is logged and rolled back alone (a savepoint), never passed on, so the answer is served whatever happens
    to the monitor's record."""
    if not served:
        return
    try:
        require_tenant_schema()
        at = timezone.now()
        kept = [item for item in served if item.kind in Kind.values and not outcome_known(item.application, item.kind)]
        rows = [row for row in (_row(item, source=source, at=at) for item in kept) if row is not None]
        if not rows or served_predictions_buffer(rows):
            return
        with transaction.atomic():
            _upsert(rows)
    except Exception:  # noqa: BLE001 - the prediction is served whatever happens to its record
        logger.exception("the served predictions could not be recorded")
