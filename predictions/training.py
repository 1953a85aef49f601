"""One training path for `manage.py train` and the Celery task: train a kind on its data, save the run as a candidate
version, optionally promote it, and return a summary.

Each kind's data loading, training, re-scoring and card come from its row of predictions/kinds.py, imported normally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from predictions.drift import input_bins_build
from predictions.errors import TrainingRequestInvalid
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_promote, model_save
from tenants.context import require_tenant_schema

Progress = Callable[[str], None]
SCOPES: tuple[str, ...] = (ModelVersion.Scope.GLOBAL, ModelVersion.Scope.TENANT)


def _quiet(_message: str) -> None:
    return None


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
    `seed=None` keeps the kind's own default seed. Raises TrainingRequestInvalid or TrainingDataMissing.
    """
    tenant_schema = require_tenant_schema() if scope == ModelVersion.Scope.TENANT else None
    training_request_check(kind=kind, scope=scope, tenant_schema=tenant_schema)
    spec = KINDS[kind]
    run, rows = spec.train(seed=seed, progress=progress, scope=scope)
    input_bins = input_bins_build(spec.training_matrix(run), run.model.feature_names, categorical=spec.categorical)
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
        input_bins=input_bins,
    )
    progress(f"saved {version} in {run.training_seconds:.1f} s")
    promoted, reason = False, "not requested"
    if promote:
        result = model_promote(
            candidate=version,
            metric=spec.metric,
            champion_rescore=lambda champion: spec.rescore(champion.artifact, run),
        )
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
        model_card=spec.card(run.metrics, version=version.version, params=run.model.params) if spec.card else "",
    )
