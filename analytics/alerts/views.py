"""The organisation's alert rules, under /portal/alerts/ on its host, for its administrators (portal/access.py):
its own tenant's rules and firings, and the rules it set itself to add, change or delete. Any other rule is a 404.
Thin: analytics/alerts/rules.py reads and writes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analytics.alerts import rules
from analytics.alerts.forms import OrganisationAlertRuleForm
from portal import access
from tenants.context import current_tenant

manages_alerts = access.portal_view(access.can_manage_alerts)


@require_GET
@manages_alerts
def alert_list(request: HttpRequest) -> HttpResponse:
    rows, recent = rules.organisation_overview(current_tenant())
    return render(request, "analytics/alerts/portal_list.html", {"rows": rows, "recent": recent})


def _form_page(request: HttpRequest, form: OrganisationAlertRuleForm, rule=None) -> HttpResponse:
    context = {"form": form, "rule": rule}
    return render(request, "analytics/alerts/portal_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@manages_alerts
def alert_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationAlertRuleForm(request.POST or None, tenant=current_tenant())
    if request.method == "POST" and form.is_valid():
        rules.alert_rule_save(rule=form.instance, organisation=True)
        messages.success(request, _("The alert rule “%(name)s” is saved.") % {"name": form.instance.name})
        return redirect("portal:alerts")
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
@manages_alerts
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = current_tenant()
    rule = rules.organisation_rule_get(tenant=tenant, pk=pk)
    form = OrganisationAlertRuleForm(request.POST or None, instance=rule, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        rules.alert_rule_save(rule=form.instance, organisation=True)
        messages.success(request, _("The alert rule “%(name)s” is saved.") % {"name": form.instance.name})
        return redirect("portal:alerts")
    return _form_page(request, form, rule)


@require_POST
@manages_alerts
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = rules.organisation_rule_get(tenant=current_tenant(), pk=pk)
    rules.alert_rule_delete(rule=rule)
    messages.success(request, _("The alert rule “%(name)s” is deleted.") % {"name": rule.name})
    return redirect("portal:alerts")
