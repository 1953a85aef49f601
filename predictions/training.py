"""One training path for `manage.py train` and the Celery task: train a kind on its data, save the run as a candidate
version, optionally promote it, and return a summary.

Each kind's module is imported when it is trained, so a kind whose module is not installed is reported as
unavailable (`ModelKindUnavailable`) instead of breaking the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _

from predictions.models import ModelVersion

Progress = Callable[[str], None]
KINDS: tuple[str, ...] = tuple(ModelVersion.Kind.values)
SCOPES: tuple[str, ...] = (ModelVersion.Scope.GLOBAL, ModelVersion.Scope.TENANT)
KIND_MODULES = {
    ModelVersion.Kind.SALARY: "predictions.salary.model",
    ModelVersion.Kind.TIME_TO_HIRE: "predictions.time_to_hire.serving",
    ModelVersion.Kind.INTERVIEW: "predictions.interview.model",
}


def _quiet(_message: str) -> None:
    return None


class ModelKindUnavailable(RuntimeError):
    """The kind's module (or a function of its contract) does not exist in this build."""


class TrainingDataMissing(RuntimeError):
    """The kind has no rows to train on."""


class TrainingRequestInvalid(ValueError):
    """A training request names an unknown kind or scope; the message names the field."""


@dataclass(frozen=True)
class TrainingSummary:
    """What one training run produced; `as_dict()` is what the Celery task returns (JSON-serialisable)."""

    kind: str
    scope: str
    scope_key: str
    version_id: int
    version: int
    rows: int
    training_seconds: float
    test_metrics: dict[str, Any]
    promotion_requested: bool
    promoted: bool
    promotion_reason: str
    model_card: str  # markdown; empty when the kind renders its card only from the evaluation report

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("model_card")
        return data


def training_request_check(*, kind: str, scope: str, tenant_schema: str | None = None) -> None:
    """Raises TrainingRequestInvalid naming the field when the request cannot be trained as asked."""
    if kind not in KINDS:
        raise TrainingRequestInvalid(
            _("kind: %(kind)r is not one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    if scope not in SCOPES:
        raise TrainingRequestInvalid(
            _("scope: %(scope)r is not one of %(scopes)s.") % {"scope": scope, "scopes": ", ".join(SCOPES)}
        )
    if scope == ModelVersion.Scope.TENANT and not tenant_schema:
        raise TrainingRequestInvalid(_("tenant_schema: a tenant-scope model needs the tenant's schema."))
    if scope == ModelVersion.Scope.TENANT and kind == ModelVersion.Kind.SALARY:
        raise TrainingRequestInvalid(_("scope: the salary model is trained on public surveys, so it is global only."))


def kind_module(kind: str, *required: str) -> ModuleType:
    """The module implementing `kind`, checked to provide the `required` functions."""
    name = KIND_MODULES[kind]
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        raise ModelKindUnavailable(f"{kind}: {name} is not installed yet") from error
    missing = [attribute for attribute in required if not hasattr(module, attribute)]
    if missing:
        raise ModelKindUnavailable(f"{kind}: {name} has no {', '.join(missing)}")
    return module


def _seeded(seed: int | None) -> dict[str, int]:
    return {} if seed is None else {"seed": seed}


def _run_salary(
    seed: int | None, progress: Progress, scope: str
) -> tuple[Any, int, Callable | None, Callable[..., str]]:
    salary = kind_module("salary", "survey_rows_load", "salary_train", "salary_test_mae", "salary_model_card")
    from predictions.reference import market_reference

    reference = market_reference()
    rows = salary.survey_rows_load()
    if not rows:
        raise TrainingDataMissing("salary: no survey rows; run `manage.py load_reference_data` first")
    progress(f"salary: {len(rows):,} survey rows")
    run = salary.salary_train(rows, reference=reference, progress=progress, **_seeded(seed))
    progress(salary.salary_metrics_table(run.metrics))
    progress(f"targets: {run.metrics['targets']}")
    progress(salary.salary_run_summary(run.metrics))

    def rescore(champion: ModelVersion) -> float:
        return salary.salary_test_mae(champion.artifact, run.split, reference=reference)

    return run, len(rows), rescore, salary.salary_model_card


def _run_time_to_hire(
    seed: int | None, progress: Progress, scope: str
) -> tuple[Any, int, Callable | None, Callable[..., str]]:
    module = kind_module("time_to_hire", "gsa_rows_load", "time_to_hire_train", "time_to_hire_model_card")
    if scope == ModelVersion.Scope.TENANT:
        # A tenant model learns from the tenant's own applied -> offer durations, never from the GSA rows.
        run = module.time_to_hire_tenant_run(progress=progress, **_seeded(seed))
        if run is None:
            raise TrainingDataMissing(
                f"time_to_hire: fewer than {module.MIN_TENANT_DURATIONS} applied -> offer durations in this tenant"
            )
        rows = run.split.counts()["rows_usable"]
    else:
        rows = module.gsa_rows_load()
        if not rows:
            raise TrainingDataMissing("time_to_hire: no GSA vacancy rows")
        progress(f"time_to_hire: {len(rows):,} vacancy rows")
        run = module.time_to_hire_train(rows, progress=progress, **_seeded(seed))
    test_mae = getattr(module, "time_to_hire_test_mae", None)
    rescore = (lambda champion: test_mae(champion.artifact, run.split)) if test_mae else None
    return run, rows if isinstance(rows, int) else len(rows), rescore, module.time_to_hire_model_card


def _run_interview(seed: int | None, progress: Progress, scope: str) -> tuple[Any, int, Callable | None, None]:
    module = kind_module("interview", "interview_outcomes_collect", "interview_train")
    rows = module.interview_outcomes_collect()
    progress(f"interview: {len(rows):,} tracked outcomes")
    too_few = getattr(module, "InsufficientOutcomes", TrainingDataMissing)
    try:
        run = module.interview_train(rows, progress=progress, **_seeded(seed))
    except too_few as error:
        raise TrainingDataMissing(f"interview: {error}") from error
    test_brier = getattr(module, "interview_test_brier", None)
    rescore = (lambda champion: test_brier(champion.artifact, run.split)) if test_brier else None
    return run, len(rows), rescore, None


RUNNERS = {
    ModelVersion.Kind.SALARY: _run_salary,
    ModelVersion.Kind.TIME_TO_HIRE: _run_time_to_hire,
    ModelVersion.Kind.INTERVIEW: _run_interview,
}


def model_train(
    kind: str,
    *,
    promote: bool = False,
    scope: str = ModelVersion.Scope.GLOBAL,
    scope_key: str = "",
    seed: int | None = None,
    progress: Progress = _quiet,
) -> TrainingSummary:
    """Trains `kind` on its data, saves a candidate version of (kind, scope, scope_key) and, when `promote`, makes it
    champion only if it beats the champion on the same held-out rows (registry.model_promote).

    A tenant-scope model is saved in the current schema: the caller (the Celery task) switches to the tenant first.
    `seed=None` keeps the kind's own default seed. Raises ModelKindUnavailable or TrainingDataMissing.
    """
    from predictions.registry import model_promote, model_save
    from tenants.context import require_tenant_schema

    tenant_schema = require_tenant_schema() if scope == ModelVersion.Scope.TENANT else None
    training_request_check(kind=kind, scope=scope, tenant_schema=tenant_schema)
    run, rows, rescore, card = RUNNERS[kind](seed, progress, scope)
    version = model_save(
        kind=kind,
        artifact=run.model.artifact_dumps(),
        metrics=run.metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
        scope=scope,
        scope_key=scope_key,
    )
    progress(f"saved {version} in {run.training_seconds:.1f} s")
    promoted, reason = False, "not requested"
    if promote:
        result = model_promote(candidate=version, champion_rescore=rescore)
        promoted, reason = result.promoted, result.reason
        progress(f"promotion: {'promoted' if promoted else 'refused'} ({reason})")
    return TrainingSummary(
        kind=kind,
        scope=scope,
        scope_key=scope_key,
        version_id=version.pk,
        version=version.version,
        rows=rows,
        training_seconds=float(run.training_seconds),
        test_metrics=dict(run.metrics.get("test", {})),
        promotion_requested=promote,
        promoted=promoted,
        promotion_reason=reason,
        model_card=card(run.metrics, version=version.version, params=run.model.params) if card else "",
    )
