"""Salary serving: one vectorised path for a single request and for a batch. It builds one feature matrix for the
rows the model answers, one BLS wage matrix for the rows the fallback answers, predicts each once, then converts to
the user's currency with the survey's own exchange rates.

A title whose occupation the surveys cover (or a frequent survey title) is answered by the model; a title matched to
an occupation outside the surveys is answered from BLS wages (`"method": "bls_fallback"`); an unknown title is still
answered by the model, flagged low confidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from market.industries import INDUSTRY_CODES
from market.selectors import country_name
from market.seniority import title_seniority
from predictions.drift import inputs_observe
from predictions.errors import NoSalaryModel, SalaryInputError
from predictions.features import SALARY_FEATURE_NAMES, MarketReference, SalaryInput, region_of, salary_feature_matrix
from predictions.registry import LoadedModel, champion_get
from predictions.salary.fallback import (
    BlsWages,
    bls_wages,
    fallback_predict_log,
    industry_code,
    industry_ratios,
    state_fips,
)
from predictions.salary.model import SalaryModel

REQUIRED_FIELDS = ("title", "employment_type", "remote_ratio", "company_size", "company_country")
# Without an experience level the title's seniority words give it ("Senior", "Head of"), else mid-level is assumed;
# either way the answer says so in ``assumptions``.
OPTIONAL_FIELDS = ("experience_level", "residence_country", "work_year", "currency", "state", "industry")
ASSUMED_LEVEL = "MI"
LEVEL_NAMES = {"EN": _("entry level"), "MI": _("mid-level"), "SE": _("senior level"), "EX": _("executive level")}
FX_SOURCE_SURVEY = "survey"  # aijobs.net survey: salary / salary_in_usd, median per currency and year
FX_SOURCE_IDENTITY = "identity"  # the answer is in USD
FACTOR_GROUPS: dict[str, str] = {name: name for name in SALARY_FEATURE_NAMES} | {
    f"bls_log_{p}": "occupation_wage_level" for p in ("p10", "p25", "p50", "p75", "p90")
}
FACTOR_LABELS: dict[str, str] = {
    "experience_level": _("experience level"),
    "employment_type": _("employment type"),
    "remote_ratio": _("remote ratio"),
    "company_size": _("company size"),
    "company_region": _("company region"),
    "company_location": _("company location"),
    "residence_is_company_country": _("living in the company's country"),
    "occupation_wage_level": _("occupation's US wage level (BLS)"),
    "work_year": _("year"),
    "title_match_method": _("title match"),
    "title_category": _("job title"),
    "company_country_category": _("company country"),
    "industry": _("industry (BLS sector wages)"),
}


def _input_check(item: Mapping[str, object], prefix: str) -> dict[str, object]:
    unknown = sorted(set(item) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise SalaryInputError(f"{prefix}{unknown[0]}", str(_("unknown field")))
    for name in REQUIRED_FIELDS:
        if item.get(name) is None:
            raise SalaryInputError(f"{prefix}{name}", str(_("this field is required")))
    for name in ("remote_ratio", "work_year"):
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise SalaryInputError(f"{prefix}{name}", str(_("must be a whole number")))
    return {name: item.get(name) for name in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)}


def _reason(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def title_level_message(level: str, word: str) -> str:
    """ "Priced at senior level: “Senior” in the job title." """
    return str(_("Priced at %(level)s: “%(word)s” in the job title.")) % {"level": LEVEL_NAMES[level], "word": word}


def _experience_level(item: dict[str, object]) -> tuple[str, dict[str, str] | None]:
    """The level to price at, and the assumption made when the caller gave none: the seniority words of the title
    (market.seniority), else mid-level."""
    if item["experience_level"]:
        return str(item["experience_level"]), None
    stated = title_seniority(str(item["title"]))
    if stated is not None:
        return stated.level, _reason("experience_level_from_title", title_level_message(stated.level, stated.word))
    message = str(_("Priced at mid-level: neither the request nor the job title gives an experience level."))
    return ASSUMED_LEVEL, _reason("experience_level_assumed", message)


def _currency(
    code: str | None, company_country: str, reference: MarketReference
) -> tuple[str, float, int | None, str, dict[str, str] | None]:
    """(currency, units per USD, rate year, rate source, low-confidence reason or None). No currency asked: the
    company country's currency when the survey has a rate for it, else USD."""
    wanted = (code or "").strip().upper() or reference.country_currencies.get(company_country.upper(), "USD")
    if wanted == "USD":
        return "USD", 1.0, None, FX_SOURCE_IDENTITY, None
    rate = reference.fx_per_usd.get(wanted)
    if rate is not None:
        return wanted, rate[0], rate[1], FX_SOURCE_SURVEY, None
    if not code:
        return "USD", 1.0, None, FX_SOURCE_IDENTITY, None
    message = str(_("No exchange rate is known for %(currency)s; the range is shown in USD.")) % {"currency": wanted}
    return "USD", 1.0, None, FX_SOURCE_IDENTITY, _reason("unknown_currency", message)


def exchange_rate_note(*, currency: str, rate: float, year: int | None, source: str) -> str | None:
    """Says, in the active language, which rate converted the range: the salary survey's rate of a named year (its
    own USD conversion, data/reference/aijobs_salaries/fx_usd_from_survey.csv), never presented as today's rate.
    None when nothing was converted."""
    if source != FX_SOURCE_SURVEY or year is None or rate <= 0:
        return None
    decimals = max(0, 3 - math.floor(math.log10(rate)))  # four significant digits: 0.9262, 1.350, 131.6
    message = str(
        _("Converted from USD at the %(year)s salary survey's rate (1 USD = %(rate)s %(currency)s), not today's rate.")
    )
    return message % {
        "year": year,
        "rate": number_format(round(rate, decimals), decimal_pos=decimals),  # number_format truncates: round first
        "currency": currency,
    }


def _model_factors(model: SalaryModel, features: np.ndarray, *, top: int = 3) -> list[list[dict[str, object]]]:
    """Per row, the largest per-feature contributions of the P50 model in approximate USD: a feature adding c (log
    space) to the base value b moves the estimate by about exp(b) * (exp(c) - 1). The BLS columns count as one."""
    if features.shape[0] == 0:
        return []
    contributions = model.boosters["p50"].predict(features, pred_contrib=True, num_threads=1)
    groups = [FACTOR_GROUPS.get(name, name) for name in model.feature_names]
    out = []
    for row in contributions:
        base = float(row[-1])
        grouped: dict[str, float] = {}
        for group, value in zip(groups, row[:-1], strict=True):
            grouped[group] = grouped.get(group, 0.0) + float(value)
        ranked = sorted(grouped.items(), key=lambda item: abs(item[1]), reverse=True)[:top]
        out.append([_factor(name, math.exp(base) * (math.exp(value) - 1)) for name, value in ranked if value != 0.0])
    return out


def _factor(name: str, effect_usd: float) -> dict[str, object]:
    return {"factor": name, "label": str(FACTOR_LABELS.get(name, name)), "effect_usd": round(effect_usd, -2)}


REGION_NAMES = {
    "NA": _("North America"),
    "EU": _("Europe"),
    "APAC": _("Asia-Pacific"),
    "other": _("countries outside North America, Europe and Asia-Pacific"),
}


def salary_factors(model: SalaryModel, features: np.ndarray, *, top: int = 3) -> list[dict[str, object]]:
    """The top factors of one feature row (see `_model_factors`)."""
    return _model_factors(model, features.reshape(1, -1), top=top)[0]


def _fallback_source(model: SalaryModel, item: dict, soc: str | None, reference: MarketReference) -> BlsWages | None:
    """BLS wages when the model routes the occupation to the fallback (SalaryModel.routes_to_fallback) and BLS has
    it; None means the model."""
    if not model.routes_to_fallback(soc, str(item["title"])):
        return None
    us = str(item["company_country"]).upper() == "US"
    state = state_fips(item["state"], reference) if us else None
    return bls_wages(reference, soc, state=state, industry=industry_code(item["industry"], reference))


def _predict(
    items: Sequence[Mapping[str, object]], *, explain: bool, single: bool, served: LoadedModel | None = None
) -> list[dict[str, object]]:
    """The one place that picks the salary model: `served` when given (a challenger, predictions/salary/
    challenger.py), else the champion."""
    from predictions.reference import market_reference

    checked = [_input_check(item, "" if single else f"items[{i}].") for i, item in enumerate(items)]
    assumptions: list[list[dict[str, str]]] = []
    for item in checked:
        item["experience_level"], assumed = _experience_level(item)
        assumptions.append([assumed] if assumed else [])
    answering = served if served is not None else champion_get("salary", load=SalaryModel.artifact_loads)
    if answering is None:
        raise NoSalaryModel(NoSalaryModel.__doc__)
    model: SalaryModel = answering.model
    reference = market_reference()
    matches = [reference.title_match(str(item["title"])) for item in checked]
    regions = [region_of(str(item["company_country"]), reference) for item in checked]
    sources = [_fallback_source(model, item, m.soc_code, reference) for item, m in zip(checked, matches, strict=True)]
    n = len(checked)
    low, mid, high = np.empty(n), np.empty(n), np.empty(n)
    factors: list[list[dict[str, object]]] = [[] for _ in range(n)]
    industry_used: list[str | None] = [None] * n

    model_rows = [i for i in range(n) if sources[i] is None]
    if model_rows:
        inputs = [
            SalaryInput(
                **{k: checked[i][k] for k in (*REQUIRED_FIELDS, "experience_level")},
                residence_country=checked[i]["residence_country"],
                work_year=checked[i]["work_year"] if checked[i]["work_year"] is not None else model.latest_work_year,
            )
            for i in model_rows
        ]
        x = salary_feature_matrix(inputs, reference=reference, vocabulary=model.vocabulary)
        inputs_observe(answering.version, x)  # the model's own inputs; rows the BLS fallback answers are not
        industries = [checked[i]["industry"] if checked[i]["industry"] in INDUSTRY_CODES else None for i in model_rows]
        parts = model.predict_log(x, [regions[i] for i in model_rows], industries)
        for target, part in zip((low, mid, high), parts, strict=True):
            target[model_rows] = np.exp(part)
        if explain:
            for i, row_factors in zip(model_rows, _model_factors(model, x), strict=True):
                factors[i] = row_factors
        # The surveys record no industry: with one, the range moves by what BLS pays the occupation in the industry's
        # sector against all industries (per percentile), a documented adjustment, not something the model learned.
        for i in model_rows:
            ratios = industry_ratios(reference, matches[i].soc_code, checked[i]["industry"])
            if ratios is None:
                continue
            before = mid[i]
            low[i], mid[i], high[i] = low[i] * ratios[0], mid[i] * ratios[1], high[i] * ratios[2]
            industry_used[i] = industry_code(checked[i]["industry"], reference)
            if explain:
                factors[i] = [*factors[i], _factor("industry", mid[i] - before)]

    fallback_rows = [i for i in range(n) if sources[i] is not None]
    if fallback_rows:
        wages = np.asarray([[sources[i].log_p10, sources[i].log_p50, sources[i].log_p90] for i in fallback_rows])
        levels = [str(checked[i]["experience_level"]) for i in fallback_rows]
        countries = [str(checked[i]["company_country"]) for i in fallback_rows]
        parts = fallback_predict_log(model.fallback, wages, levels, countries, [regions[i] for i in fallback_rows])
        for target, part in zip((low, mid, high), parts, strict=True):
            target[fallback_rows] = np.exp(part)
        if explain:
            for j, i in enumerate(fallback_rows):
                experience, location = model.fallback.offset(levels[j], countries[j], regions[i])
                bls_p50 = math.exp(wages[j, 1])
                factors[i] = [
                    _factor("experience_level", bls_p50 * (math.exp(experience) - 1)),
                    _factor("company_location", bls_p50 * math.exp(experience) * (math.exp(location) - 1)),
                ]

    thin_regions = model.low_confidence_regions()
    notes: dict[str, str | None] = {}
    results = []
    for i, item in enumerate(checked):
        match, source = matches[i], sources[i]
        reasons: list[dict[str, str]] = []
        if match.method == "none":
            reasons.append(_reason("unknown_title", str(_("No occupation matches this job title."))))
        elif source is None and not model.soc_is_covered(match.soc_code) and model.fallback is not None:
            if math.isnan(model.vocabulary.title_index(str(item["title"]))):
                message = str(_("This occupation is outside the salary surveys and has no BLS wage data."))
                reasons.append(_reason("outside_survey_coverage", message))
        if str(item["company_country"]).upper() not in reference.country_regions:
            message = str(_("%(country)s is not a country code we know, so the range is not specific to it."))
            reasons.append(_reason("unknown_country", message % {"country": str(item["company_country"]).upper()}))
        elif source is not None and str(item["company_country"]).upper() != "US":
            message = str(_("US (BLS) wages were extrapolated to %(country)s for this occupation."))
            reasons.append(_reason("extrapolated", message % {"country": country_name(str(item["company_country"]))}))
        if regions[i] in thin_regions:
            message = str(_("Few salaries from %(region)s were available to calibrate this range."))
            reasons.append(_reason("thin_region_data", message % {"region": REGION_NAMES.get(regions[i], regions[i])}))
        code, rate, rate_year, rate_source, currency_reason = _currency(
            item["currency"], str(item["company_country"]), reference
        )
        if currency_reason is not None:
            reasons.append(currency_reason)
        if code not in notes:  # once per currency, not per row of a 10,000-row batch
            notes[code] = exchange_rate_note(currency=code, rate=rate, year=rate_year, source=rate_source)
        results.append(
            {
                "salary_p10_usd": round(float(low[i]), -2),
                "salary_p50_usd": round(float(mid[i]), -2),
                "salary_p90_usd": round(float(high[i]), -2),
                "salary_p10": round(float(low[i]) * rate, -2),
                "salary_p50": round(float(mid[i]) * rate, -2),
                "salary_p90": round(float(high[i]) * rate, -2),
                "currency": code,
                "exchange_rate": rate,
                "exchange_rate_year": rate_year,
                "exchange_rate_source": rate_source,
                "exchange_rate_note": notes[code],
                "method": "model" if source is None else "bls_fallback",
                "bls_wage_basis": None
                if source is None
                else {"area": source.area, "state_fips": source.state_fips, "industry_code": source.industry_code},
                "industry_adjustment": industry_used[i],  # the BLS sector a model range was scaled to, if any
                "model_version_id": answering.version.pk,
                "model_version": answering.version.version,
                "region": regions[i],
                "occupation_soc_code": match.soc_code,
                "title_match": match.method,
                "low_confidence": bool(reasons),
                "low_confidence_reasons": reasons,
                "experience_level": item["experience_level"],
                "assumptions": assumptions[i],  # what the request left out and the answer assumed, with why
                "factors": factors[i],
            }
        )
    return results


def salary_predict(
    *,
    title: str,
    experience_level: str | None = None,
    employment_type: str,
    remote_ratio: int,
    company_size: str,
    company_country: str,
    residence_country: str | None = None,
    work_year: int | None = None,
    currency: str | None = None,
    state: str | None = None,
    industry: str | None = None,
    served: LoadedModel | None = None,
) -> dict[str, object]:
    """P10/P50/P90 in USD and in `currency` (default: the company country's, when the survey has a rate) at
    `experience_level` (default: the title's seniority words, else mid-level, stated in `assumptions`) from the
    champion salary model or, for an occupation outside the surveys, from calibrated BLS wages, with the version,
    `method`, top factors and confidence. Unknown titles, countries or currencies still get an answer with
    `low_confidence: True` and the reasons. Raises NoSalaryModel when no champion exists, SalaryInputError on a
    malformed field. `served`: the model to answer with instead of the champion (a challenger)."""
    item = {
        "title": title,
        "experience_level": experience_level,
        "employment_type": employment_type,
        "remote_ratio": remote_ratio,
        "company_size": company_size,
        "company_country": company_country,
        "residence_country": residence_country,
        "work_year": work_year,
        "currency": currency,
        "state": state,
        "industry": industry,
    }
    return _predict([item], explain=True, single=True, served=served)[0]


def salary_predict_batch(items: list[dict], *, explain: bool = False, served: LoadedModel | None = None) -> list[dict]:
    """`salary_predict` for many inputs (dicts with its keyword arguments) with one feature matrix and one predict
    per booster; same result keys, in input order. `factors` is empty unless `explain`."""
    return _predict(items, explain=explain, single=False, served=served)
