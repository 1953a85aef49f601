"""Loads the market tables the salary features need into a plain `MarketReference`, once per process.

The market tables are public-schema reference data, written only by `load_reference_data`; a process that outlives a
reload keeps its copy until `market_reference_clear()` (tests, or a restart).
"""

from __future__ import annotations

import threading
from contextlib import nullcontext

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from market.models import Country, OccupationTitle, Taxonomy, WagePercentile
from predictions.features import TITLE_SOURCE_PRIORITY, MarketReference

_lock = threading.Lock()
_cached: MarketReference | None = None

BLS_NATIONAL_AREA = "N"
BLS_ALL_INDUSTRIES = "000000"


def market_reference_load() -> MarketReference:
    """Reads O*NET titles (preferred, reported, alternate), country regions and BLS national cross-industry wages."""
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
                "soc_code",
                "annual_p10_usd",
                "annual_p25_usd",
                "annual_median_usd",
                "annual_p75_usd",
                "annual_p90_usd",
            )
        )
    # Several occupations share a title ("data engineer"): keep the best source, then the lowest occupation code.
    title_rows.sort(key=lambda row: (row[0], TITLE_SOURCE_PRIORITY[row[1]], row[2]))
    title_occupations: dict[str, tuple[str, str]] = {}
    for normalized, _source, code, soc in title_rows:
        if normalized and normalized not in title_occupations:
            title_occupations[normalized] = (code, soc)
    bls_national = {soc: tuple(float(v) if v else None for v in values) for soc, *values in wage_rows}
    return MarketReference(
        title_occupations=title_occupations,
        country_regions={iso2.upper(): region for iso2, region in country_regions.items()},
        bls_national=bls_national,
    )


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
