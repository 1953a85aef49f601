"""The revenue page in staff admin (/admin/billing/revenue/) and the consulting engagements staff enter. Registered
from BillingConfig.ready, beside billing/admin.py."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from billing.models import ConsultingEngagement
from billing.revenue import revenue_report

PERIODS = (7, 30, 90, 365)


@admin.register(ConsultingEngagement)
class ConsultingEngagementAdmin(admin.ModelAdmin):
    list_display = ("client_name", "tenant", "amount_minor", "currency", "starts_on", "ends_on")
    list_filter = ("currency",)
    search_fields = ("client_name", "notes")
    change_list_template = "admin/billing/consultingengagement/change_list.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.revenue_view)
        return [path("revenue/", view, name="billing_revenue"), *super().get_urls()]

    def revenue_view(self, request: HttpRequest) -> HttpResponse:
        """MRR by stream, subscriptions, churn and failed payments over a chosen period (staff with view rights)."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in PERIODS else 30
        report = revenue_report(period_days=days)
        streams = [
            (_("Premium subscriptions"), report.mrr.get("premium", {})),
            (_("Enterprise contracts"), report.mrr.get("enterprise", {})),
            (_("API licensing"), report.mrr.get("api", {})),
            (_("Consulting"), report.mrr.get("consulting", {})),
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revenue"),
            "opts": self.model._meta,
            "report": report,
            "streams": [(label, sorted((c, a / 100) for c, a in amounts.items())) for label, amounts in streams],
            "totals": sorted((c, a / 100) for c, a in report.total_by_currency().items()),
            "periods": PERIODS,
            "days": days,
            "churn_percent": None if report.churn_rate is None else round(report.churn_rate * 100, 1),
        }
        return TemplateResponse(request, "admin/billing/revenue.html", context)
