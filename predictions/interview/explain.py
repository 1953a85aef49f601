"""What a classifier's interview prediction says besides its number: the reasons for low confidence and the
plain-language factors (the shrunk prior's answer says its own, predictions.interview.odds). Pure: no ORM."""

from __future__ import annotations

import math

import lightgbm as lgb
import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from predictions.interview.features import FACTOR_OF_FEATURE, INTERVIEW_FEATURE_NAMES
from predictions.interview.training import Calibrator

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
