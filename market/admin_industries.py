"""Admin for the industries and their versioned keyword databases: read-only, written by
`manage.py build_keyword_databases` (imported by market/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from market.admin_base import ReadOnlyAdmin, ReadOnlyInline
from market.models import Industry, IndustryKeyword, IndustryOccupation, KeywordDatabase, SynonymGroup, SynonymTerm


class IndustryOccupationInline(ReadOnlyInline):
    model = IndustryOccupation
    fields = ["soc_code", "title", "employment", "share"]


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "naics_sectors", "employment"]
    inlines = [IndustryOccupationInline]


@admin.register(KeywordDatabase)
class KeywordDatabaseAdmin(ReadOnlyAdmin):
    list_display = ["version", "is_current", "built_at", "build_seconds", "keyword_count"]
    readonly_fields = ["version", "is_current", "built_at", "build_seconds", "sources", "counts"]

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: KeywordDatabase) -> int:
        return (obj.counts or {}).get("total", {}).get("keywords", 0)


@admin.register(IndustryKeyword)
class IndustryKeywordAdmin(ReadOnlyAdmin):
    list_display = ["term", "industry", "kind", "weight", "hot", "database"]
    list_filter = ["database__is_current", "industry", "kind", "hot"]
    list_select_related = ["industry", "database"]
    search_fields = ["term"]


class SynonymTermInline(ReadOnlyInline):
    model = SynonymTerm
    fields = ["term", "source"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ReadOnlyAdmin):
    list_display = ["canonical", "kind", "code", "database"]
    list_filter = ["database__is_current", "kind"]
    list_select_related = ["database"]
    search_fields = ["canonical", "code", "terms__term"]
    inlines = [SynonymTermInline]
