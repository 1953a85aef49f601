from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from tenants import admin_staff  # noqa: F401  (registers the staff directory and the staff audit log)
from tenants.models import Client, Domain, StaffAction
from tenants.staff_actions import staff_action_record
from tenants.tasks import tenant_provision_task


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "schema_name",
        "kind",
        "region",
        "default_language",
        "currency",
        "is_ready",
        "created_at",
        "erased_at",
    )
    list_filter = ("kind", "region", "is_ready")
    search_fields = ("name", "schema_name", "domains__domain")
    inlines = [DomainInline]
    actions = ["erase_tenant"]

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        fixed = ("is_ready", "created_at", "provisioned_at", "erased_at")
        return (*fixed, "schema_name") if obj is not None else fixed

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            client_id = form.instance.pk
            # robust: with the broker down the tenant is saved and the page answers; the error is logged and
            # `provision_tenant <schema> --retry` provisions it.
            transaction.on_commit(lambda: tenant_provision_task.delay(client_id), robust=True)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a tenant is erased (below), never deleted: its row and billing records stay

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.erase_view)
        return [path("<int:pk>/erase/", view, name="tenants_client_erase"), *super().get_urls()]

    @admin.action(description=_("Erase the selected tenant (its data, schema and files)…"))
    def erase_tenant(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Erase one tenant at a time."), level=messages.WARNING)
            return None
        return redirect(reverse("admin:tenants_client_erase", args=[queryset.get().pk]))

    def erase_view(self, request, pk: int):
        """Explains what goes and what stays, then erases on the typed schema name and the staff member's password."""
        from privacy.erasure_requests import tenant_erasure_request
        from privacy.forms import TenantEraseForm
        from privacy.tenant_erasure import tenant_check_erasable
        from privacy.tenant_selectors import tenant_erasure_preview

        if not self.has_change_permission(request):
            return redirect("admin:index")
        client = get_object_or_404(Client, pk=pk)
        try:
            tenant_check_erasable(client)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), level=messages.ERROR)
            return redirect("admin:tenants_client_changelist")
        form = TenantEraseForm(request.POST or None, user=request.user, expected_schema=client.schema_name)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                tenant_erasure_request(client=client, by=request.user)
                staff_action_record(
                    by=request.user,
                    action=StaffAction.Action.TENANT_ERASURE_REQUESTED,
                    tenant=client,
                    detail={"schema": client.schema_name},
                )
            self.message_user(request, _("The tenant is offline; its schema and files are being dropped."))
            return redirect("admin:tenants_client_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase %(name)s") % {"name": client.name},
            "client": client,
            "form": form,
            "preview": tenant_erasure_preview(client=client),
            "opts": self.model._meta,
        }
        return render(request, "admin/tenants/client/erase.html", context, status=400 if form.errors else 200)
