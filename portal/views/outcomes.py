"""Cohort outcomes (issue 13, item 5): the page and a CSV file per table, for administrators, coaches and analysts.

Aggregates only: no member is named anywhere, and any figure from fewer than five members is suppressed
(portal/outcomes.py). Every figure is computed from the data on each request.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal import access
from portal.outcomes_charts import funnel_chart, salary_chart, survival_chart
from portal.outcomes_forms import OutcomesFilterForm
from portal.outcomes_report import outcomes_report
from portal.outcomes_tables import TABLE_NAMES, report_tables, table_csv


@require_GET
@access.portal_view(access.can_see_outcomes)
def outcomes_page(request: HttpRequest) -> HttpResponse:
    form = OutcomesFilterForm(request.GET)  # every field is optional: no query string is the whole organisation
    context = {"form": form, "query": request.GET.urlencode()}
    if not form.is_valid():
        return render(request, "portal/outcomes/page.html", context, status=400)
    report = outcomes_report(viewer=request.user, filters=form.filters(), group_by=form.group_by_value())
    context |= {
        "report": report,
        "tables": {name.replace("-", "_"): table for name, table in report_tables(report).items()},
        "funnel_chart": funnel_chart(report),
        "interview_chart": survival_chart(report, "interview"),
        "offer_chart": survival_chart(report, "offer"),
        "salary_chart": salary_chart(report),
        "computed_at": timezone.now(),
    }
    return render(request, "portal/outcomes/page.html", context)


@require_GET
@access.portal_view(access.can_see_outcomes)
def outcomes_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLE_NAMES:
        raise Http404
    form = OutcomesFilterForm(request.GET)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    report = outcomes_report(viewer=request.user, filters=form.filters(), group_by=form.group_by_value())
    content = table_csv(report_tables(report, (table,))[table])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"cvplus-outcomes-{table}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
