"""Interview and offer probability from the tenant's own tracked outcomes: the model, its training and its serving.

Labels come from the stage history with censoring (predictions.interview.features.outcome_labels); the classifier is
LightGBM calibrated on out-of-fold predictions (predictions.interview.training). Serving order: the tenant's champion,
then the global champion, else the published prior shrunk toward the workspace's and the seeker's outcomes
(predictions.interview.odds). A classifier is promoted only when it beats that shrunk prior on its held-out outcomes
(metrics["must_beat"], read by predictions.registry.model_promote).

Split for a tenant model: by time. The latest TEST_SHARE of labelled applications (by the date they were sent) are
the test set, scored once; the earlier ones train, with cross-validation folds grouped by user so one person's
applications never sit on both sides of a fold during tuning and calibration.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import lightgbm as lgb
import numpy as np
from django.db import connection
from django_tenants.utils import get_public_schema_name

from predictions.drift import inputs_observe
from predictions.errors import InsufficientOutcomes
from predictions.interview.explain import interview_factors, low_confidence_reasons
from predictions.interview.features import INTERVIEW_FEATURE_NAMES, InterviewInput, interview_features
from predictions.interview.odds import shrunk_prior_results
from predictions.interview.outcomes import (
    OutcomeRow,
    interview_input_for,
    outcome_counts,
)
from predictions.interview.shrinkage import shrunk_prior_predict
from predictions.interview.training import (
    SEED,
    Calibrator,
    Progress,
    binary_metrics,
    classifier_fit,
    logistic_fit,
    quiet,
)
from predictions.registry import LoadedModel, champion_get

ARTIFACT_FORMAT = "cvplus-interview-v1"
PROMOTION_METRIC = "brier"  # metrics["test"][...] a challenger must beat (lower is better)
# 200: with the latest 20 % held out that leaves 40 test outcomes (a Brier score's standard error near 0.03-0.05)
# and 160 training outcomes for five folds of 32 held-out predictions each to fit Platt scaling on. Fewer, and the
# tenant's own smoothed rate is more honest than a model.
MIN_LABELLED_OUTCOMES = 200
SHRUNK_PRIOR = "shrunk_prior"  # metrics["baselines"][...]: the published prior shrunk toward the training outcomes
MIN_OFFER_POSITIVES = 20  # fewer offers than this in training and no offer model is trained (offer stays the prior)
TEST_SHARE = 0.2


@dataclass
class BinaryHead:
    booster: lgb.Booster
    calibrator: Calibrator

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.calibrator.apply(self.booster.predict(x, num_threads=1))


@dataclass
class InterviewModel:
    """Calibrated interview and (when enough offers exist) offer classifiers over INTERVIEW_FEATURE_NAMES."""

    interview: BinaryHead
    offer: BinaryHead | None
    params: dict[str, object]
    labelled_outcomes: int
    offer_labelled_outcomes: int = 0
    feature_names: list[str] | None = None

    def __post_init__(self) -> None:
        self.feature_names = list(self.feature_names or INTERVIEW_FEATURE_NAMES)

    def artifact_dumps(self) -> str:
        def head(part: BinaryHead | None) -> dict | None:
            if part is None:
                return None
            return {"model": part.booster.model_to_string(), "calibrator": part.calibrator.to_json()}

        return json.dumps(
            {
                "format": ARTIFACT_FORMAT,
                "interview": head(self.interview),
                "offer": head(self.offer),
                "feature_names": self.feature_names,
                "params": self.params,
                "labelled_outcomes": self.labelled_outcomes,
                "offer_labelled_outcomes": self.offer_labelled_outcomes,
            }
        )

    @classmethod
    def artifact_loads(cls, text: str) -> InterviewModel:
        """Raises ValueError on anything that is not an interview artifact written by `artifact_dumps`."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as error:
            raise ValueError(f"not an interview model artifact: {error}") from error
        if not isinstance(data, dict) or data.get("format") != ARTIFACT_FORMAT:
            raise ValueError("not an interview model artifact")
        if data.get("feature_names") != INTERVIEW_FEATURE_NAMES:
            raise ValueError("interview model artifact: its features differ from this code's features")

        def head(part: dict | None) -> BinaryHead | None:
            if part is None:
                return None
            try:
                booster = lgb.Booster(model_str=part["model"])
            except Exception as error:  # LightGBM raises its own error type on a corrupt model string
                raise ValueError(f"interview model artifact: corrupt booster ({error})") from error
            return BinaryHead(booster, Calibrator.from_json(part["calibrator"]))

        try:
            interview = head(data["interview"])
            if interview is None:
                raise ValueError("interview model artifact: no interview model")
            return cls(
                interview=interview,
                offer=head(data.get("offer")),
                params=dict(data["params"]),
                labelled_outcomes=int(data["labelled_outcomes"]),
                offer_labelled_outcomes=int(data.get("offer_labelled_outcomes", 0)),
                feature_names=list(data["feature_names"]),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"interview model artifact: missing or malformed {error}") from error


# ---------------------------------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------------------------------
def _fingerprint(rows: Sequence[OutcomeRow], x: np.ndarray | None = None) -> str:
    digest = hashlib.sha256()
    for i, row in enumerate(rows):
        digest.update(f"{row.application_id}:{row.interview_label}:{row.offer_label}".encode())
        if x is not None:
            digest.update(np.nan_to_num(x[i], nan=-999.0).tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class InterviewSplit:
    """The time split of one training run: outcomes sent before `cutoff` train, the others are the test set."""

    cutoff: datetime
    train: list[OutcomeRow]
    test: list[OutcomeRow]


@dataclass
class InterviewTrainingRun:
    model: InterviewModel
    metrics: dict[str, object]
    data_fingerprint: str
    training_seconds: float
    split: InterviewSplit


def interview_data_fingerprint(labelled: Sequence[OutcomeRow]) -> str:
    """The fingerprint a training run records for its labelled rows: their labels and feature rows."""
    return _fingerprint(labelled, interview_features([r.input for r in labelled]))


def interview_training_matrix(split: InterviewSplit) -> np.ndarray:
    """The training rows' feature matrix: the reference of the model's input bins (predictions/drift.py)."""
    return interview_features([r.input for r in split.train])


def interview_test_brier(artifact: str, split: InterviewSplit) -> float:
    """A saved model's Brier score on this split's test outcomes: how a champion is re-scored on a candidate's rows."""
    model = InterviewModel.artifact_loads(artifact)
    actual = np.asarray([r.interview_label for r in split.test], dtype=np.float64)
    return float(
        binary_metrics(actual, model.interview.predict(interview_features([r.input for r in split.test])))["brier"]
    )


def _baselines(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    train: Sequence[OutcomeRow],
    test: Sequence[OutcomeRow],
) -> dict:
    """The held-out scores of simpler answers on the same test rows. The shrunk prior's (what serves without a
    classifier) learns from the training rows only; its Brier score is shrinkage.shrunk_prior_brier's."""
    return {
        "base_rate": binary_metrics(y_test, np.full(y_test.size, y_train.mean())),
        "logistic_regression": binary_metrics(y_test, logistic_fit(x_train, y_train)(x_test)),
        SHRUNK_PRIOR: binary_metrics(y_test, shrunk_prior_predict(train, test)),
    }


def _offer_fit(
    rows: Sequence[OutcomeRow], *, cut: datetime, seed: int, n_trials: int, timeout_s: float
) -> tuple[BinaryHead | None, dict]:
    """The offer head on the same time split, or None when training holds fewer than MIN_OFFER_POSITIVES offers (or
    non-offers): then serving gives no offer probability from the model."""
    train = [r for r in rows if r.applied_at < cut]
    test = [r for r in rows if r.applied_at >= cut]
    y = np.asarray([r.offer_label for r in train], dtype=np.float64)
    if min(y.sum(), (y == 0).sum()) < MIN_OFFER_POSITIVES:
        return None, {"status": "not trained", "training_offers": int(y.sum()), "needed": MIN_OFFER_POSITIVES}
    fit = classifier_fit(
        interview_features([r.input for r in train]),
        y,
        feature_names=INTERVIEW_FEATURE_NAMES,
        groups=np.asarray([r.owner_id for r in train]),
        seed=seed,
        n_trials=max(1, n_trials // 2),
        timeout_s=timeout_s / 2,
    )
    head = BinaryHead(fit.booster, fit.calibrator)
    y_test = np.asarray([r.offer_label for r in test], dtype=np.float64)
    return head, {
        "status": "trained",
        "test": binary_metrics(y_test, head.predict(interview_features([r.input for r in test]))),
    }


def interview_train(
    rows: Sequence[OutcomeRow],
    *,
    seed: int = SEED,
    progress: Progress = quiet,
    n_trials: int = 12,
    timeout_s: float = 60.0,
) -> InterviewTrainingRun:
    """Trains and evaluates on labelled rows (split by time, see the module docstring). Raises InsufficientOutcomes
    below MIN_LABELLED_OUTCOMES interview labels or with a single class."""
    started = time.perf_counter()
    labelled = sorted(
        (r for r in rows if r.interview_label is not None and r.input is not None),
        key=lambda r: (r.applied_at, r.application_id),
    )
    if len(labelled) < MIN_LABELLED_OUTCOMES:
        raise InsufficientOutcomes(f"{len(labelled)} labelled outcomes; at least {MIN_LABELLED_OUTCOMES} are needed")
    cut = labelled[int(len(labelled) * (1 - TEST_SHARE))].applied_at
    train = [r for r in labelled if r.applied_at < cut]
    test = [r for r in labelled if r.applied_at >= cut]
    x_train, x_test = interview_features([r.input for r in train]), interview_features([r.input for r in test])
    y_train = np.asarray([r.interview_label for r in train], dtype=np.float64)
    y_test = np.asarray([r.interview_label for r in test], dtype=np.float64)
    if y_train.min() == y_train.max():
        raise InsufficientOutcomes("every training outcome has the same label")
    groups = np.asarray([r.owner_id for r in train])
    progress(f"interview: {len(train)} training and {len(test)} test outcomes (sent before / from {cut:%Y-%m-%d})")
    fit = classifier_fit(
        x_train,
        y_train,
        feature_names=INTERVIEW_FEATURE_NAMES,
        groups=groups,
        seed=seed,
        n_trials=n_trials,
        timeout_s=timeout_s,
        progress=progress,
    )
    metrics: dict[str, object] = {
        "test": binary_metrics(y_test, fit.predict(x_test)),
        "baselines": _baselines(x_train, y_train, x_test, y_test, train=train, test=test),
        # The registry refuses a promotion unless the test metric is below each of these baselines' (same rows).
        "must_beat": [SHRUNK_PRIOR],
        "test_fingerprint": _fingerprint(test),
        "split": {
            "method": "time",
            "cutoff": cut.isoformat(),
            "train": len(train),
            "test": len(test),
            "cv": "folds grouped by user" if fit.tuning["grouped_folds"] else "stratified folds",
        },
        "tuning": fit.tuning,
        "calibration": fit.calibrator.method,
        "out_of_fold_after_calibration": fit.oof_metrics,
        "counts": outcome_counts(rows),
        "labelled_outcomes": len(labelled),
    }
    offer_rows = [r for r in labelled if r.offer_label is not None]
    offer_head, metrics["offer"] = _offer_fit(offer_rows, cut=cut, seed=seed, n_trials=n_trials, timeout_s=timeout_s)
    model = InterviewModel(
        interview=BinaryHead(fit.booster, fit.calibrator),
        offer=offer_head,
        params=fit.params,
        labelled_outcomes=len(labelled),
        offer_labelled_outcomes=len(offer_rows),
    )
    training_seconds = time.perf_counter() - started
    metrics["training_seconds"] = training_seconds
    return InterviewTrainingRun(
        model,
        metrics,
        interview_data_fingerprint(labelled),
        training_seconds,
        InterviewSplit(cut, train, test),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------------------------------
def _in_tenant_schema() -> bool:
    schema = getattr(connection, "schema_name", None)
    return bool(schema) and schema != get_public_schema_name()


def beats_shrunk_prior(metrics: dict) -> bool:
    """Whether a run's held-out Brier score is below the shrunk prior's on the same rows. False when either is
    missing: a classifier promoted before the shrunk prior existed never learnt it had to beat it."""
    test = (metrics.get("test") or {}).get(PROMOTION_METRIC)
    prior = ((metrics.get("baselines") or {}).get(SHRUNK_PRIOR) or {}).get(PROMOTION_METRIC)
    return test is not None and prior is not None and float(test) < float(prior)


def _champion() -> LoadedModel | None:
    """The tenant's champion, else the global one; either only when it beat the shrunk prior (fails closed)."""
    scopes = ("tenant", "global") if _in_tenant_schema() else ("global",)
    for scope in scopes:
        champion = champion_get("interview", scope=scope, load=InterviewModel.artifact_loads)
        if champion is not None and beats_shrunk_prior(champion.version.metrics or {}):
            return champion
    return None


def interview_predict(inputs: list[InterviewInput], *, explain: bool = True, owner_id: int | None = None) -> list[dict]:
    """One result dict per input (keys in the module's public contract), from one feature matrix and one predict
    call per head. Without a champion every result is the shrunk prior of the seeker `owner_id` (None: nobody's own
    outcomes, the workspace's only) for the input's channel, with 80 % intervals and its basis."""
    x = interview_features(inputs)
    champion = _champion()
    if champion is None:
        return shrunk_prior_results(inputs, owner_id=owner_id, in_tenant=_in_tenant_schema())
    model: InterviewModel = champion.model
    inputs_observe(champion.version, x)
    interview = model.interview.predict(x)
    offer = model.offer.predict(x) if model.offer is not None else None
    factors = interview_factors(model.interview.booster, model.interview.calibrator, x) if explain else None
    results = []
    for i, row in enumerate(x):
        reasons = low_confidence_reasons(row, prior=False, labelled_outcomes=model.labelled_outcomes)
        results.append(
            {
                "interview_probability": round(float(interview[i]), 4),
                "offer_probability": round(float(offer[i]), 4) if offer is not None else None,
                "interview_probability_interval": None,
                "offer_probability_interval": None,
                "insufficient_data": False,
                "labelled_outcomes": model.labelled_outcomes,
                "model_version_id": champion.version.pk,
                "model_version": champion.version.version,
                "scope": champion.version.scope,
                "low_confidence": bool(reasons),
                "low_confidence_reasons": reasons,
                "factors": factors[i] if factors is not None else [],
                "prior_note": None,
            }
        )
    return results


def interview_predict_for(*, user, application) -> dict:
    """The prediction for one application of `user` (loaded with posting and cv). Fails closed: another user's
    application raises PermissionError before anything is computed."""
    from tenants.context import require_tenant_schema

    require_tenant_schema()
    if application.owner_id != user.pk:
        raise PermissionError("interview_predict_for: the application belongs to another user")
    return interview_predict([interview_input_for(application)], owner_id=user.pk)[0]
