"""Salary features: the one code path used by training and serving. Pure: no ORM, no I/O.

A feature vector is a float64 numpy array in the order of `SALARY_FEATURE_NAMES`; missing values are NaN (LightGBM
routes them itself). The reference data (titles, countries, BLS wages) arrives as a `MarketReference` built by
predictions.reference; the category vocabularies (frequent titles and countries) are learnt at training time and
saved inside the model artifact, so serving encodes exactly as training did.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from market.text import title_normalize
from market.titles import title_clean

SALARY_FEATURE_NAMES: list[str] = [
    "experience_level",
    "employment_type",
    "remote_ratio",
    "company_size",
    "company_region",
    "residence_is_company_country",
    "bls_log_p10",
    "bls_log_p25",
    "bls_log_p50",
    "bls_log_p75",
    "bls_log_p90",
    "work_year",
    "title_match_method",
    "title_category",
    "company_country_category",
]
# Integer-coded categories without an order: LightGBM treats these columns as categorical.
SALARY_CATEGORICAL_FEATURES: list[str] = [
    "employment_type",
    "company_region",
    "title_category",
    "company_country_category",
]

EXPERIENCE_ORDINAL: dict[str, int] = {"EN": 0, "MI": 1, "SE": 2, "EX": 3}
EMPLOYMENT_CODES: dict[str, int] = {"FT": 0, "PT": 1, "CT": 2, "FL": 3}
COMPANY_SIZE_ORDINAL: dict[str, int] = {"S": 0, "M": 1, "L": 2}
REGION_CODES: dict[str, int] = {"NA": 0, "EU": 1, "APAC": 2, "other": 3}
TITLE_MATCH_CODES: dict[str, int] = {"none": 0, "exact": 1, "fuzzy": 2}
FUZZY_MIN_SCORE = 90.0
# Preferred O*NET titles first, then the titles real job holders reported, then the long alternate list.
TITLE_SOURCE_PRIORITY: dict[str, int] = {"preferred": 0, "reported": 1, "alternate": 2}


@dataclass(frozen=True)
class SalaryInput:
    title: str
    experience_level: str
    employment_type: str
    remote_ratio: int
    company_size: str
    company_country: str
    residence_country: str | None = None
    work_year: int | None = None


@dataclass(frozen=True)
class TitleMatch:
    soc_code: str | None
    occupation_code: str | None
    method: str  # "exact", "fuzzy" or "none"
    score: float


@dataclass
class MarketReference:
    """Plain-data view of the market tables. `title_occupations` maps a normalised O*NET title to its
    (occupation code, SOC code) in priority order; `bls_national` maps a SOC code to annual P10..P90 USD (None where
    BLS suppresses or top-codes the value). The fields with defaults serve the BLS fallback and currency conversion
    of the salary predictor; features never read them."""

    title_occupations: Mapping[str, tuple[str, str]]
    country_regions: Mapping[str, str | None]
    bls_national: Mapping[str, tuple[float | None, ...]]
    # BLS wages by (FIPS state code, SOC) and by (OEWS sector code such as "62--63", SOC), same tuple shape.
    bls_state: Mapping[tuple[str, str], tuple[float | None, ...]] = field(default_factory=dict)
    bls_sector: Mapping[tuple[str, str], tuple[float | None, ...]] = field(default_factory=dict)
    bls_state_names: Mapping[str, str] = field(default_factory=dict)  # lower-case state name -> FIPS code
    bls_sector_codes: Mapping[str, str] = field(default_factory=dict)  # 2-digit NAICS -> OEWS sector code
    # ISO 4217 code -> (units per USD, year): the survey's own conversion, latest year per currency.
    fx_per_usd: Mapping[str, tuple[float, int]] = field(default_factory=dict)
    country_currencies: Mapping[str, str] = field(default_factory=dict)  # ISO2 -> ISO 4217
    # SOC code -> the industry (market.industries) employing most of that occupation; for per-industry evaluation.
    soc_industry: Mapping[str, str] = field(default_factory=dict)
    # industry code -> the OEWS sector its wages come from (its first sector), for industry-aware BLS wages.
    industry_sectors: Mapping[str, str] = field(default_factory=dict)
    _title_cache: dict[str, TitleMatch] = field(default_factory=dict, repr=False)
    _choices: list[str] | None = field(default=None, repr=False)

    def title_match(self, title: str) -> TitleMatch:
        """The title as written when it is an O*NET title exactly (some carry commas or brackets: "3d artist
        (three dimensional artist)"), else the title proper (`title_key`: suffixes, brackets, gender tags cut) matched
        exactly, else rapidfuzz token_set_ratio >= 90 (ties broken by plain ratio). Cached."""
        raw = title_normalize(title)
        cached = self._title_cache.get(raw)
        if cached is not None:
            return cached
        exact = self.title_occupations.get(raw)
        if exact is not None:
            match = TitleMatch(exact[1], exact[0], "exact", 100.0)
        else:
            match = self._title_match_uncached(title_key(title))
        self._title_cache[raw] = match
        return match

    def _title_match_uncached(self, key: str) -> TitleMatch:
        if not key:
            return TitleMatch(None, None, "none", 0.0)
        exact = self.title_occupations.get(key)
        if exact is not None:
            return TitleMatch(exact[1], exact[0], "exact", 100.0)
        # "Staff Data Engineer" is a data engineer, not the O*NET "staff engineer" (hardware): a seniority word says
        # the level, not the occupation, so the title without it is tried before any fuzzy match.
        core = title_core(key)
        if core != key and (exact := self.title_occupations.get(core)) is not None:
            return TitleMatch(exact[1], exact[0], "exact", 100.0)
        if self._choices is None:
            self._choices = sorted(self.title_occupations)
        # token_set_ratio scores any subset 100 ("engineer" in "data engineer"), so among the hits prefer the choice
        # closest as a whole string; sorting the choices keeps the winner deterministic.
        hits = process.extract(
            key, self._choices, scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_MIN_SCORE, limit=None
        )
        # A single shared word is not a match ("xyzzy wrangler" is no "wrangler"): a multi-word title must share at
        # least two words with the O*NET title it is matched to.
        words = set(key.split())
        needed = min(2, len(words))
        hits = [hit for hit in hits if len(words & set(hit[0].split())) >= needed]
        if not hits:
            return TitleMatch(None, None, "none", 0.0)
        best = max(hits, key=lambda hit: (hit[1], fuzz.ratio(key, hit[0]), -hit[2]))
        occupation_code, soc_code = self.title_occupations[best[0]]
        return TitleMatch(soc_code, occupation_code, "fuzzy", float(best[1]))


def title_key(title: str) -> str:
    """The normalised title proper that occupation matching and the title vocabulary use: "Registered Nurse -
    Medical/Surgical (Nights)" -> "registered nurse", "Data Engineer (m/w/d)" -> "data engineer". Only for titles
    as written in postings and surveys (none of the 316 survey titles changes): never for O*NET titles, whose
    commas invert the words ("Teachers, Elementary School") rather than add a suffix."""
    return title_normalize(title_clean(title))


SENIORITY_WORDS = frozenset(
    {"senior", "sr", "sr.", "staff", "lead", "principal", "junior", "jr", "jr.", "i", "ii", "iii", "iv", "-", "–"}
)


def title_core(key: str) -> str:
    """A normalised title without its seniority words ("staff data engineer ii" -> "data engineer")."""
    words = [word for word in key.replace(",", " ").split() if word not in SENIORITY_WORDS]
    return " ".join(words) if words else key


@dataclass(frozen=True)
class CategoryVocabulary:
    """Frequent titles and company countries seen in training; anything else encodes as NaN (unknown)."""

    titles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def title_index(self, title: str) -> float:
        key = title_key(title)
        return float(self.titles.index(key)) if key in self.titles else math.nan

    def country_index(self, country: str) -> float:
        key = (country or "").upper()
        return float(self.countries.index(key)) if key in self.countries else math.nan

    def to_json(self) -> dict[str, list[str]]:
        return {"titles": list(self.titles), "countries": list(self.countries)}

    @classmethod
    def from_json(cls, data: Mapping[str, Sequence[str]]) -> CategoryVocabulary:
        return cls(titles=tuple(data.get("titles", ())), countries=tuple(data.get("countries", ())))


def category_vocabulary_build(inputs: Iterable[SalaryInput], *, min_rows: int = 20) -> CategoryVocabulary:
    """Titles and countries with at least `min_rows` training rows, sorted so the codes are stable."""
    title_counts: dict[str, int] = {}
    country_counts: dict[str, int] = {}
    for item in inputs:
        title = title_key(item.title)
        title_counts[title] = title_counts.get(title, 0) + 1
        country = item.company_country.upper()
        country_counts[country] = country_counts.get(country, 0) + 1
    return CategoryVocabulary(
        titles=tuple(sorted(t for t, n in title_counts.items() if n >= min_rows)),
        countries=tuple(sorted(c for c, n in country_counts.items() if n >= min_rows)),
    )


def region_of(country: str, reference: MarketReference) -> str:
    """NA, EU or APAC, or "other" for a country outside the three markets or unknown."""
    return reference.country_regions.get((country or "").upper()) or "other"


def _log_or_nan(value: float | None) -> float:
    return math.log(value) if value else math.nan


def salary_features(item: SalaryInput, *, reference: MarketReference, vocabulary: CategoryVocabulary) -> np.ndarray:
    """The feature vector of one input, in `SALARY_FEATURE_NAMES` order. Unknown codes become NaN, never a guess."""
    match = reference.title_match(item.title)
    wages = reference.bls_national.get(match.soc_code or "", (None,) * 5)
    company_country = (item.company_country or "").upper()
    residence = (item.residence_country or company_country).upper()
    row = [
        EXPERIENCE_ORDINAL.get(item.experience_level, math.nan),
        EMPLOYMENT_CODES.get(item.employment_type, math.nan),
        float(item.remote_ratio) if item.remote_ratio is not None else math.nan,
        COMPANY_SIZE_ORDINAL.get(item.company_size, math.nan),
        REGION_CODES[region_of(company_country, reference)],
        1.0 if residence == company_country else 0.0,
        *(_log_or_nan(wage) for wage in wages),
        float(item.work_year) if item.work_year is not None else math.nan,
        TITLE_MATCH_CODES[match.method],
        vocabulary.title_index(item.title),
        vocabulary.country_index(company_country),
    ]
    return np.asarray(row, dtype=np.float64)


def salary_feature_matrix(
    items: Sequence[SalaryInput], *, reference: MarketReference, vocabulary: CategoryVocabulary
) -> np.ndarray:
    """Rows of `salary_features`, shape (len(items), len(SALARY_FEATURE_NAMES))."""
    if not items:
        return np.empty((0, len(SALARY_FEATURE_NAMES)), dtype=np.float64)
    return np.vstack([salary_features(item, reference=reference, vocabulary=vocabulary) for item in items])
