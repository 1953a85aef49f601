"""Staff tools in admin (public host, staff only): the staff directory, which finds people across every tenant
(/admin/tenants/staffaction/directory/), one person's page with their subscription, contract and plan buttons, and
the staff audit log (/admin/tenants/staffaction/), read-only. Searching and viewing a person are written to the log.
Granting and revoking plans are billing's admin pages (billing/admin.py), reached from here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from market.admin_base import ReadOnlyAdmin
from tenants.directory import QUERY_MIN_CHARS, directory_person, directory_search
from tenants.models import Client, StaffAction
from tenants.staff_actions import staff_action_record

DIRECTORY_PERMISSION = "tenants.use_staff_directory"


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Email or name contains"),
        min_length=QUERY_MIN_CHARS,
        max_length=254,
        error_messages={
            "required": gettext_lazy("Type part of an email address or a name."),
            "min_length": gettext_lazy("Type at least %(limit_value)d characters."),
        },
    )
    tenant = forms.ModelChoiceField(
        label=gettext_lazy("Tenant"),
        queryset=Client.objects.filter(is_ready=True).exclude(kind=Client.Kind.PUBLIC).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Every tenant"),
    )


def person_url(tenant_id: int, user_id: int) -> str:
    return reverse("admin:staff_person", args=[tenant_id, user_id])


@admin.register(StaffAction)
class StaffActionAdmin(ReadOnlyAdmin):
    """Read-only: an audit log is never added to, edited or deleted by hand."""

    list_display = ("at", "actor_email", "action", "tenant", "target", "detail_text")
    list_filter = ("action", "tenant", "actor_email")
    search_fields = ("actor_email", "=target_user_id")
    date_hierarchy = "at"
    list_select_related = ("tenant",)
    readonly_fields = [field.name for field in StaffAction._meta.fields]

    @admin.display(description=gettext_lazy("person"))
    def target(self, obj: StaffAction) -> str:
        if obj.target_user_id is None or obj.tenant_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', person_url(obj.tenant_id, obj.target_user_id), obj.target_user_id)

    @admin.display(description=gettext_lazy("details"))
    def detail_text(self, obj: StaffAction) -> str:
        return ", ".join(f"{key}: {value}" for key, value in sorted(obj.detail.items()))

    def get_urls(self) -> list:
        directory = self.admin_site.admin_view(self.directory_view)
        person = self.admin_site.admin_view(self.person_view)
        return [
            path("directory/", directory, name="staff_directory"),
            path("directory/<int:tenant_id>/<int:user_id>/", person, name="staff_person"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}

    def directory_view(self, request: HttpRequest) -> HttpResponse:
        """Finds people by email or name across tenants; every search that runs is written to the staff log."""
        if not request.user.has_perm(DIRECTORY_PERMISSION):
            raise PermissionDenied
        form = DirectorySearchForm(request.GET if "q" in request.GET else None)
        result = None
        if form.is_valid():
            query, tenant = form.cleaned_data["q"], form.cleaned_data["tenant"]
            with transaction.atomic():
                result = directory_search(query=query, tenant=tenant)
                staff_action_record(
                    by=request.user,
                    action=StaffAction.Action.DIRECTORY_SEARCHED,
                    tenant=tenant,
                    detail={"query": result.query, "found": len(result.people), "tenants": result.tenants_searched},
                )
        context = {
            **self._context(request, _("Staff directory")),
            "form": form,
            "result": result,
            "can_grant": request.user.has_perm("billing.add_subscription"),
        }
        return TemplateResponse(
            request, "admin/tenants/staffaction/directory.html", context, status=400 if form.errors else 200
        )

    def person_view(self, request: HttpRequest, tenant_id: int, user_id: int) -> HttpResponse:
        """One person in one tenant: who they are, their subscription, their organisation's contract, and the plan
        buttons. Each view is written to the staff log."""
        if not request.user.has_perm(DIRECTORY_PERMISSION):
            raise PermissionDenied
        tenant = get_object_or_404(Client, pk=tenant_id)
        person = directory_person(tenant=tenant, user_id=user_id)
        if person is None:
            raise Http404
        staff_action_record(
            by=request.user, action=StaffAction.Action.PERSON_VIEWED, tenant=tenant, target_user_id=user_id
        )
        context = {
            **self._context(request, person.full_name or person.email),
            "person": person,
            "can_grant": request.user.has_perm("billing.add_subscription"),
        }
        return TemplateResponse(request, "admin/tenants/staffaction/person.html", context)
