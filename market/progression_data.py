"""The loader of ``market.progression``: the market tables as one ``ProgressionReference``, built in process and
cached per set of reference-data fingerprints (a reload of any of them rebuilds it on the next call)."""

from __future__ import annotations

import statistics
import threading
from collections import defaultdict

from django.db.models import Q

from market.progression_rules import (
    LEVELS,
    OccupationInfo,
    ProgressionReference,
    SkillInfo,
    SurveyTitle,
    WageRow,
    is_management,
    title_index_build,
    title_key,
)

PROGRESSION_DATASETS = (
    "onet_occupations",
    "onet_technology_skills",
    "bls_oews_2025",
    "salary_survey_aijobs",
    "salary_survey_devops",
    "salary_survey_infosec",
)
NATIONAL_AREA_CODE = "0000000"
CROSS_INDUSTRY_CODE = "000000"
GOVERNMENT_SECTOR_CODE = "99-100"
COMMON_TITLE_SOURCES = ("preferred", "reported")

_cache_lock = threading.Lock()
_cache: dict[tuple[str, ...], ProgressionReference] = {}


def progression_reference() -> ProgressionReference:
    """The reference data as loaded now (public schema tables, readable from any tenant schema)."""
    from market.models import ReferenceDataset

    fingerprints = dict(
        ReferenceDataset.objects.filter(name__in=PROGRESSION_DATASETS).values_list("name", "fingerprint")
    )
    cache_key = tuple(fingerprints.get(name, "") for name in PROGRESSION_DATASETS)
    with _cache_lock:
        if cache_key not in _cache:
            reference = progression_reference_load()
            _cache.clear()
            _cache[cache_key] = reference
        return _cache[cache_key]


def progression_reference_clear() -> None:
    """Forget the cached reference (tests that write market rows without a new fingerprint call this)."""
    with _cache_lock:
        _cache.clear()


def progression_reference_load() -> ProgressionReference:
    from market.models import Occupation, OccupationSkill, OccupationTitle, Taxonomy, WagePercentile

    reference = ProgressionReference()
    for code, title, soc_code, job_zone in Occupation.objects.filter(taxonomy=Taxonomy.ONET).values_list(
        "code", "title", "soc_code", "job_zone"
    ):
        reference.occupations[code] = OccupationInfo(code, title, soc_code, job_zone)

    title_rows: list[tuple[str, str]] = []
    common: dict[str, list[str]] = defaultdict(list)
    management: dict[str, list[str]] = defaultdict(list)
    rows = OccupationTitle.objects.filter(occupation__taxonomy=Taxonomy.ONET).values_list(
        "occupation__code", "title", "source"
    )
    for code, title, source in rows.iterator(chunk_size=10_000):
        title_rows.append((code, title))
        if source in COMMON_TITLE_SOURCES:
            common[code].append(title)
        occupation = reference.occupations.get(code)
        if occupation is not None and is_management(occupation):
            management[code].append(title)
    reference.codes_by_title, reference.codes_by_singular_title = title_index_build(title_rows)
    reference.common_titles = {code: tuple(titles) for code, titles in common.items()}
    reference.management_titles = {code: tuple(titles) for code, titles in management.items()}

    skills: dict[str, list[SkillInfo]] = defaultdict(list)
    links = OccupationSkill.objects.filter(occupation__taxonomy=Taxonomy.ONET).values_list(
        "occupation__code", "skill__key", "skill__name", "hot_technology", "in_demand"
    )
    for code, key, name, hot, in_demand in links.iterator(chunk_size=10_000):
        skills[code].append(SkillInfo(key, name, hot, in_demand))
    reference.skills = {code: tuple(found) for code, found in skills.items()}

    national = WagePercentile.objects.filter(area_code=NATIONAL_AREA_CODE)
    for soc_code, title, median, top_coded, employment, level in national.filter(
        industry_code=CROSS_INDUSTRY_CODE
    ).values_list("soc_code", "occ_title", "annual_median_usd", "wage_top_coded", "employment", "occ_level"):
        reference.wages[soc_code] = WageRow(soc_code, title, median, top_coded, employment, level)
    sector_mix: dict[str, dict[str, float]] = defaultdict(dict)
    # The BLS sectors ("51--52") and the government outside schools and hospitals ("99-100") split the employment.
    sectors = national.filter(occ_level=3, employment__isnull=False).filter(
        Q(industry_code__contains="--") | Q(industry_code=GOVERNMENT_SECTOR_CODE)
    )
    for soc_code, industry_code, employment in sectors.values_list("soc_code", "industry_code", "employment"):
        sector_mix[soc_code][industry_code] = float(employment)
    reference.sector_mix = dict(sector_mix)

    reference.survey = survey_titles_load()
    return reference


def survey_titles_load() -> dict[str, SurveyTitle]:
    """Answers per normalized survey title, each distinct answer once (the files repeat 32-54 % of their rows)."""
    from market.models import SalarySurveyRow

    seen: set[str] = set()
    counts: dict[str, list[int]] = {}
    salaries: dict[str, list[int]] = defaultdict(list)
    written: dict[str, str] = {}
    rows = SalarySurveyRow.objects.order_by("source", "source_line").values_list(
        "job_title", "experience_level", "salary_usd", "duplicate_key"
    )
    for job_title, level, salary_usd, duplicate_key in rows.iterator(chunk_size=10_000):
        if duplicate_key in seen or level not in LEVELS:
            continue
        seen.add(duplicate_key)
        key = title_key(job_title)
        written.setdefault(key, job_title)
        counts.setdefault(key, [0, 0, 0, 0])[LEVELS.index(level)] += 1
        salaries[key].append(salary_usd)
    return {
        key: SurveyTitle(written[key], tuple(level_counts), round(statistics.median(salaries[key])))
        for key, level_counts in counts.items()
    }
