"""Reads of the reference data for pages and other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from market.catalogue import SOURCES, Source
from market.models import Country, ReferenceDataset


@dataclass(frozen=True)
class DatasetStatus:
    name: str
    rows_loaded: int | None  # None: never loaded
    loaded_at: datetime.datetime | None
    load_duration_ms: int | None


@dataclass(frozen=True)
class SourceStatus:
    source: Source
    datasets: list[DatasetStatus]

    @property
    def rows_loaded(self) -> int | None:
        """Rows loaded from this source; None when it is kept as files only or has never been loaded."""
        loaded = [status.rows_loaded for status in self.datasets if status.rows_loaded is not None]
        return sum(loaded) if loaded else None

    @property
    def loaded_at(self) -> datetime.datetime | None:
        times = [status.loaded_at for status in self.datasets if status.loaded_at is not None]
        return max(times) if times else None


def reference_source_list() -> list[SourceStatus]:
    """Every reference data source with the row counts and times of its last loads (one query)."""
    loaded = {dataset.name: dataset for dataset in ReferenceDataset.objects.all()}
    return [
        SourceStatus(
            source=source,
            datasets=[
                DatasetStatus(
                    name=name,
                    rows_loaded=loaded[name].rows_loaded if name in loaded else None,
                    loaded_at=loaded[name].loaded_at if name in loaded else None,
                    load_duration_ms=loaded[name].load_duration_ms if name in loaded else None,
                )
                for name in source.datasets
            ],
        )
        for source in SOURCES
    ]


_country_names: dict[tuple[str, str], str] = {}


def country_name(code: str) -> str:
    """The country's name in the active language ("Canada", "Kanada"), or the code itself when it is not a known
    country. Reference data only changes with a release, so names are kept per process."""
    from django.utils.translation import get_language

    code = (code or "").upper()
    key = (get_language() or "en", code)
    name = _country_names.get(key)
    if name is None:
        country = Country.objects.filter(iso2=code).only("name").first()  # market tables are on every search path
        name = str(country.name) if country is not None and country.name else code
        _country_names[key] = name
    return name


def currency_for_country(country_code: str) -> str:
    """The ISO 4217 code of the country's current legal tender, from Unicode CLDR (data/reference/cldr_countries,
    loaded into ``market.Country``): "CA" -> "CAD", "DE" -> "EUR", "JP" -> "JPY", "GB" -> "GBP". "" for an unknown
    code, a country with no currency (AQ), or before the reference data is loaded: the caller chooses the fallback.
    One indexed query."""
    code = (country_code or "").strip().upper()
    if len(code) != 2:
        return ""
    return Country.objects.filter(iso2=code).values_list("currency_id", flat=True).first() or ""
