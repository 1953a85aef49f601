"""Loads the market tables the salary features need into a plain `MarketReference`, once per process.

The market tables are public-schema reference data, written only by `load_reference_data`; a process that outlives a
reload keeps its copy until `market_reference_clear()` (tests, or a restart).
"""

from __future__ import annotations

import csv
import re
import threading
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from market.industries import INDUSTRIES
from market.models import Country, IndustryOccupation, OccupationTitle, Taxonomy, WagePercentile
from predictions.features import TITLE_SOURCE_PRIORITY, MarketReference

_lock = threading.Lock()
_cached: MarketReference | None = None

BLS_NATIONAL_AREA = "N"
BLS_ALL_INDUSTRIES = "000000"
BLS_STATE_AREA = "S"
WAGE_COLUMNS = ("annual_p10_usd", "annual_p25_usd", "annual_median_usd", "annual_p75_usd", "annual_p90_usd")
# OEWS sector rows are named "Sector 62 - Health Care ..." or "Sectors 31, 32, and 33 - Manufacturing".
SECTOR_NAME = re.compile(r"^Sectors? ([\d, and]+?) - ")
FX_PATH = Path(settings.BASE_DIR) / "data" / "reference" / "aijobs_salaries" / "fx_usd_from_survey.csv"


def _wages(values: tuple) -> tuple[float | None, ...]:
    return tuple(float(v) if v else None for v in values)


def fx_rates_load(path: Path = FX_PATH) -> dict[str, tuple[float, int]]:
    """ISO 4217 code -> (units per USD, year) from the survey-derived table, keeping each currency's latest year.
    Empty when the file is missing (conversion then answers in USD with a low-confidence reason)."""
    if not path.exists():
        return {}
    rates: dict[str, tuple[float, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, year = row["currency"].upper(), int(row["work_year"])
            if code not in rates or year > rates[code][1]:
                rates[code] = (float(row["units_per_usd"]), year)
    return rates


def market_reference_load() -> MarketReference:
    """Reads O*NET titles (preferred, reported, alternate), country regions and currencies, BLS cross-industry wages
    (national and by state), BLS national wages by NAICS sector, and the survey-derived exchange rates."""
    schema = getattr(connection, "schema_name", None)
    public = get_public_schema_name()
    with schema_context(public) if schema and schema != public else nullcontext():
        title_rows = list(
            OccupationTitle.objects.filter(
                occupation__taxonomy=Taxonomy.ONET, source__in=list(TITLE_SOURCE_PRIORITY)
            ).values_list("normalized_title", "source", "occupation__code", "occupation__soc_code")
        )
        country_regions = dict(Country.objects.values_list("iso2", "region_id"))
        wage_rows = list(
            WagePercentile.objects.filter(area_type=BLS_NATIONAL_AREA, industry_code=BLS_ALL_INDUSTRIES).values_list(
                "soc_code", *WAGE_COLUMNS
            )
        )
        state_rows = list(
            WagePercentile.objects.filter(area_type=BLS_STATE_AREA, industry_code=BLS_ALL_INDUSTRIES).values_list(
                "state_code", "area_name", "soc_code", *WAGE_COLUMNS
            )
        )
        sector_rows = list(
            WagePercentile.objects.filter(area_type=BLS_NATIONAL_AREA, industry_name__startswith="Sector").values_list(
                "industry_code", "industry_name", "soc_code", *WAGE_COLUMNS
            )
        )
        country_currencies = dict(Country.objects.filter(currency__isnull=False).values_list("iso2", "currency__code"))
        industry_rows = list(IndustryOccupation.objects.values_list("soc_code", "industry__code", "employment"))
    # Several occupations share a title ("data engineer"): keep the best source, then the lowest occupation code.
    title_rows.sort(key=lambda row: (row[0], TITLE_SOURCE_PRIORITY[row[1]], row[2]))
    title_occupations: dict[str, tuple[str, str]] = {}
    for normalized, _source, code, soc in title_rows:
        if normalized and normalized not in title_occupations:
            title_occupations[normalized] = (code, soc)
    sector_codes: dict[str, str] = {}
    for code, name, *_rest in sector_rows:
        found = SECTOR_NAME.match(name)
        for naics in re.findall(r"\d{2}", found.group(1)) if found else ():
            sector_codes[naics] = code
    return MarketReference(
        title_occupations=title_occupations,
        country_regions={iso2.upper(): region for iso2, region in country_regions.items()},
        bls_national={soc: _wages(values) for soc, *values in wage_rows},
        bls_state={(state, soc): _wages(values) for state, _name, soc, *values in state_rows},
        bls_sector={(code, soc): _wages(values) for code, _name, soc, *values in sector_rows},
        bls_state_names={name.lower(): state for state, name, *_rest in state_rows},
        bls_sector_codes=sector_codes,
        fx_per_usd=fx_rates_load(),
        country_currencies={iso2.upper(): code.upper() for iso2, code in country_currencies.items()},
        soc_industry=soc_industry_map(industry_rows),
        industry_sectors={definition.code: definition.sources[0].oews_code for definition in INDUSTRIES},
    )


def soc_industry_map(rows: list[tuple[str, str, int]]) -> dict[str, str]:
    """Pure: each SOC code's industry is the one employing most of it (ties: the first code alphabetically)."""
    best: dict[str, str] = {}
    for soc, industry, _employment in sorted(rows, key=lambda row: (row[0], -row[2], row[1])):
        best.setdefault(soc, industry)
    return best


def market_reference() -> MarketReference:
    """The process-wide `MarketReference` (its title-match cache is shared too)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = market_reference_load()
    return _cached


def market_reference_clear() -> None:
    global _cached
    with _lock:
        _cached = None
