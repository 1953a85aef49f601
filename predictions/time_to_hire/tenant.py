"""A tenant's own time-to-hire model: its applied → offer durations, read inside its schema, trained exactly like the
global model (grouped by posting) and saved with scope "tenant" in the same schema, next to the data it learnt
from. Below MIN_TENANT_DURATIONS nothing is trained and serving keeps using the global (GSA) model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Q

from predictions.drift import input_bins_build
from predictions.features import MarketReference
from predictions.registry import Promotion, model_promote, model_save
from predictions.time_to_hire.data import (
    CATEGORICAL_FEATURES,
    MAX_DAYS,
    DurationRow,
    TimeToHireInput,
    location_state,
    time_to_hire_split,
    title_family,
)
from predictions.time_to_hire.evaluation import time_to_hire_test_mae
from predictions.time_to_hire.model import PROMOTION_METRIC
from predictions.time_to_hire.training import (
    SEED,
    TEST_SHARE,
    Progress,
    TimeToHireTrainingRun,
    time_to_hire_train_rows,
    time_to_hire_training_matrix,
)

MIN_TENANT_DURATIONS = 30  # fewer cannot fill five grouped folds and a test share with more than a handful each
TENANT_SOURCE = "tenant"


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class TenantDuration:
    """One application of this tenant that reached an offer: from its first move to "applied" (or its applied date)
    to its first move to "offer"."""

    application_id: int
    posting_id: int
    title: str
    country: str
    location: str
    applied_at: datetime
    offered_at: datetime

    @property
    def days(self) -> float:
        return (self.offered_at - self.applied_at).total_seconds() / 86400


def _durations_with_dropped() -> tuple[list[TenantDuration], dict[str, int]]:
    from tenants.context import require_tenant_schema
    from tracking.models import Application, Stage

    require_tenant_schema()
    rows = (
        Application.objects.annotate(
            applied_event_at=Min("events__occurred_at", filter=Q(events__to_stage=Stage.APPLIED)),
            offered_event_at=Min("events__occurred_at", filter=Q(events__to_stage=Stage.OFFER)),
        )
        .filter(offered_event_at__isnull=False)
        .order_by("id")
        .values_list(
            "id",
            "posting_id",
            "posting__title",
            "posting__country",
            "posting__location",
            "applied_event_at",
            "applied_at",
            "offered_event_at",
        )
    )
    dropped = {"no_applied_date": 0, "offer_before_applied": 0, f"over_{MAX_DAYS}_days": 0}
    kept: list[TenantDuration] = []
    for app_id, posting_id, title, country, location, applied_event_at, applied_at, offered_at in rows:
        started = applied_event_at or applied_at
        if started is None:
            dropped["no_applied_date"] += 1
            continue
        duration = TenantDuration(app_id, posting_id, title, country or "", location or "", started, offered_at)
        if duration.days < 0:
            dropped["offer_before_applied"] += 1
        elif duration.days > MAX_DAYS:
            dropped[f"over_{MAX_DAYS}_days"] += 1
        else:
            kept.append(duration)
    return kept, dropped


def tenant_durations_collect() -> list[TenantDuration]:
    """The current tenant's usable applied → offer durations (0 to MAX_DAYS days), by application id. One query;
    raises NotInTenantSchema on the public schema, so it can never read across tenants."""
    return _durations_with_dropped()[0]


def tenant_duration_rows(durations: Sequence[TenantDuration], *, reference: MarketReference) -> list[DurationRow]:
    """Training rows with the same inputs a seeker gives at serving time; the state only for US postings."""
    rows = []
    for duration in durations:
        in_us = duration.country.upper() in ("", "US")
        item = TimeToHireInput(
            occupation_family=title_family(duration.title, reference),
            state=location_state(duration.location) if in_us else None,
            posting_month=duration.applied_at.month,
            application_count=None,
        )
        rows.append(
            DurationRow(
                id=duration.application_id, group=f"posting:{duration.posting_id}", item=item, days=duration.days
            )
        )
    return rows


def time_to_hire_tenant_run(
    *, seed: int = SEED, min_durations: int = MIN_TENANT_DURATIONS, progress: Progress = _quiet, **budget
) -> TimeToHireTrainingRun | None:
    """Trains (without saving) on the current tenant's durations, split by posting; None when fewer than
    `min_durations` usable durations exist. `budget` as for `time_to_hire_train`."""
    from predictions.reference import market_reference

    durations, dropped = _durations_with_dropped()
    if len(durations) < max(min_durations, 2):
        progress(f"time to hire (tenant): {len(durations)} durations, fewer than {min_durations}; not training")
        return None
    rows = tenant_duration_rows(durations, reference=market_reference())
    split = time_to_hire_split(
        rows, seed=seed, test_share=TEST_SHARE, dropped=dropped, rows_loaded=len(durations) + sum(dropped.values())
    )
    return time_to_hire_train_rows(
        split, source=TENANT_SOURCE, measured_from="applied", seed=seed, progress=progress, **budget
    )


@dataclass
class TenantTimeToHireTraining:
    run: TimeToHireTrainingRun
    version: object  # predictions.models.ModelVersion
    promotion: Promotion | None


def time_to_hire_train_tenant(
    *,
    seed: int = SEED,
    min_durations: int = MIN_TENANT_DURATIONS,
    promote: bool = True,
    progress: Progress = _quiet,
    **budget,
) -> TenantTimeToHireTraining | None:
    """Trains, saves (scope "tenant", in the current schema) and optionally promotes the tenant's own model. Returns
    None, having saved nothing, when fewer than `min_durations` usable durations exist."""
    run = time_to_hire_tenant_run(seed=seed, min_durations=min_durations, progress=progress, **budget)
    if run is None:
        return None
    version = model_save(
        kind="time_to_hire",
        scope="tenant",
        artifact=run.model.artifact_dumps(),
        metrics=run.metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
        notes=f"applied → offer durations of this tenant ({run.metrics['split']['rows_usable']})",
        input_bins=input_bins_build(
            time_to_hire_training_matrix(run.split), run.model.feature_names, categorical=CATEGORICAL_FEATURES
        ),
    )
    promotion = None
    if promote:
        promotion = model_promote(
            candidate=version,
            metric=PROMOTION_METRIC,
            champion_rescore=lambda champion: time_to_hire_test_mae(champion.artifact, run.split),
        )
    return TenantTimeToHireTraining(run=run, version=version, promotion=promotion)
