"""The four predictions on an application's page, each gathered on its own so one failure never hides the others.

Every prediction goes through predictions.service (so it is logged with its model version, source "page"), and the
salary, interview and time-to-hire answers are kept as the application's predictions until its outcome is known
(predictions.served, one upsert per page). A missing model or a failing predictor is logged and shown as a
translated "not available yet" line, never a server error.
The salary's experience level comes from the seeker's profile, else the posting title's seniority words, else the years
read from their CV (tracking.profile), else mid-level is assumed; the page says which, and the company size it assumes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from billing.entitlements import entitlement_check, plan_for
from billing.gating import locked_section
from billing.models import Feature
from predictions import service
from predictions.errors import ModelUnavailable
from predictions.models import ApplicationPrediction, PredictionLog
from predictions.salary.serving import ASSUMED_LEVEL, LEVEL_NAMES, title_level_message
from predictions.served import Served, served_predictions_keep
from tenants.context import current_tenant
from tenants.locale import tenant_home_country
from tracking import profile as profile_sources
from tracking.models import Application, CandidateProfile, JobPosting, Stage
from tracking.profile import ExperienceLevel, experience_level_for, salary_currency_for

logger = logging.getLogger(__name__)
PAGE = PredictionLog.Source.PAGE
KINDS = ApplicationPrediction.Kind
EMPLOYMENT_TYPES = {
    JobPosting.EmploymentType.FULL_TIME: "FT",
    JobPosting.EmploymentType.PART_TIME: "PT",
    JobPosting.EmploymentType.CONTRACT: "CT",
    JobPosting.EmploymentType.FREELANCE: "FL",
    JobPosting.EmploymentType.INTERNSHIP: "PT",
}
REMOTE_RATIOS = {JobPosting.Remote.ON_SITE: 0, JobPosting.Remote.HYBRID: 50, JobPosting.Remote.REMOTE: 100}
ASSUMED_COMPANY_SIZE = "M"
BASIC_SALARY_KEYS = (
    "salary_p50_usd",
    "salary_p50",
    "currency",
    "exchange_rate",
    "exchange_rate_year",
    "exchange_rate_source",
    "exchange_rate_note",
    "method",
    "model_version",
    "model_version_id",
    "region",
    "title_match",
    "low_confidence",
    "low_confidence_reasons",
    "prior_note",
    "experience_level",
    "assumptions",
)
PANEL_FEATURES = (Feature.SALARY_BASIC, Feature.SALARY_RANGE, Feature.INTERVIEW, Feature.TIME_TO_HIRE, Feature.MATCH)


def _level_explanation(found: ExperienceLevel) -> str:
    """ "Priced at senior level: “Senior” in the job title." and the like, naming the level's source."""
    level = LEVEL_NAMES[found.level]
    if found.source == profile_sources.TITLE:
        return title_level_message(found.level, found.word)
    if found.source == profile_sources.CV:
        return ngettext(
            "Priced at %(level)s: %(years)s year of experience read from your CV.",
            "Priced at %(level)s: %(years)s years of experience read from your CV.",
            found.years,
        ) % {"level": level, "years": found.years}
    if found.years is not None:
        return ngettext(
            "Priced at %(level)s: %(years)s year of experience in your profile.",
            "Priced at %(level)s: %(years)s years of experience in your profile.",
            found.years,
        ) % {"level": level, "years": found.years}
    return _("Priced at %(level)s, the level in your profile.") % {"level": level}


def _signed(value: float, text: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _usd_short(value: float) -> str:
    return _signed(value, _("$%(thousands)sk") % {"thousands": number_format(abs(value) / 1000, decimal_pos=0)})


def _factor_reasons(result: dict) -> list[str]:
    """Plain-language reasons from a predictor's factors: "experience level: +$18k", "title: −4 days"."""
    reasons = []
    for factor in result.get("factors") or []:
        if "effect_usd" in factor:
            effect = _usd_short(float(factor["effect_usd"]))
        elif "effect_days" in factor:
            days = float(factor["effect_days"])
            effect = _signed(days, _("%(days)s days") % {"days": number_format(abs(days), decimal_pos=0)})
        elif "effect" in factor:
            points = float(factor["effect"]) * 100
            effect = _signed(
                points, _("%(points)s percentage points") % {"points": number_format(abs(points), decimal_pos=0)}
            )
        else:
            continue
        reasons.append(
            _("%(label)s: %(effect)s") % {"label": factor.get("label") or factor.get("factor"), "effect": effect}
        )
    return reasons


def _section(result: dict, *, version_label: str, extra_reasons: list[dict] | None = None) -> dict:
    caveats = [*(result.get("low_confidence_reasons") or []), *(extra_reasons or [])]
    if result.get("prior_note"):  # the note already says why there is only a prior
        caveats = [c for c in caveats if c.get("code") != "insufficient_data"]
    low = bool(result.get("low_confidence")) or bool(extra_reasons)
    return {
        "available": True,
        "result": result,
        "reasons": _factor_reasons(result),
        "caveats": [str(c.get("message") or c.get("code")) for c in caveats],
        "low_confidence": low,
        "confidence_label": _("Low confidence") if low else _("Normal confidence"),
        "version_label": version_label,
    }


def _unavailable(kind: str, error: Exception) -> dict:
    if isinstance(error, ModelUnavailable):
        logger.warning("application page: no %s model available", kind)
    else:
        logger.exception("application page: the %s prediction failed", kind)
    return {"available": False, "message": _("Not available yet.")}


def _isolated(kind: str, gather: Callable[[], dict]) -> dict:
    try:
        with transaction.atomic():  # a failing predictor's queries roll back alone; the page goes on
            return gather()
    except Exception as error:  # noqa: BLE001 - any predictor failure becomes the "not available yet" line
        return _unavailable(kind, error)


def _model_label(result: dict) -> str:
    return _("Model version %(version)s") % {"version": result.get("model_version")}


def _us_state(posting) -> str | None:
    """The US state written in a US posting's location ("Austin, TX"), which the BLS wages and the hiring times use;
    None elsewhere."""
    from predictions.time_to_hire.data import location_state

    return location_state(posting.location) if (posting.country or "").upper() == "US" else None


def salary_basic(result: dict) -> dict:
    """The basic salary estimate (the free plan's): the median and how sure it is, from an allowlist, so neither the
    range nor its reasons can reach a user whose plan does not include them, whatever keys the predictor adds."""
    return {key: result[key] for key in BASIC_SALARY_KEYS if key in result} | {"basic": True}


def salary_item(
    *, user: User, application: Application, profile: CandidateProfile | None
) -> tuple[dict, ExperienceLevel]:
    """The salary predictor's input for an application as its page asks it, and where the experience level came from
    (its `level` is None when mid-level was assumed)."""
    posting = application.posting
    found = experience_level_for(user, title=posting.title, profile=profile, cv=application.cv)
    level = ASSUMED_LEVEL if found.level is None else found.level
    # The posting's country's currency unless the seeker chose one (tracking.profile.salary_currency_for); the
    # workspace's currency only when nothing says.
    wanted_currency = salary_currency_for(user, posting=posting, profile=profile).code
    tenant_currency = getattr(getattr(connection, "tenant", None), "currency", "") or "USD"
    item = {
        "title": posting.title,
        "experience_level": level,
        "employment_type": EMPLOYMENT_TYPES.get(posting.employment_type, "FT"),
        "remote_ratio": REMOTE_RATIOS.get(posting.remote, 0),
        "company_size": ASSUMED_COMPANY_SIZE,
        "company_country": _country_for(posting, profile) or "",
        "residence_country": (profile.country if profile else "") or None,
        "currency": wanted_currency or tenant_currency,
        "state": _us_state(posting),
        "industry": posting.industry or None,  # the BLS fallback then uses the industry's sector wages
    }
    return item, found


def _salary(
    *,
    user: User,
    application: Application,
    profile: CandidateProfile | None,
    with_range: bool = True,
    source: str = PAGE,
    served: list[Served] | None = None,
) -> dict:
    item, found = salary_item(user=user, application=application, profile=profile)
    assumed: list[dict] = []
    profile_url = None
    if found.level is None:
        assumed.append({"message": _("Assumed mid-level: add your level to your profile.")})
        profile_url = reverse("tracking:profile")
    else:
        assumed.append({"message": _level_explanation(found)})
    assumed.append({"message": _("Assumed a mid-sized company.")})
    result = service.salary_serve(user=user, items=[item], source=source, explain=with_range)[0]
    if served is not None:
        served.append(Served(application, KINDS.SALARY, result))
    if not with_range:
        result = salary_basic(result)
    # In the tenant's currency when the predictor converted it, else in USD.
    currency = result.get("currency") if result.get("salary_p50") is not None else None
    suffix = "" if currency else "_usd"
    section = _section(result, version_label=_model_label(result), extra_reasons=assumed)
    section["currency"] = currency or "USD"
    section["basic"] = not with_range
    section["profile_url"] = profile_url
    for p in ("p10", "p50", "p90") if with_range else ("p50",):
        section[p] = number_format(result[f"salary_{p}{suffix}"], decimal_pos=0, force_grouping=True)
    return section


def _country_for(posting: JobPosting, profile: CandidateProfile | None) -> str | None:
    """The posting's country, else the member's, else their workspace's home country: a member who has not said
    where they are is taken to be in the tenant's region (tenants.locale)."""
    return posting.country or (profile.country if profile else "") or tenant_home_country(current_tenant())


INTERVIEW_REACHED = (Stage.SCREENING, Stage.INTERVIEWING)  # an interview label of 1
OUTCOME_KNOWN = (
    Stage.OFFER,
    Stage.ACCEPTED,
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.GHOSTED,
)


ONE_DECIMAL_BELOW_PCT = Decimal(10)  # small odds keep a decimal: a job board's 1.4 % is not "1 %" (nor 0 % to 3 %)


def percent_text(value: object) -> str | None:
    """A probability as a percentage in the active language, without the sign: one decimal below 10 % ("1.4", "1,4"
    in German), a whole number from 10 % up ("23"); halves round up."""
    if value is None:
        return None
    pct = Decimal(str(float(value) * 100))
    tenth = pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if tenth < ONE_DECIMAL_BELOW_PCT:
        return number_format(tenth, decimal_pos=1)
    return number_format(pct.quantize(Decimal(1), rounding=ROUND_HALF_UP), decimal_pos=0)


def _interval(result: dict, name: str) -> tuple[str, str] | None:
    interval = result.get(f"{name}_interval")
    return None if not interval else (percent_text(interval[0]), percent_text(interval[1]))


def _interview(*, user: User, application: Application, served: list[Served] | None = None) -> dict:
    """Before an answer, the interview and offer odds; once screening or an interview is reached, the offer odds
    given that (the shrunk prior's P(offer | interview)); once the outcome is known, the outcome and no odds (the
    predictor is not run)."""
    if application.stage in OUTCOME_KNOWN:
        return {"available": True, "outcome": application.get_stage_display(), "result": {}}
    result = service.interview_serve(user=user, applications=[application], source=PAGE)[0]
    if served is not None:
        served.append(Served(application, KINDS.INTERVIEW, result))
    shrunk = result.get("method") == "shrunk_prior"
    if shrunk:
        label = _("Published rates, updated with tracked outcomes")
    elif result.get("model_version") is None:
        label = _("Prior: no trained model yet")
    else:
        label = _model_label(result)
    section = _section(result, version_label=label)
    section["insufficient_data"] = bool(result.get("insufficient_data"))
    if section["insufficient_data"]:
        section["confidence_label"] = _("Insufficient data")
    section["shrunk_prior"] = shrunk
    section["after_interview"] = application.stage in INTERVIEW_REACHED
    names = ("interview_probability", "offer_probability", "offer_given_interview_probability")
    for name in names:
        section[name] = percent_text(result.get(name))
        section[f"{name}_interval"] = _interval(result, name)
    basis = result.get("offer_given_interview_basis" if section["after_interview"] else "basis") or {}
    section["basis_text"] = basis.get("text", "")
    return section


def time_to_hire_item(*, application: Application, profile: CandidateProfile | None) -> dict:
    """The time-to-hire predictor's input for an application as its page asks it."""
    posting = application.posting
    return {"title": posting.title, "country": _country_for(posting, profile), "state": _us_state(posting)}


def _time_to_hire(
    *, user: User, application: Application, profile: CandidateProfile | None, served: list[Served] | None = None
) -> dict:
    item = time_to_hire_item(application=application, profile=profile)
    result = service.time_to_hire_serve(user=user, items=[item], source=PAGE)[0]
    if served is not None:
        served.append(Served(application, KINDS.TIME_TO_HIRE, result))
    section = _section(result, version_label=_model_label(result))
    section["days_p10"], section["days_p50"], section["days_p90"] = (
        round(float(result[f"days_{p}"])) for p in ("p10", "p50", "p90")
    )
    return section


def _match(*, user: User, application: Application) -> dict:
    result = service.match_serve(user=user, applications=[application], source=PAGE)[0]
    return _section(result, version_label=_("Scorer %(version)s") % {"version": result.get("model_version")})


def application_predictions(*, user: User, application: Application) -> dict[str, dict]:
    """{"salary", "interview", "time_to_hire", "match"} → a section dict: ``available`` and either ``message`` (the
    "not available yet" line, or with ``locked`` the plan's reason plus ``feature`` and ``pricing_url``) or
    ``result``, ``reasons`` (plain-language factors), ``caveats`` (why confidence is low), ``confidence_label`` and
    ``version_label``, plus the kind's display values.

    Each section asks billing.entitlements first; a predictor whose answer the plan does not cover is never run.
    A plan with the basic salary estimate but not the range gets ``basic`` set and the median only."""
    if application.owner_id != user.pk:
        raise PermissionError("application_predictions: the application belongs to another user")
    plan = plan_for(user)
    allowed = {feature: entitlement_check(user=user, feature=feature, plan=plan) for feature in PANEL_FEATURES}
    profile = CandidateProfile.objects.filter(user=user).first()

    def gated(kind: str, feature: str, gather: Callable[[], dict]) -> dict:
        if not allowed[feature].allowed:
            return locked_section(allowed[feature])
        return _isolated(kind, gather)

    with_range = allowed[Feature.SALARY_RANGE].allowed
    salary_feature = Feature.SALARY_RANGE if with_range else Feature.SALARY_BASIC
    served: list[Served] = []
    sections = {
        "salary": gated(
            "salary",
            salary_feature,
            lambda: _salary(user=user, application=application, profile=profile, with_range=with_range, served=served),
        ),
        "interview": gated(
            "interview", Feature.INTERVIEW, lambda: _interview(user=user, application=application, served=served)
        ),
        "time_to_hire": gated(
            "time_to_hire",
            Feature.TIME_TO_HIRE,
            lambda: _time_to_hire(user=user, application=application, profile=profile, served=served),
        ),
        "match": gated("match", Feature.MATCH, lambda: _match(user=user, application=application)),
    }
    served_predictions_keep(served=served, source=PAGE)
    if sections["salary"].get("basic"):
        sections["salary"]["upgrade"] = locked_section(allowed[Feature.SALARY_RANGE])
    return sections


def salary_range_section(*, user: User, application: Application, source: str = PAGE) -> dict:
    """The salary section with its range alone (as application_predictions builds it), e.g. for the comparison API;
    the locked section when the plan has no salary range."""
    entitlement = entitlement_check(user=user, feature=Feature.SALARY_RANGE)
    if not entitlement.allowed:
        return locked_section(entitlement)
    profile = CandidateProfile.objects.filter(user=user).first()
    served: list[Served] = []
    section = _isolated(
        "salary",
        lambda: _salary(user=user, application=application, profile=profile, source=source, served=served),
    )
    served_predictions_keep(served=served, source=source)
    return section


def match_for_page(predictions: dict[str, dict]) -> dict:
    """The match for the page's evidence panel (tracking/_match.html): the panel's result, or the "not available
    yet" line in its place."""
    section = predictions["match"]
    if section["available"]:
        return section["result"]
    return {"score": None, "reason": section["message"], "components": [], "changes": [], "scorer_version": ""}
