"""The salary ranges CVPlus predicts for the postings that brought offers, to set the offers against.

The prediction log (predictions.PredictionLog) keeps which model answered and a hash of its input, not the answer, so
the range a member saw before their offer cannot be read back. The range is computed now instead, with the served
salary champion, from the inputs the application page uses (posting title, country, US state, industry, employment
type and remote ratio, a mid-sized company, the member's level) and in the offer's currency. The level is the member's
profile level, else their profile years, else the title's seniority words, else the years read from the CV version the
application pins, else mid-level (the page's order; it also reads a newer CV, which this bulk read does not).

A prediction depends only on its input and the model version, so answers are cached per (champion, input hash), and
offers with the same input (same title, place, level and currency) are priced once: the page asks the model only for
inputs it has not priced since the champion changed. One logged batch per page at most.
"""

from __future__ import annotations

import functools
import logging
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction

from market.seniority import level_for_years, title_seniority
from portal.outcomes import PredictedRange
from predictions import service
from predictions.application_panel import ASSUMED_COMPANY_SIZE, EMPLOYMENT_TYPES, REMOTE_RATIOS
from predictions.errors import ModelUnavailable
from predictions.kinds import KINDS
from predictions.models import PredictionLog
from predictions.registry import champion_get
from predictions.salary.serving import ASSUMED_LEVEL
from predictions.time_to_hire.data import location_state
from tenants.context import current_tenant
from tenants.locale import tenant_home_country

logger = logging.getLogger(__name__)
READY, NO_MODEL, FAILED = "ready", "no_model", "failed"
CACHE_TIMEOUT_S = 24 * 3600
NO_RANGE = ()  # cached for an input the model answered in another currency


@functools.lru_cache(maxsize=4096)
def _title_level(title: str) -> str | None:
    stated = title_seniority(title)
    return stated.level if stated is not None else None


@functools.lru_cache(maxsize=4096)
def _us_state(location: str) -> str | None:
    return location_state(location)


def _level(row: dict) -> str:
    level = row["owner__candidate_profile__experience_level"] or level_for_years(
        row["owner__candidate_profile__years_experience"]
    )
    if level:
        return level
    stated = _title_level(row["posting__title"])
    if stated is not None:
        return stated
    cv_years = row.get("cv_years")
    return level_for_years(cv_years if isinstance(cv_years, int) else None) or ASSUMED_LEVEL


def salary_item(row: dict, *, home_country: str | None) -> dict:
    """The salary model's input for one offer row of portal.outcomes_queries.offer_list."""
    country = row["posting__country"] or row["owner__candidate_profile__country"] or home_country or ""
    return {
        "title": row["posting__title"],
        "experience_level": _level(row),
        "employment_type": EMPLOYMENT_TYPES.get(row["posting__employment_type"], "FT"),
        "remote_ratio": REMOTE_RATIOS.get(row["posting__remote"], 0),
        "company_size": ASSUMED_COMPANY_SIZE,
        "company_country": country,
        "residence_country": row["owner__candidate_profile__country"] or None,
        "currency": row["offer_currency"],
        "state": _us_state(row["posting__location"]) if country == "US" else None,
        "industry": row["posting__industry"] or None,
    }


def _range(result: dict, currency: str) -> tuple:
    if result.get("currency") != currency or result.get("salary_p50") is None:
        return NO_RANGE
    return tuple(Decimal(str(round(float(result[f"salary_{p}"]), 2))) for p in ("p10", "p50", "p90"))


def _home_country_once() -> callable:
    found: list[str | None] = []

    def home() -> str | None:
        if not found:
            found.append(tenant_home_country(current_tenant()))
        return found[0]

    return home


def predicted_ranges(*, viewer, offers: list[dict]) -> tuple[dict[int, PredictedRange | None], str]:
    """{application id: its predicted range in the offer's currency, or None}, and READY, NO_MODEL (no salary model
    is trained yet) or FAILED (the predictor failed: logged, and the page says the ranges are not available)."""
    if not offers:
        return {}, READY
    champion = champion_get("salary", load=KINDS["salary"].load)
    if champion is None:
        return {}, NO_MODEL
    home = _home_country_once()
    inputs: dict[int, tuple] = {}  # application id -> its input, as a hashable tuple; offers often share one
    for row in offers:
        needs_home = not (row["posting__country"] or row["owner__candidate_profile__country"])
        inputs[row["id"]] = tuple(salary_item(row, home_country=home() if needs_home else None).items())
    unique = list(dict.fromkeys(inputs.values()))
    # The version's id and training time: a database rebuilt under a kept cache reuses ids, not times.
    model = f"{champion.version.pk}-{champion.version.trained_at.timestamp():.0f}"
    keys = {item: f"portal:outcomes:salary:{model}:{service.input_hash(dict(item))}" for item in unique}
    known = cache.get_many(list(keys.values()))
    missing = [item for item in unique if keys[item] not in known]
    if missing:
        try:
            with transaction.atomic():  # a failing predictor's queries roll back alone; the page goes on
                results = service.salary_serve(  # the champion's ranges only: the cache key names its version
                    user=viewer,
                    items=[dict(item) for item in missing],
                    explain=False,
                    source=PredictionLog.Source.PAGE,
                    challenger_allowed=False,
                )
        except ModelUnavailable:
            return {}, NO_MODEL
        except Exception:  # noqa: BLE001 - the outcomes page shows the rest without the ranges
            logger.exception("outcomes page: the salary prediction failed")
            return {}, FAILED
        fresh = {
            keys[item]: _range(result, dict(item)["currency"]) for item, result in zip(missing, results, strict=True)
        }
        cache.set_many(fresh, timeout=CACHE_TIMEOUT_S)
        known |= fresh
    ranges = {key: PredictedRange(*value) if value else None for key, value in known.items()}
    return {pk: ranges[keys[item]] for pk, item in inputs.items()}, READY
