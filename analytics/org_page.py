"""What the organisation dashboard's page shows of analytics/org_dashboard.py: its charts (analytics/charts.py) and
compact tables, with every figure's text in the page's language. A suppressed figure reads "fewer than 5"."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.charts import BarRow, Series, bar_chart, line_chart
from analytics.org_dashboard import EngagementRow, LiveActivity, OrganisationDashboard
from portal.outcomes import FunnelRow
from portal.outcomes_report import ALL, Report
from portal.outcomes_tables import COUNT, FEWER_THAN, SHARE, Cell, stage_label


def count_text(value: int | None) -> str:
    return str(FEWER_THAN) if value is None else Cell(value, COUNT).text


def share_text(value: float | None) -> str:
    return Cell(value, SHARE).text


def _of(count: int | None, share: float | None) -> str:
    """ "12 (80 %)"; "fewer than 5" when suppressed."""
    if count is None:
        return str(FEWER_THAN)
    if share is None:
        return count_text(count)
    return _("%(count)s (%(share)s)") % {"count": count_text(count), "share": share_text(share)}


# ---------------------------------------------------------------------------------------------------------------------
# Live activity
# ---------------------------------------------------------------------------------------------------------------------
def live_chart(live: LiveActivity) -> dict:
    labels = [f"{hour:%H}:00" for hour, _count in live.hours]
    return line_chart(
        labels, [Series(_("Events"), [count for _hour, count in live.hours])], columns=True, label_every=6
    )


# ---------------------------------------------------------------------------------------------------------------------
# Engagement
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EngagementLine:
    label: str
    members: str
    this_week: str
    last_week: str


def engagement_lines(rows: list[EngagementRow]) -> list[EngagementLine]:
    lines = []
    for row in rows:
        if row.suppressed:
            lines.append(EngagementLine(row.label, str(FEWER_THAN), "", ""))
            continue
        lines.append(
            EngagementLine(
                row.label,
                count_text(row.members),
                _of(row.this_week, row.share(row.this_week)),
                _of(row.last_week, row.share(row.last_week)),
            )
        )
    return lines


def engagement_chart(rows: list[EngagementRow]) -> dict:
    bars = []
    for row in rows:
        value = None if row.suppressed else row.share(row.this_week)
        bars.append(BarRow(row.label, value, _of(None if row.suppressed else row.this_week, value)))
    return bar_chart(bars, scale_max=1)


# ---------------------------------------------------------------------------------------------------------------------
# Funnel by group
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FunnelLine:
    label: str
    members: str
    stages: list[str]  # one text per funnel stage; empty when the whole group is suppressed


def funnel_headers(report: Report) -> list[str]:
    stages = report.funnel[ALL].cells
    return [_("Group"), _("Members"), *(stage_label(cell.stage) for cell in stages)]


def funnel_lines(report: Report) -> list[FunnelLine]:
    """Per group: members, then the members who reached each stage with the share of the stage before."""
    lines = []
    for group in report.groups:
        row: FunnelRow = report.funnel[group.key]
        if row.suppressed:
            lines.append(FunnelLine(group.label, str(FEWER_THAN), []))
            continue
        lines.append(
            FunnelLine(
                group.label, count_text(row.members), [_of(cell.members, cell.member_rate) for cell in row.cells]
            )
        )
    return lines


def funnel_chart(report: Report) -> dict:
    """Members of everyone (within reach) reaching each stage."""
    row = report.funnel[ALL]
    bars = [
        BarRow(
            _("In the programme"),
            None if row.suppressed else row.members,
            count_text(None if row.suppressed else row.members),
        )
    ]
    for cell in row.cells:
        bars.append(BarRow(stage_label(cell.stage), cell.members, count_text(cell.members)))
    return bar_chart(bars)


def page_context(dashboard: OrganisationDashboard) -> dict:
    engagement = dashboard.engagement
    return {
        "dashboard": dashboard,
        "live": dashboard.live,
        "live_chart": live_chart(dashboard.live),
        "engagement_chart": engagement_chart(engagement.by_cohort),
        "engagement_by_cohort": engagement_lines(engagement.by_cohort),
        "engagement_by_coach": engagement_lines(engagement.by_coach),
        "funnel_chart": funnel_chart(dashboard.funnel_by_cohort),
        "funnel_headers": funnel_headers(dashboard.funnel_by_cohort),
        "funnel_by_coach": funnel_lines(dashboard.funnel_by_coach),
        "funnel_by_cohort": funnel_lines(dashboard.funnel_by_cohort),
    }
