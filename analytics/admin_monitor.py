"""Staff admin for analytics (public host): the model monitor page (/admin/analytics/monitor/, routed in
cvplus/urls_public.py through the admin site's own staff check) and its snapshots, read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.models import ModelMonitorSnapshot
from analytics.monitoring.page import pct, sections
from analytics.monitoring.report import monitor_report
from market.admin_base import ReadOnlyAdmin
from tenants.models import Client

MONITOR_PERMISSION = "analytics.view_modelmonitorsnapshot"


class MonitorFilterForm(forms.Form):
    tenant = forms.ModelChoiceField(
        label=gettext_lazy("Tenant"),
        queryset=Client.objects.filter(is_ready=True, erased_at__isnull=True)
        .exclude(kind=Client.Kind.PUBLIC)
        .order_by("name"),
        required=False,
        empty_label=gettext_lazy("Every tenant"),
    )


@admin.register(ModelMonitorSnapshot)
class ModelMonitorSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("tenant", "computed_at", "compute_ms")
    list_select_related = ("tenant",)


def monitor_view(request: HttpRequest) -> HttpResponse:
    """Per model kind and version: volume and latency, input drift and live accuracy, for every tenant or one."""
    if not request.user.has_perm(MONITOR_PERMISSION):
        raise PermissionDenied
    form = MonitorFilterForm(request.GET or None)
    tenant = form.cleaned_data["tenant"] if form.is_valid() else None
    report = monitor_report(tenant=tenant)
    context = {
        **admin.site.each_context(request),
        "title": _("Model monitor"),
        "form": form,
        "report": report,
        "sections": sections(report),
        "salary_recent": pct(report.salary_recent.value),
    }
    return TemplateResponse(request, "admin/analytics/monitor.html", context, status=400 if form.errors else 200)
