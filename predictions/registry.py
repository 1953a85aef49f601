"""The model registry's services: save a candidate, promote it only when it beats the champion on the same held-out
data, and serve champions from an in-process cache of loaded models keyed by version id.

Global models live in the public schema; these functions switch to it for the global scope whatever the request's
tenant is (the predictions table also exists in every tenant schema, for tenant-trained models).

A base module: it knows no kind. Each caller passes what is the kind's own, the held-out metric that decides a
promotion and the function that parses an artifact (predictions/kinds.py holds both for every kind).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from predictions.models import ModelVersion
from tenants.context import public_schema_context

_cache_lock = threading.Lock()
_loaded: dict[tuple[str, int], Any] = {}
_broken: set[tuple[str, int]] = set()
_champions: dict[tuple[str, str, str, str], tuple[float, LoadedModel | None]] = {}
logger = logging.getLogger(__name__)
Loader = Callable[[str], Any]


def _scope_schema(scope: str) -> AbstractContextManager:
    """Tenant-scope models live in the current tenant's schema; every other scope in the public schema."""
    return nullcontext() if scope == ModelVersion.Scope.TENANT else public_schema_context()


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
    input_bins: dict | None = None,
) -> ModelVersion:
    """Stores a trained model as the next candidate version of (kind, scope, scope_key), with the bins of its
    training inputs (predictions/drift.py) when given."""
    with _scope_schema(scope), transaction.atomic():
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
            input_bins=input_bins or {},
        )


@dataclass(frozen=True)
class Promotion:
    promoted: bool
    reason: str
    candidate_score: float | None = None
    champion_score: float | None = None


def test_score(version: ModelVersion, metric: str) -> float | None:
    """The version's held-out `metric` (metrics["test"][metric]), None when it has none."""
    value = ((version.metrics or {}).get("test") or {}).get(metric)
    return float(value) if value is not None else None


def baseline_unbeaten(candidate: ModelVersion, metric: str, candidate_score: float) -> str | None:
    """Why `candidate` may not serve, or None: each baseline its run names in `metrics["must_beat"]` (scored on the
    same held-out rows, `metrics["baselines"][name][metric]`) must score worse than it. A named baseline without a
    score refuses too (fails closed)."""
    metrics = candidate.metrics or {}
    for name in metrics.get("must_beat") or []:
        score = ((metrics.get("baselines") or {}).get(name) or {}).get(metric)
        if score is None:
            return f"v{candidate.version} has no {metric} of the {name.replace('_', ' ')} baseline to beat"
        if not candidate_score < float(score):
            return (
                f"v{candidate.version} {metric} {candidate_score:,.4g} does not beat the "
                f"{name.replace('_', ' ')} {metric} {float(score):,.4g} on the same held-out rows"
            )
    return None


def model_promote(
    *, candidate: ModelVersion, metric: str, champion_rescore: Callable[[ModelVersion], float] | None = None
) -> Promotion:
    """Makes `candidate` the champion of its scope when there is none, or when its test `metric` (the kind's, lower
    is better: an MAE, a Brier score) beats the champion's on the same held-out rows; in both cases only when it
    also beats every baseline its run names in `metrics["must_beat"]` (`baseline_unbeaten`). Same rows means the same
    `metrics["test_fingerprint"]`; otherwise the champion is re-scored on the candidate's test rows by
    `champion_rescore`, and without one nothing changes."""
    with _scope_schema(candidate.scope), transaction.atomic():
        candidate = ModelVersion.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != ModelVersion.Status.CANDIDATE:
            return Promotion(False, f"v{candidate.version} is {candidate.status}, not a candidate")
        candidate_score = test_score(candidate, metric)
        if candidate_score is None:
            return Promotion(False, f"the candidate has no test {metric}")
        refused = baseline_unbeaten(candidate, metric, candidate_score)
        if refused is not None:
            return Promotion(False, refused, candidate_score)
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
        champion_score: float | None = None
        if champion is not None:
            same_rows = champion.metrics.get("test_fingerprint") == candidate.metrics.get("test_fingerprint")
            if same_rows:
                champion_score = test_score(champion, metric)
            elif champion_rescore is not None:
                champion_score = champion_rescore(champion)
            if champion_score is None:
                reason = "the champion cannot be scored on the candidate's held-out rows"
                return Promotion(False, reason, candidate_score)
            if not candidate_score < champion_score:
                return Promotion(
                    False,
                    f"v{candidate.version} {metric} {candidate_score:,.4g} does not beat champion "
                    f"v{champion.version} {metric} {champion_score:,.4g} on the same held-out rows",
                    candidate_score,
                    champion_score,
                )
            champion.status = ModelVersion.Status.ARCHIVED
            champion.save(update_fields=["status"])
        candidate.status = ModelVersion.Status.CHAMPION
        candidate.promoted_at = timezone.now()
        candidate.save(update_fields=["status", "promoted_at"])
    reason = "no champion before" if champion is None else f"beats v{champion.version}"
    return Promotion(True, reason, candidate_score, champion_score)


@dataclass(frozen=True)
class LoadedModel:
    version: ModelVersion
    model: Any
    fallback_from: int | None = None  # the champion's version number when its artifact could not be loaded


def _load(version: ModelVersion, cache_key: tuple[str, int], load: Loader) -> Any:
    """The parsed artifact of `version`, parsed once per process; raises when the artifact is missing or corrupt
    (and remembers that, so a broken version is not re-parsed on every request)."""
    cached = _loaded.get(cache_key)
    if cached is None:
        if cache_key in _broken:
            raise ValueError(f"{version} has a corrupt artifact")
        artifact = ModelVersion.objects.values_list("artifact", flat=True).get(pk=version.pk)
        try:
            cached = load(artifact)
        except Exception:
            with _cache_lock:
                _broken.add(cache_key)
            raise
        with _cache_lock:
            _loaded[cache_key] = cached
    return cached


def champion_get(
    kind: str, scope: str = ModelVersion.Scope.GLOBAL, scope_key: str = "", *, load: Loader
) -> LoadedModel | None:
    """The champion of a scope with its model parsed by `load` (the kind's artifact loader), or None when the scope
    has no usable model.

    Serving calls this on every prediction, so the answer is kept in process for PREDICTIONS_CHAMPION_TTL_S seconds
    (a query costs more than the three boosters together). A promotion or rollback clears it at once in the process
    that made it (the ModelVersion save signal) and reaches the other processes within the TTL.
    """
    schema = getattr(connection, "schema_name", "public") if scope == ModelVersion.Scope.TENANT else "public"
    key = (schema, kind, scope, scope_key)
    now = time.monotonic()
    hit = _champions.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    loaded = _champion_lookup(kind, scope, scope_key, load)
    ttl = float(getattr(settings, "PREDICTIONS_CHAMPION_TTL_S", 5.0))
    if ttl > 0:
        with _cache_lock:
            _champions[key] = (now + ttl, loaded)
    return loaded


def _champion_lookup(kind: str, scope: str, scope_key: str, load: Loader) -> LoadedModel | None:
    """One indexed query; an artifact is read and parsed once per process, keyed by (schema, version id).

    A champion whose artifact is missing or corrupt is logged and replaced by the previous champion (the most
    recently promoted archived version that loads), so a broken artifact never turns into a server error.
    """
    with _scope_schema(scope):
        schema = getattr(connection, "schema_name", "public")
        promoted = ModelVersion.objects.filter(
            kind=kind,
            scope=scope,
            scope_key=scope_key,
            status__in=[ModelVersion.Status.CHAMPION, ModelVersion.Status.ARCHIVED],
            promoted_at__isnull=False,
        ).defer("artifact")
        champion = next((v for v in promoted if v.status == ModelVersion.Status.CHAMPION), None)
        if champion is None:
            return None
        try:
            return LoadedModel(version=champion, model=_load(champion, (schema, champion.pk), load))
        except Exception:
            logger.exception("model artifact of %s cannot be loaded; falling back to the previous champion", champion)
        previous = sorted(
            (v for v in promoted if v.status == ModelVersion.Status.ARCHIVED), key=lambda v: v.promoted_at, reverse=True
        )
        for version in previous:
            try:
                model = _load(version, (schema, version.pk), load)
            except Exception:
                logger.exception("previous champion %s cannot be loaded either", version)
                continue
            logger.warning("serving %s in place of champion %s (corrupt artifact)", version, champion)
            return LoadedModel(version=version, model=model, fallback_from=champion.version)
    return None


def challenger_get(kind: str, *, load: Loader) -> LoadedModel | None:
    """The newest global candidate of `kind` with its model parsed, for champion/challenger experiments online
    (predictions/salary/challenger.py); None when there is no candidate or the newest one's artifact does not load
    (its caller then serves the champion). Kept in process like the champion."""
    key = ("public", kind, "challenger", "")
    now = time.monotonic()
    hit = _champions.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    loaded = None
    with public_schema_context():
        schema = getattr(connection, "schema_name", "public")
        newest = (
            ModelVersion.objects.filter(
                kind=kind, scope=ModelVersion.Scope.GLOBAL, scope_key="", status=ModelVersion.Status.CANDIDATE
            )
            .defer("artifact")
            .order_by("-version")
            .first()
        )
        if newest is not None:
            try:
                loaded = LoadedModel(version=newest, model=_load(newest, (schema, newest.pk), load))
            except Exception:
                logger.exception("challenger %s cannot be loaded; its variant is served the champion", newest)
    ttl = float(getattr(settings, "PREDICTIONS_CHAMPION_TTL_S", 5.0))
    if ttl > 0:
        with _cache_lock:
            _champions[key] = (now + ttl, loaded)
    return loaded


def model_rollback(*, kind: str, scope: str = ModelVersion.Scope.GLOBAL, scope_key: str = "") -> ModelVersion | None:
    """Archives the champion of a scope and makes the previously promoted version champion again (staff's rollback
    in admin). Returns the restored version, or None when there is no earlier champion to restore."""
    with _scope_schema(scope), transaction.atomic():
        versions = list(
            ModelVersion.objects.select_for_update()
            .filter(kind=kind, scope=scope, scope_key=scope_key, promoted_at__isnull=False)
            .order_by("-promoted_at")
        )
        champion = next((v for v in versions if v.status == ModelVersion.Status.CHAMPION), None)
        previous = next((v for v in versions if v.status == ModelVersion.Status.ARCHIVED), None)
        if champion is None or previous is None:
            return None
        champion.status = ModelVersion.Status.ARCHIVED
        champion.save(update_fields=["status"])
        previous.status = ModelVersion.Status.CHAMPION
        previous.promoted_at = timezone.now()
        previous.save(update_fields=["status", "promoted_at"])
    return previous


def champion_cache_clear(**_signal_kwargs: object) -> None:
    """Forgets which version is champion (not the parsed artifacts): connected to ModelVersion's save and delete."""
    with _cache_lock:
        _champions.clear()


def model_cache_clear() -> None:
    with _cache_lock:
        _loaded.clear()
        _broken.clear()
        _champions.clear()
