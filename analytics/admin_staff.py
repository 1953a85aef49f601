"""Analytics in staff admin (public host only): the rollups' cursors, read-only (how far each tenant's events are
counted, and when), and the staff dashboard at /admin/analytics/rollupcursor/dashboard/, linked from the admin index.
Staff who may view the cursors may open the dashboard; its revenue section needs the revenue page's permission."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from analytics.demo_activity import simulated_note
from analytics.models import RollupCursor
from analytics.staff import PERIODS_DAYS, scope_make
from analytics.staff_page import staff_dashboard_context
from market.admin_base import ReadOnlyAdmin

REVENUE_PERMISSION = "billing.view_consultingengagement"  # the revenue page's (billing/admin_revenue.py)


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@admin.register(RollupCursor)
class RollupCursorAdmin(ReadOnlyAdmin):
    list_display = ("tenant", "advanced_at", "counted_below")
    list_select_related = ("tenant",)
    ordering = ("tenant__name",)

    def get_urls(self) -> list:
        dashboard = self.admin_site.admin_view(self.dashboard_view)
        return [path("dashboard/", dashboard, name="analytics_staff_dashboard"), *super().get_urls()]

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        """Sign-ups, active users, retention, conversion, revenue, API calls, predictions and errors, for every
        tenant or one, over the last 7, 30 or 90 days; read from the rollups, never from the events."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        scope = scope_make(
            tenant_id=_int_or_none(request.GET.get("tenant")), days=_int_or_none(request.GET.get("days")) or 0
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Staff analytics"),
            "opts": self.model._meta,
            "periods": PERIODS_DAYS,
            **staff_dashboard_context(scope, can_see_revenue=request.user.has_perm(REVENUE_PERMISSION)),
            "simulated": simulated_note(list(scope.tenants)),
        }
        return TemplateResponse(request, "admin/analytics/staff_dashboard.html", context)
