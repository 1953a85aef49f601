"""What an interview prediction says besides its number: the prior used when there is too little data, the reasons
for low confidence and the plain-language factors. Pure: no ORM."""

from __future__ import annotations

import math

import lightgbm as lgb
import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from scipy.stats import beta

from predictions.interview.features import FACTOR_OF_FEATURE, INTERVIEW_FEATURE_NAMES
from predictions.interview.training import Calibrator

PRIOR_INTERVAL = (0.05, 0.95)  # a 90 % Beta interval around the prior's rate
FEW_OUTCOMES = 1000  # a model trained on fewer labelled outcomes than this is labelled low confidence
TOP_FACTORS = 3
MIN_FACTOR_POINTS = 0.5  # factors moving the probability by less than half a percentage point are not shown

FACTOR_LABELS = {
    "match_score": gettext_lazy("overall match with the posting"),
    "must_have_coverage": gettext_lazy("must-have requirements met"),
    "nice_to_have_coverage": gettext_lazy("nice-to-have requirements met"),
    "title_match": gettext_lazy("job title match"),
    "experience_gap_years": gettext_lazy("years of experience against those asked"),
    "channel": gettext_lazy("how you applied"),
    "applied_weekday": gettext_lazy("day of the week you applied"),
    "days_saved_to_applied": gettext_lazy("days between saving the posting and applying"),
    "seniority_level": gettext_lazy("seniority of the role"),
    "remote_level": gettext_lazy("on-site, hybrid or remote"),
    "employment_full_time": gettext_lazy("full-time or not"),
    "company_size_level": gettext_lazy("company size"),
    "industry": gettext_lazy("the posting's industry"),
}
_GROUPS = list(dict.fromkeys(FACTOR_OF_FEATURE[name] for name in INTERVIEW_FEATURE_NAMES))
_GROUP_COLUMNS = {g: [i for i, n in enumerate(INTERVIEW_FEATURE_NAMES) if FACTOR_OF_FEATURE[n] == g] for g in _GROUPS}


def _beta_interval(positives: int, labelled: int) -> list[float]:
    low, high = beta.ppf(PRIOR_INTERVAL, positives + 1, labelled - positives + 1)
    return [round(float(low), 4), round(float(high), 4)]


def interview_prior(counts: dict, *, minimum: int) -> dict:
    """The answer when no model can serve: never invented, never a prediction for the application.

    With labelled outcomes in the tenant (k reaching screening out of n), the probability is the Beta(1, 1)-smoothed
    rate (k + 1) / (n + 2) with its 90 % Beta(k + 1, n - k + 1) interval; with none, that formula gives 0.5 with the
    interval [0.05, 0.95], which means "unknown". The offer probability is smoothed the same way from the offer
    labels, and None while there are none. Every application of the tenant gets the same prior.
    """
    labelled, positives = int(counts.get("labelled", 0)), int(counts.get("positives", 0))
    offer_labelled, offer_positives = int(counts.get("offer_labelled", 0)), int(counts.get("offer_positives", 0))
    if labelled:
        note = ngettext(
            "Too few finished applications to predict this one: %(labelled)s tracked outcome in this workspace, "
            "%(positives)s of them reached screening or beyond, and a model needs at least %(minimum)s. This is that "
            "observed rate, the same for every application, not an estimate of this one.",
            "Too few finished applications to predict this one: %(labelled)s tracked outcomes in this workspace, "
            "%(positives)s of them reached screening or beyond, and a model needs at least %(minimum)s. This is that "
            "observed rate, the same for every application, not an estimate of this one.",
            labelled,
        ) % {"labelled": labelled, "positives": positives, "minimum": minimum}
    else:
        note = _(
            "No finished applications are tracked in this workspace yet, so 50 %% here means unknown, not an "
            "estimate. A model needs at least %(minimum)s tracked outcomes."
        ) % {"minimum": minimum}
    return {
        "interview_probability": round((positives + 1) / (labelled + 2), 4),
        "interview_probability_interval": _beta_interval(positives, labelled),
        "offer_probability": round((offer_positives + 1) / (offer_labelled + 2), 4) if offer_labelled else None,
        "offer_probability_interval": _beta_interval(offer_positives, offer_labelled) if offer_labelled else None,
        "insufficient_data": True,
        "labelled_outcomes": labelled,
        "model_version_id": None,
        "model_version": None,
        "scope": "prior",
        "low_confidence": True,
        "prior_note": note,
    }


def low_confidence_reasons(row: np.ndarray, *, prior: bool, labelled_outcomes: int = 0) -> list[dict[str, str]]:
    reasons: list[dict[str, str]] = []
    if prior:
        reasons.append(
            {"code": "insufficient_data", "message": _("Too few tracked outcomes for a model: this is a prior.")}
        )
    elif labelled_outcomes < FEW_OUTCOMES:
        reasons.append(
            {
                "code": "few_outcomes",
                "message": _("The model learnt from only %(count)s tracked outcomes.") % {"count": labelled_outcomes},
            }
        )
    if math.isnan(row[INTERVIEW_FEATURE_NAMES.index("match_score")]):
        reasons.append(
            {
                "code": "no_match_score",
                "message": _("No readable CV is pinned to this application, so its fit with the posting is unknown."),
            }
        )
    return reasons


def interview_factors(booster: lgb.Booster, calibrator: Calibrator, x: np.ndarray) -> list[list[dict]]:
    """Per row, the TOP_FACTORS factors that move the calibrated probability most, from LightGBM's per-feature
    log-odds contributions: a factor's effect is the calibrated probability minus the calibrated probability without
    its contribution, in percentage points (+6.0 = six points more likely). One pred_contrib call for all rows."""
    if x.shape[0] == 0:
        return []
    contributions = booster.predict(x, pred_contrib=True, num_threads=1)
    total = contributions.sum(axis=1)
    with_all = calibrator.apply(1.0 / (1.0 + np.exp(-total)))
    effects = np.empty((x.shape[0], len(_GROUPS)))
    for j, group in enumerate(_GROUPS):
        without = total - contributions[:, _GROUP_COLUMNS[group]].sum(axis=1)
        effects[:, j] = (with_all - calibrator.apply(1.0 / (1.0 + np.exp(-without)))) * 100
    order = np.argsort(-np.abs(effects), axis=1)[:, :TOP_FACTORS]
    labels = {group: str(FACTOR_LABELS[group]) for group in _GROUPS}
    result: list[list[dict]] = []
    for i in range(x.shape[0]):
        factors = []
        for j in order[i]:
            effect = round(float(effects[i, j]), 1)
            if abs(effect) >= MIN_FACTOR_POINTS:
                text = _("%(label)s: %(effect)s percentage points") % {
                    "label": labels[_GROUPS[j]],
                    "effect": f"{effect:+.1f}",
                }
                factors.append({"factor": _GROUPS[j], "label": labels[_GROUPS[j]], "effect": effect, "text": text})
        result.append(factors)
    return result
