"""Serving: every prediction CVPlus makes goes through here, so every one is logged with the version that made it.

Each `<kind>_serve` takes inputs already validated (by the API's serializers or built by the application page),
calls the predictor, and writes PredictionLog rows in the tenant schema: one row per request and model version,
with the SHA-256 of the canonical JSON of the validated input, the latency and the batch size. Results are returned
as the predictor made them, with `model_version` always present.

The predictors are imported normally (a broken one stops the process at start-up); a kind with no usable champion
raises ModelUnavailable, which the API turns into a 503 and the application page into a "not available yet" line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from typing import Any

from accounts.models import User
from market.keyword_databases import industry_profiles
from predictions.drift import Observed, inputs_observed
from predictions.errors import ModelUnavailable, NoSalaryModel, NoTimeToHireModel
from predictions.interview.features import InterviewInput
from predictions.interview.model import interview_predict_for
from predictions.kinds import INTERVIEW, SALARY, TIME_TO_HIRE
from predictions.logbuffer import prediction_log_write
from predictions.match.scoring import SCORER_VERSION, match_score
from predictions.match.service import application_match_for
from predictions.models import PredictionLog
from predictions.registry import LoadedModel
from predictions.salary.challenger import salary_model_for
from predictions.salary.serving import salary_predict
from predictions.time_to_hire.serving import time_to_hire_predict
from tenants.context import require_tenant_schema
from tracking.cv import keywords
from tracking.cv.services import cv_parse
from tracking.models import Application
from tracking.requirements import requirements_split
from tracking.services import posting_industry_detect

logger = logging.getLogger(__name__)
MAX_BATCH_ITEMS = 10_000
SALARY_OPTIONAL = ("experience_level", "residence_country", "work_year", "currency", "state", "industry")
TIME_TO_HIRE_OPTIONAL = ("country", "state", "application_count", "posting_open_days", "posted_on")


def input_hash(payload: object) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces) of a validated input."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _present(item: dict, optional: Sequence[str]) -> dict:
    """The item without optional keys left empty, so a predictor's own defaults apply."""
    return {key: value for key, value in item.items() if not (key in optional and value in (None, ""))}


def _log_write(
    *,
    kind: str,
    results: list[dict],
    payload: object,
    latency_ms: float,
    user: User | None,
    source: str,
    observed: dict[tuple[int, str], Observed] | None = None,
) -> list[PredictionLog]:
    digest = input_hash(payload)
    observed = observed or {}
    groups: dict[tuple, list[dict]] = {}
    for result in results:
        key = (result.get("model_version_id"), result.get("model_version"), result.get("scope") or "")
        groups.setdefault(key, []).append(result)
    rows = []
    for (version_id, version, scope), answered in groups.items():
        numbered = isinstance(version, int) and not isinstance(version, bool)
        insufficient = any(r.get("insufficient_data") for r in answered)
        label = "" if numbered else str(version or ("prior" if insufficient else ""))
        low = sum(1 for r in answered if r.get("low_confidence"))
        # Salary answers name no scope: their versions are global.
        bins = observed.get((version_id, str(scope) or "global")) if version_id is not None else None
        rows.append(
            PredictionLog(
                kind=kind,
                model_version_id=version_id,
                model_version=version if numbered else None,
                model_label=label[:32],
                scope=str(scope)[:10],
                input_hash=digest,
                latency_ms=latency_ms,
                batch_size=len(answered),
                low_confidence=low > 0,
                low_confidence_count=low,
                insufficient_data=insufficient,
                source=source,
                input_bins=bins.counts if bins is not None else None,
                user=user if user is not None and user.is_authenticated else None,
            )
        )
    prediction_log_write(rows)  # off the request path, in batches (predictions/logbuffer.py)
    return rows


def _serve(
    kind: str, *, payload: object, predict: Callable[[], list[dict]], user: User | None, source: str
) -> list[dict]:
    require_tenant_schema()
    started = time.perf_counter()
    with inputs_observed() as observed:  # the bins of the inputs each version answered (predictions/drift.py)
        results = predict()
    latency_ms = (time.perf_counter() - started) * 1000
    for result in results:
        result.setdefault("model_version", None)
    _log_write(
        kind=kind,
        results=results,
        payload=payload,
        latency_ms=latency_ms,
        user=user,
        source=source,
        observed=observed,
    )
    return results


# ---------------------------------------------------------------------------------------------------------------------
# Salary and time to hire: plain inputs
# ---------------------------------------------------------------------------------------------------------------------


def salary_serve(
    *,
    user: User | None,
    items: list[dict],
    explain: bool = True,
    source: str = PredictionLog.Source.API,
    challenger_allowed: bool = True,
) -> list[dict]:
    """Salary ranges for validated inputs (the keyword arguments of `predictions.salary.model.salary_predict`), from
    the champion, or from the challenger for a person in the running salary experiment's challenger variant
    (predictions/salary/challenger.py). `challenger_allowed=False`: always the champion (a page that compares
    ranges with what happened, whose figures must come from one model)."""
    served = salary_model_for(user=user) if challenger_allowed else None
    return _serve(
        PredictionLog.Kind.SALARY,
        payload=items,
        predict=lambda: salary_predict_items(items, explain=explain, served=served),
        user=user,
        source=source,
    )


def salary_predict_items(items: list[dict], *, explain: bool = True, served: LoadedModel | None = None) -> list[dict]:
    """The predictor alone, without the tenant's prediction log: for callers that meter elsewhere (the licensee
    API in the public schema). Raises ModelUnavailable. `served`: a model to answer with instead of the champion."""
    inputs = [_present(item, SALARY_OPTIONAL) for item in items]
    try:
        if len(inputs) > 1:
            return list(SALARY.predict_batch(inputs, explain=explain, served=served))
        return [salary_predict(**item, served=served) for item in inputs]
    except NoSalaryModel as error:
        raise ModelUnavailable(PredictionLog.Kind.SALARY) from error


def time_to_hire_serve(
    *, user: User | None, items: list[dict], explain: bool = True, source: str = PredictionLog.Source.API
) -> list[dict]:
    """Days to offer for validated inputs (the keyword arguments of `time_to_hire_predict`)."""
    return _serve(
        PredictionLog.Kind.TIME_TO_HIRE,
        payload=items,
        predict=lambda: time_to_hire_predict_items(items, explain=explain),
        user=user,
        source=source,
    )


def time_to_hire_predict_items(items: list[dict], *, explain: bool = True) -> list[dict]:
    """The predictor alone, without the tenant's prediction log (see `salary_predict_items`)."""
    inputs = [_present(item, TIME_TO_HIRE_OPTIONAL) for item in items]
    try:
        if len(inputs) > 1:
            return list(TIME_TO_HIRE.predict_batch(inputs, explain=explain))
        return [time_to_hire_predict(**item) for item in inputs]
    except NoTimeToHireModel as error:
        raise ModelUnavailable(PredictionLog.Kind.TIME_TO_HIRE) from error


# ---------------------------------------------------------------------------------------------------------------------
# Interview and match: the caller's own applications, or raw inputs
# ---------------------------------------------------------------------------------------------------------------------


def interview_input_fields() -> list[tuple[str, Any, bool]]:
    """(name, annotation, required) of `predictions.interview.features.InterviewInput`, for the API's raw-input
    serializer."""
    fields = dataclass_fields(InterviewInput)
    return [(f.name, f.type, f.default is MISSING and f.default_factory is MISSING) for f in fields]


def interview_serve(
    *,
    user: User,
    applications: Sequence[Application] = (),
    inputs: Sequence[dict] = (),
    explain: bool = True,
    source: str = PredictionLog.Source.API,
) -> list[dict]:
    """Interview and offer probabilities for the user's own applications (already scoped by the caller), or for raw
    `InterviewInput` fields. One of the two is given."""
    for application in applications:
        if application.owner_id != user.pk:
            raise PermissionError("interview_serve: the application belongs to another user")

    def predict() -> list[dict]:
        # No ModelUnavailable here: without a champion the interview kind answers with its documented prior.
        if applications:
            return [interview_predict_for(user=user, application=a) for a in applications]
        return list(INTERVIEW.predict_batch(inputs, explain=explain, owner_id=user.pk))

    payload = {"application_ids": [a.pk for a in applications]} if applications else list(inputs)
    return _serve(PredictionLog.Kind.INTERVIEW, payload=payload, predict=predict, user=user, source=source)


def interview_predict_items(items: list[dict], *, explain: bool = True) -> list[dict]:
    """The predictor alone for raw inputs, without the tenant's prediction log (see `salary_predict_items`): in the
    public schema (the licensee API) no workspace's outcomes exist, so without a global classifier that beat the
    published prior, the answer is that prior for each input's channel."""
    return list(INTERVIEW.predict_batch(items, explain=explain))


def _match_confidence(result: dict) -> dict:
    result["model_version"] = result.get("scorer_version") or SCORER_VERSION
    result["low_confidence"] = result.get("score") is None
    reason = result.get("reason")
    result["low_confidence_reasons"] = [{"code": "no_score", "message": str(reason)}] if reason else []
    return result


def match_raw_predict(inputs: Sequence[dict]) -> list[dict]:
    """Match scores for raw `cv_text`, `posting_title`, `posting_description` (and optional `must_have`,
    `nice_to_have` lists; without them the requirements are read from the description), without the tenant's
    prediction log (see `salary_predict_items`)."""

    def raw_match(item: dict) -> dict:
        requirements = requirements_split(item["posting_description"])
        for key in ("must_have", "nice_to_have"):
            if item.get(key) is not None:
                requirements[key] = list(item[key])
        industry = item.get("industry") or posting_industry_detect(
            title=item["posting_title"], description=item["posting_description"]
        )
        return match_score(
            cv_readable=True,
            cv_text=item["cv_text"],
            cv_parsed=cv_parse(item["cv_text"]),
            posting_title=item["posting_title"],
            posting_description=item["posting_description"],
            requirements=requirements,
            index=keywords.keyword_index(),
            industry=industry_profiles().get(industry) if industry else None,
        )

    return [_match_confidence(dict(raw_match(item))) for item in inputs]


def match_serve(
    *,
    user: User,
    applications: Sequence[Application] = (),
    inputs: Sequence[dict] = (),
    source: str = PredictionLog.Source.API,
) -> list[dict]:
    """Match scores for the user's own applications, or for raw inputs (`match_raw_predict`)."""

    def predict() -> list[dict]:
        if applications:
            return [_match_confidence(dict(application_match_for(user=user, application=a))) for a in applications]
        return match_raw_predict(inputs)

    payload = {"application_ids": [a.pk for a in applications]} if applications else list(inputs)
    return _serve(PredictionLog.Kind.MATCH, payload=payload, predict=predict, user=user, source=source)
