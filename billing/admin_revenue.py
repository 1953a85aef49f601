"""The revenue page in staff admin (/admin/billing/revenue/) and the consulting engagements staff enter. Registered
from BillingConfig.ready, beside billing/admin.py."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from billing.admin_forms import ConsultingEngagementAdminForm
from billing.models import ConsultingEngagement
from billing.money import price_format
from billing.revenue import RevenueReport, revenue_report

PERIODS = (7, 30, 90, 365)


def _amounts(by_currency: dict[str, int]) -> list[str]:
    return [price_format(amount, currency) for currency, amount in sorted(by_currency.items())]


def mrr_text(report: RevenueReport) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(stream label, amounts) per stream and the total amounts, each currency on its own, formatted with its own
    exponent (JPY has no minor unit) in the reader's language. Also shown on the staff dashboard (analytics)."""
    streams = [
        (_("Premium subscriptions"), report.mrr.get("premium", {})),
        (_("Enterprise contracts"), report.mrr.get("enterprise", {})),
        (_("API licensing"), report.mrr.get("api", {})),
        (_("Consulting"), report.mrr.get("consulting", {})),
    ]
    return [(label, _amounts(amounts)) for label, amounts in streams], _amounts(report.total_by_currency())


@admin.register(ConsultingEngagement)
class ConsultingEngagementAdmin(admin.ModelAdmin):
    form = ConsultingEngagementAdminForm
    list_display = ("client_name", "tenant", "amount", "starts_on", "ends_on")
    list_filter = ("currency",)
    search_fields = ("client_name", "notes")
    change_list_template = "admin/billing/consultingengagement/change_list.html"
    fields = ("client_name", "tenant", "currency", "amount", ("starts_on", "ends_on"), "notes")

    @admin.display(description=_("amount"), ordering="amount_minor")
    def amount(self, obj: ConsultingEngagement) -> str:
        return price_format(obj.amount_minor, obj.currency)

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
        streams, totals = mrr_text(report)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revenue"),
            "opts": self.model._meta,
            "report": report,
            "streams": streams,
            "totals": totals,
            "consulting": [(e, price_format(e.amount_minor, e.currency)) for e in report.consulting],
            "periods": PERIODS,
            "days": days,
            "churn_percent": None if report.churn_rate is None else round(report.churn_rate * 100, 1),
        }
        return TemplateResponse(request, "admin/billing/revenue.html", context)
