"""The model registry's services: save a candidate, promote it only when it beats the champion on the same held-out
data, and serve champions from an in-process cache of loaded models keyed by version id.

Global models live in the public schema; these functions switch to it for the global scope whatever the request's
tenant is (the predictions table also exists in every tenant schema, for tenant-trained models).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from predictions.models import ModelVersion

_cache_lock = threading.Lock()
_loaded: dict[int, Any] = {}
Loader = Callable[[str], Any]


def _public_schema() -> AbstractContextManager:
    public = get_public_schema_name()
    current = getattr(connection, "schema_name", None)
    return schema_context(public) if current and current != public else nullcontext()


def model_save(
    *,
    kind: str,
    artifact: str,
    metrics: dict,
    params: dict,
    feature_names: list[str],
    data_fingerprint: str,
    training_seconds: float,
    scope: str = ModelVersion.Scope.GLOBAL,
    scope_key: str = "",
    notes: str = "",
) -> ModelVersion:
    """Stores a trained model as the next candidate version of (kind, scope, scope_key)."""
    with _public_schema(), transaction.atomic():
        # Lock the scope's rows so two trainings never take the same version number.
        existing = ModelVersion.objects.select_for_update().filter(kind=kind, scope=scope, scope_key=scope_key)
        latest = max(existing.values_list("version", flat=True), default=0)
        return ModelVersion.objects.create(
            kind=kind,
            scope=scope,
            scope_key=scope_key,
            version=latest + 1,
            status=ModelVersion.Status.CANDIDATE,
            params=params,
            metrics=metrics,
            artifact=artifact,
            feature_names=feature_names,
            data_fingerprint=data_fingerprint,
            training_seconds=training_seconds,
            notes=notes,
        )


@dataclass(frozen=True)
class Promotion:
    promoted: bool
    reason: str
    candidate_mae: float | None = None
    champion_mae: float | None = None


def _test_mae(version: ModelVersion) -> float | None:
    value = (version.metrics or {}).get("test", {}).get("mae_usd")
    return float(value) if value is not None else None


def model_promote(
    *, candidate: ModelVersion, champion_rescore: Callable[[ModelVersion], float] | None = None
) -> Promotion:
    """Makes `candidate` the champion of its scope when there is none, or when its test MAE is lower than the
    champion's on the same held-out rows. Same rows means the same `metrics["test_fingerprint"]`; otherwise the
    champion is re-scored on the candidate's test rows by `champion_rescore`, and without one nothing changes."""
    with _public_schema(), transaction.atomic():
        candidate = ModelVersion.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != ModelVersion.Status.CANDIDATE:
            return Promotion(False, f"v{candidate.version} is {candidate.status}, not a candidate")
        candidate_mae = _test_mae(candidate)
        if candidate_mae is None:
            return Promotion(False, "the candidate has no test MAE")
        champion = (
            ModelVersion.objects.select_for_update()
            .filter(
                kind=candidate.kind,
                scope=candidate.scope,
                scope_key=candidate.scope_key,
                status=ModelVersion.Status.CHAMPION,
            )
            .first()
        )
        champion_mae: float | None = None
        if champion is not None:
            same_rows = champion.metrics.get("test_fingerprint") == candidate.metrics.get("test_fingerprint")
            if same_rows:
                champion_mae = _test_mae(champion)
            elif champion_rescore is not None:
                champion_mae = champion_rescore(champion)
            if champion_mae is None:
                return Promotion(False, "the champion cannot be scored on the candidate's held-out rows", candidate_mae)
            if not candidate_mae < champion_mae:
                return Promotion(
                    False,
                    f"v{candidate.version} MAE {candidate_mae:,.0f} does not beat champion "
                    f"v{champion.version} MAE {champion_mae:,.0f} on the same held-out rows",
                    candidate_mae,
                    champion_mae,
                )
            champion.status = ModelVersion.Status.ARCHIVED
            champion.save(update_fields=["status"])
        candidate.status = ModelVersion.Status.CHAMPION
        candidate.promoted_at = timezone.now()
        candidate.save(update_fields=["status", "promoted_at"])
    reason = "no champion before" if champion is None else f"beats v{champion.version}"
    return Promotion(True, reason, candidate_mae, champion_mae)


@dataclass(frozen=True)
class LoadedModel:
    version: ModelVersion
    model: Any


def _loader(kind: str) -> Loader:
    if kind == ModelVersion.Kind.SALARY:
        from predictions.salary import SalaryModel

        return SalaryModel.artifact_loads
    raise ValueError(f"no loader for model kind {kind!r}")


def champion_get(kind: str, scope: str = ModelVersion.Scope.GLOBAL, scope_key: str = "") -> LoadedModel | None:
    """The champion of a scope with its parsed model, or None when the scope has no champion. One indexed query per
    call; the artifact is read and parsed once per process per version id."""
    with _public_schema() if scope != ModelVersion.Scope.TENANT else nullcontext():
        version = (
            ModelVersion.objects.filter(
                kind=kind, scope=scope, scope_key=scope_key, status=ModelVersion.Status.CHAMPION
            )
            .defer("artifact")
            .first()
        )
        if version is None:
            return None
        cached = _loaded.get(version.pk)
        if cached is None:
            artifact = ModelVersion.objects.values_list("artifact", flat=True).get(pk=version.pk)
            cached = _loader(kind)(artifact)
            with _cache_lock:
                _loaded[version.pk] = cached
    return LoadedModel(version=version, model=cached)


def model_cache_clear() -> None:
    with _cache_lock:
        _loaded.clear()
