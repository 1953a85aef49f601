"""Browsable, read-only admin: reference data is written only by `manage.py load_reference_data`."""

from __future__ import annotations

from django.contrib import admin

from market.admin_base import ReadOnlyAdmin, ReadOnlyInline
from market.models import (
    Country,
    Currency,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferenceDataset,
    Region,
    SalarySurveyRow,
    Skill,
    WagePercentile,
)


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(Currency)
class CurrencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "minor_digits"]
    search_fields = ["code", "name_en"]


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["iso2", "iso3", "name", "region", "currency"]
    list_filter = ["region"]
    search_fields = ["iso2", "iso3", "name_en"]


class OccupationTitleInline(ReadOnlyInline):
    model = OccupationTitle
    fields = ["title", "source"]


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "taxonomy", "soc_code", "isco_group", "job_zone"]
    list_filter = ["taxonomy", "job_zone"]
    search_fields = ["code", "title", "soc_code", "isco_group"]
    inlines = [OccupationTitleInline]


@admin.register(OccupationTitle)
class OccupationTitleAdmin(ReadOnlyAdmin):
    list_display = ["title", "occupation", "source"]
    list_filter = ["source", "occupation__taxonomy"]
    list_select_related = ["occupation"]
    search_fields = ["normalized_title"]


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["key", "name"]


@admin.register(OccupationSkill)
class OccupationSkillAdmin(ReadOnlyAdmin):
    list_display = ["occupation", "skill", "commodity_title", "hot_technology", "in_demand"]
    list_filter = ["hot_technology", "in_demand"]
    list_select_related = ["occupation", "skill"]
    search_fields = ["skill__name", "occupation__title", "occupation__code"]


@admin.register(WagePercentile)
class WagePercentileAdmin(ReadOnlyAdmin):
    list_display = [
        "soc_code",
        "occ_title",
        "area_name",
        "industry_code",
        "annual_p10_usd",
        "annual_median_usd",
        "annual_p90_usd",
    ]
    list_filter = ["area_type", "occ_level"]
    search_fields = ["soc_code", "occ_title", "area_name", "industry_name"]


@admin.register(SalarySurveyRow)
class SalarySurveyRowAdmin(ReadOnlyAdmin):
    list_display = ["source", "source_line", "work_year", "job_title", "experience_level", "salary_usd"]
    list_filter = ["source", "work_year", "experience_level", "company_size"]
    search_fields = ["job_title", "company_location", "employee_residence", "duplicate_key"]


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "rows_loaded", "loaded_at", "load_duration_ms", "licence"]


# Registers the industry and CV rules admins, which build on the same read-only bases.
from market import admin_cv_rules, admin_industries  # noqa: E402, F401
