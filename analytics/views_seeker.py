"""The seeker's dashboard page (/app/insights/): their own figures from their own rows, kept in the cache under a
digest of their applications, so an application created, moved or deleted shows at the next page load
(analytics.seeker_dashboard.figures_cache_key). The comparison with CVPlus's predictions (a prediction per
application: seconds for thousands of them) is its own fragment, /app/insights/predicted/, which the page loads with
htmx once it is shown (without JavaScript, a link opens it as a page), kept in the cache until the seeker's
applications or the interview models change (analytics.seeker_dashboard.comparison_cache_key)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics.charts import BarRow, Series, bar_chart, line_chart
from analytics.seeker_dashboard import SeekerDashboard, seeker_comparison, seeker_figures_cached
from analytics.seeker_figures import FEW_APPLICATIONS
from portal.outcomes_tables import SHARE, Cell
from tracking.models import Application, Stage


def share_text(value: float | None) -> str:
    """ "40 %" in the page's language; "–" without a share."""
    return Cell(value, SHARE).text


def _funnel_chart(dashboard: SeekerDashboard) -> dict:
    return bar_chart(
        [
            BarRow(str(Stage(step.stage).label), step.applications, number_format(step.applications))
            for step in dashboard.funnel
        ]
    )


def _channel_chart(dashboard: SeekerDashboard) -> dict:
    rows = [
        BarRow(str(Application.Channel(channel.channel).label), channel.rate, share_text(channel.rate))
        for channel in dashboard.channels
    ]
    return bar_chart(rows, scale_max=1)


def _weekly_chart(dashboard: SeekerDashboard) -> dict:
    labels = [date_format(week.start, "MONTH_DAY_FORMAT") for week in dashboard.weeks]
    series = [
        Series(_("Applications added"), [week.added for week in dashboard.weeks]),
        Series(_("Moves"), [week.moves for week in dashboard.weeks]),
    ]
    return line_chart(labels, series, label_every=3, whole=True)


@login_required
@require_GET
def insights_page(request: HttpRequest) -> HttpResponse:
    dashboard = seeker_figures_cached(user=request.user)
    weeks = dashboard.weeks
    context = {
        "dashboard": dashboard,
        "few_applications": FEW_APPLICATIONS,
        "funnel_chart": _funnel_chart(dashboard),
        "funnel_rows": [
            {"label": Stage(step.stage).label, "count": step.applications, "rate": share_text(step.rate)}
            for step in dashboard.funnel
        ],
        "channel_chart": _channel_chart(dashboard) if dashboard.channels else None,
        "channel_rows": [
            {
                "label": Application.Channel(channel.channel).label,
                "sent": channel.sent,
                "answered": channel.answered,
                "rate": share_text(channel.rate),
            }
            for channel in dashboard.channels
        ],
        "stage_rows": [{"label": Stage(row.stage).label, "row": row} for row in dashboard.stage_times],
        "weekly_chart": _weekly_chart(dashboard),
        "weeks_added": sum(week.added for week in weeks),
        "weeks_moves": sum(week.moves for week in weeks),
        "week_rows": list(reversed(weeks)),
    }
    return render(request, "analytics/seeker.html", context)


@login_required
@require_GET
def insights_predicted(request: HttpRequest) -> HttpResponse:
    """The comparison with the predictions: the section alone for htmx, else a page of its own."""
    context = {"comparison": seeker_comparison(user=request.user)}
    template = "analytics/_predicted.html" if request.htmx else "analytics/seeker_predicted.html"
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response
