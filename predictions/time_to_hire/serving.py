"""Time to hire: days to an offer with a calibrated [P10, P90] interval, its model version, its top factors and its
confidence. This module serves; the data, model, training, evaluation, card and tenant parts are the other modules
of predictions.time_to_hire.

Which model answers: the current tenant's own champion (scope "tenant", trained once the tenant has
MIN_TENANT_DURATIONS applied → offer durations) when it exists, else the global champion trained on US federal
(GSA) vacancies 2004–2010, whose days run from the application deadline to the tentative offer. The answer always
names its source, and a global answer for a non-US country or an unmatched title is labelled low confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from numbers import Integral
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name

from market.selectors import country_name
from predictions.drift import inputs_observe
from predictions.errors import NoTimeToHireModel
from predictions.registry import champion_get
from predictions.time_to_hire.data import (
    FEATURE_NAMES,
    US_STATES,
    TimeToHireInput,
    time_to_hire_feature_matrix,
    title_family,
)
from predictions.time_to_hire.model import TimeToHireModel

KIND = "time_to_hire"
MIN_FAMILY_ROWS = 50  # fewer training rows in the occupation family: the answer is labelled low confidence
MAX_TITLE_CHARS = 200
MAX_APPLICATION_COUNT = 100_000
MAX_POSTING_OPEN_DAYS = 365
FACTOR_LABELS = {
    "occupation_family": gettext_lazy("occupation"),
    "state": gettext_lazy("US state"),
    "posting_month": gettext_lazy("month posted"),
    "application_count": gettext_lazy("number of applicants"),
    "posting_open_days": gettext_lazy("days the posting is open"),
}


def _request_clean(raw: Mapping[str, Any], *, prefix: str = "") -> tuple[str, str | None, TimeToHireInput]:
    """(title, country, features input) of one request, or a ValidationError keyed by the field at fault."""
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS:
        raise ValidationError({f"{prefix}title": _("Enter a job title (at most 200 characters).")})
    country = raw.get("country")
    if country in (None, ""):
        country = None
    elif not isinstance(country, str) or len(country.strip()) != 2 or not country.strip().isalpha():
        raise ValidationError({f"{prefix}country": _("Enter a two-letter ISO 3166 country code, e.g. US.")})
    else:
        country = country.strip().upper()
    state = raw.get("state")
    if state in (None, "") or country not in (None, "US"):
        state = None  # a province elsewhere is not a US state
    elif not isinstance(state, str) or state.strip().upper() not in US_STATES:
        raise ValidationError({f"{prefix}state": _("Enter a two-letter US state code, e.g. TX.")})
    else:
        state = state.strip().upper()
    count = raw.get("application_count")
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, Integral) or not 0 <= count <= MAX_APPLICATION_COUNT
    ):
        raise ValidationError({f"{prefix}application_count": _("Enter a whole number of applicants, 0 or more.")})
    open_days = raw.get("posting_open_days")
    if open_days is not None and (
        isinstance(open_days, bool)
        or not isinstance(open_days, Integral)
        or not 0 <= open_days <= MAX_POSTING_OPEN_DAYS
    ):
        raise ValidationError(
            {f"{prefix}posting_open_days": _("Enter the whole number of days the posting is open, 0 to 365.")}
        )
    posted_on = raw.get("posted_on")
    if posted_on is not None and not isinstance(posted_on, date):
        raise ValidationError({f"{prefix}posted_on": _("Enter a date such as 2026-03-01.")})
    month = (posted_on or timezone.localdate()).month
    item = TimeToHireInput(
        occupation_family=None,
        state=state,
        posting_month=month,
        application_count=int(count) if count is not None else None,
        posting_open_days=int(open_days) if open_days is not None else None,
    )
    return title.strip(), country, item


def _champion() -> tuple[Any, str]:
    """The tenant's own champion when the connection is on a tenant schema that has one, else the global one."""
    schema = getattr(connection, "schema_name", None)
    if schema and schema != get_public_schema_name():
        tenant = champion_get(KIND, scope="tenant", load=TimeToHireModel.artifact_loads)
        if tenant is not None:
            return tenant, "tenant"
    champion = champion_get(KIND, load=TimeToHireModel.artifact_loads)
    if champion is None:
        raise NoTimeToHireModel(NoTimeToHireModel.__doc__)
    return champion, "global"


def _factors(contributions: np.ndarray, values: np.ndarray, *, top: int = 3) -> list[dict[str, object]]:
    """The largest per-feature contributions in days. A feature the request did not give still moves the estimate
    (the model has learnt what "unknown" means); its label says it was not given, so a Canadian posting does not
    read as if a US state had been chosen."""
    ranked = sorted(
        zip(FEATURE_NAMES, contributions[:-1], values, strict=True), key=lambda item: abs(item[1]), reverse=True
    )
    return [
        {
            "factor": name,
            "label": str(FACTOR_LABELS[name])
            if not np.isnan(value)
            else _("%(factor)s not given") % {"factor": FACTOR_LABELS[name]},
            "effect_days": round(float(effect), 1),
        }
        for name, effect, value in ranked[:top]
        if round(float(effect), 1) != 0.0
    ]


def _source(model: TimeToHireModel) -> str:
    if model.source == "tenant":
        return _("Your own applications (%(count)d applied → offer durations)") % {"count": model.training_rows}
    return _("US federal hiring data (GSA vacancies, 2004–2010): days from the application deadline to the offer")


def _reasons(model: TimeToHireModel, *, family: str | None, country: str | None) -> list[dict[str, str]]:
    reasons = []
    if family is None:
        message = _("This job title could not be matched to an occupation, so the estimate covers all occupations.")
        reasons.append({"code": "unknown_title", "message": message})
    elif model.family_rows.get(family, 0) < MIN_FAMILY_ROWS:
        message = _("Few hires in this occupation family were available to learn from.")
        reasons.append({"code": "thin_occupation_data", "message": message})
    if model.source != "tenant" and country is not None and country != "US":
        message = _("Estimated from US federal hiring data; hiring in %(country)s may be faster or slower.") % {
            "country": country_name(country)
        }
        reasons.append({"code": "outside_us", "message": message})
    return reasons


def time_to_hire_predict_batch(items: Sequence[Mapping[str, Any]], *, explain: bool = False) -> list[dict]:
    """Predictions for many requests (keys as `time_to_hire_predict`'s arguments) from ONE feature matrix and one
    predict call per booster; each title is matched once. `explain` adds the top factors (one pred_contrib call).

    Raises ValidationError naming the item and field ("3.title") for a malformed request, NoTimeToHireModel when
    no champion exists.
    """
    from predictions.reference import market_reference

    cleaned = [_request_clean(raw, prefix=f"{i}." if len(items) > 1 else "") for i, raw in enumerate(items)]
    champion, scope = _champion()
    model: TimeToHireModel = champion.model
    reference = market_reference()
    families: dict[str, str | None] = {}
    inputs = []
    for title, _country, item in cleaned:
        if title not in families:
            families[title] = title_family(title, reference)
        inputs.append(replace(item, occupation_family=families[title]))
    features = time_to_hire_feature_matrix(inputs)
    inputs_observe(champion.version, features)
    low, mid, high = model.predict_days(features) if len(inputs) else (np.empty(0),) * 3
    contributions = model.contributions(features) if explain and len(inputs) else None
    source = _source(model)
    results = []
    for i, ((_title, country, _item), item) in enumerate(zip(cleaned, inputs, strict=True)):
        p50 = round(float(mid[i]))
        reasons = _reasons(model, family=item.occupation_family, country=country)
        results.append(
            {
                "days_p10": min(round(float(low[i])), p50),
                "days_p50": p50,
                "days_p90": max(round(float(high[i])), p50),
                "model_version_id": champion.version.pk,
                "model_version": champion.version.version,
                "scope": scope,
                "source": source,
                "measured_from": model.measured_from,
                "occupation_family": item.occupation_family,
                "low_confidence": bool(reasons),
                "low_confidence_reasons": reasons,
                "factors": _factors(contributions[i], features[i]) if contributions is not None else [],
            }
        )
    return results


def time_to_hire_predict(
    *,
    title: str,
    country: str | None = None,
    state: str | None = None,
    application_count: int | None = None,
    posted_on: date | None = None,
    posting_open_days: int | None = None,
) -> dict:
    """Days to an offer: {"days_p10", "days_p50", "days_p90" (ints, ordered), "model_version_id", "model_version",
    "scope" ("global" or "tenant"), "source", "measured_from", "occupation_family", "low_confidence",
    "low_confidence_reasons" [{"code", "message"}], "factors" [{"factor", "label", "effect_days"}] (top 3)}.

    `posted_on` only gives the posting month (today's when omitted); `posting_open_days` is the posting's closing
    date minus its opening date, in days (unknown when omitted, as is `application_count`). Raises ValidationError
    for malformed input and NoTimeToHireModel when no champion exists.
    """
    request = {
        "title": title,
        "country": country,
        "state": state,
        "application_count": application_count,
        "posted_on": posted_on,
        "posting_open_days": posting_open_days,
    }
    return time_to_hire_predict_batch([request], explain=True)[0]
