from django.contrib import admin
from django.db import transaction

from tenants.models import Client, Domain
from tenants.tasks import tenant_provision_task


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "schema_name", "kind", "region", "default_language", "currency", "is_ready", "created_at")
    list_filter = ("kind", "region", "is_ready")
    search_fields = ("name", "schema_name", "domains__domain")
    inlines = [DomainInline]

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        fixed = ("is_ready", "created_at", "provisioned_at")
        return (*fixed, "schema_name") if obj is not None else fixed

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            client_id = form.instance.pk
            # robust: with the broker down the tenant is saved and the page answers; the error is logged and
            # `provision_tenant <schema> --retry` provisions it.
            transaction.on_commit(lambda: tenant_provision_task.delay(client_id), robust=True)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting a tenant drops its data; that arrives with the privacy issue, with its safeguards
