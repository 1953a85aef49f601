from django.contrib import admin

from privacy.models import AuditEntry
from privacy.services import subject_hash


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The public schema's audit log (tenant erasures by staff). Read-only: an audit log is never edited."""

    list_display = ("at", "action", "actor_role", "actor_id", "tenant_schema", "subject_hash")
    list_filter = ("action", "actor_role")
    search_fields = ("subject_hash", "tenant_schema")
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def get_search_results(self, request, queryset, search_term: str):
        """An e-mail address is found by its keyed hash: the log never holds the address itself."""
        if "@" in search_term:
            return queryset.filter(subject_hash=subject_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
