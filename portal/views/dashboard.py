"""The organisation dashboard (issue 14): live activity, engagement and the funnel by coach and cohort, for
administrators, coaches and analysts (analytics/org_dashboard.py computes it; a coach's figures are their members').
The live panel refreshes itself every second from its own fragment (htmx, served by CVPlus)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analytics.demo_activity import simulated_note
from analytics.org_dashboard import live_activity, organisation_dashboard
from analytics.org_page import live_chart, page_context
from portal import access

LIVE_REFRESH_S = 1


@require_GET
@access.portal_view(access.can_see_outcomes)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    context = page_context(organisation_dashboard(viewer=request.user)) | {
        "refresh_s": LIVE_REFRESH_S,
        "simulated": simulated_note([connection.tenant]),
    }
    return render(request, "portal/dashboard/page.html", context)


@require_GET
@access.portal_view(access.can_see_outcomes)
def dashboard_live(request: HttpRequest) -> HttpResponse:
    live = live_activity()
    context = {"live": live, "live_chart": live_chart(live), "refresh_s": LIVE_REFRESH_S}
    response = render(request, "portal/dashboard/_live.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
