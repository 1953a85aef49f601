"""Admin for the regional CV rules: read-only, written by market.cv_rules.cv_rules_ensure from the catalogue in
market/cv_rules_catalogue.py (imported by market/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from market.admin_base import ReadOnlyAdmin
from market.models import CVRule


@admin.register(CVRule)
class CVRuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "scope", "title", "topic", "check_kind", "severity", "position"]
    list_filter = ["region", "country", "topic", "severity", "check_kind"]
    list_select_related = ["country", "region"]
    search_fields = ["code", "title_en", "advice_en", "country__iso2"]
    ordering = ["country_id", "region_id", "position"]
    fields = [
        "country",
        "region",
        "code",
        "topic",
        "check_kind",
        "severity",
        "params",
        "title_en",
        "title_fr",
        "title_de",
        "title_es",
        "title_ja",
        "advice_en",
        "advice_fr",
        "advice_de",
        "advice_es",
        "advice_ja",
        "basis",
        "position",
    ]

    @admin.display(description=_("country or region"), ordering="country_id")
    def scope(self, obj: CVRule) -> str:
        return str(obj.country or obj.region)
