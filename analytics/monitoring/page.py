"""The staff "Model monitor" page's content: the report (analytics/monitoring/report.py) as tables of text and charts,
per model kind. Numbers are formatted in the admin's language here, so the template only lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.monitoring.charts import psi_chart, reliability_chart
from analytics.monitoring.report import Figure, ModelRow, MonitorReport

KIND_TITLES = {
    "salary": gettext_lazy("Salary range"),
    "interview": gettext_lazy("Interview probability"),
    "time_to_hire": gettext_lazy("Time to hire"),
    "match": gettext_lazy("CV match (a scorer, not a trained model)"),
}
BAND_NAMES = {"stable": gettext_lazy("stable"), "moderate": gettext_lazy("moderate"), "large": gettext_lazy("large")}
STATUS_NAMES = {"champion": gettext_lazy("champion"), "archived": gettext_lazy("archived"), "candidate": ""}


@dataclass
class Table:
    name: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = ""  # said in place of the rows when there are none

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each row's cells with their column's header (a narrow screen shows each cell under its header)."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass
class Drift:
    label: str
    summary: str
    note: str
    table: Table | None
    chart: dict | None


@dataclass
class Section:
    kind: str
    title: str
    serving: Table
    accuracy: Table | None = None
    accuracy_note: str = ""
    drift: list[Drift] = field(default_factory=list)
    reliability: list[tuple[str, dict, Table]] = field(default_factory=list)


def pct(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else _("%(value)s %%") % {"value": number_format(value * 100, decimals)}


def count(value: int) -> str:
    return number_format(value, force_grouping=True)


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(ms)s ms") % {"ms": number_format(value, 1 if value < 10 else 0, force_grouping=True)}


def figure(value: Figure | None, shown) -> str:
    """The figure, or why there is none: "not enough data (12 of 30)"."""
    if value is None:
        return "—"
    if not value.enough:
        return _("not enough data (%(n)s of %(minimum)s)") % {"n": count(value.n), "minimum": count(value.minimum)}
    return shown(value.value)


def _decimal(value: float | None) -> str:
    return "—" if value is None else number_format(value, 3)


def model_label(row: ModelRow) -> str:
    status = STATUS_NAMES.get(row.status, "")
    return f"{row.label}, {status}" if status else row.label


def serving_table(kind: str, rows: list[ModelRow]) -> Table:
    headers = [_("Model"), _("Requests"), _("Items"), _("Latency p50"), _("Latency p99")]
    body = [
        [model_label(row), count(row.requests), count(row.items), ms(row.p50_ms), ms(row.p99_ms)]
        for row in rows
        if row.requests
    ]
    empty = _("No request in the last 30 days.")
    return Table(f"serving-{kind}", _("Volume and latency, last 30 days"), headers, body, empty)


def _held_out_coverage(row: ModelRow) -> str:
    held = row.held_out or {}
    if held.get("coverage") is None:
        return "—"
    return _("%(coverage)s (%(n)s held out)") % {"coverage": pct(held["coverage"]), "n": count(held.get("n") or 0)}


def accuracy_table(kind: str, rows: list[ModelRow]) -> Table | None:
    if kind == "interview":
        headers = [_("Model"), _("Outcomes"), _("Brier score"), _("ECE"), _("Held-out Brier"), _("Held-out ECE")]
        body = [
            [
                model_label(row),
                count(row.brier.n),
                figure(row.brier, _decimal),
                figure(row.ece, _decimal),
                _decimal((row.held_out or {}).get("brier")),
                _decimal((row.held_out or {}).get("ece")),
            ]
            for row in rows
            if row.brier is not None
        ]
        caption = _("Predicted probability against reaching screening or later")
    elif kind in ("salary", "time_to_hire"):
        headers = [_("Model"), _("Offers"), _("Inside P10–P90"), _("Below"), _("Above"), _("Held out")]
        body = [
            [
                model_label(row),
                count(row.coverage.n),
                figure(row.coverage, pct),
                count(row.below),
                count(row.above),
                _held_out_coverage(row),
            ]
            for row in rows
            if row.coverage is not None
        ]
        caption = (
            _("Offers inside the predicted salary range")
            if kind == "salary"
            else _("Days from applying to the offer inside the predicted interval")
        )
    else:
        return None
    return Table(f"accuracy-{kind}", caption, headers, body) if body else None


def accuracy_note(kind: str, rows: list[ModelRow]) -> str:
    demo = sum(row.demo for row in rows)
    notes = []
    if demo:
        notes.append(
            _("%(n)s of these outcomes are the demo's: simulated, to show the monitor at work.") % {"n": count(demo)}
        )
    unconverted = sum(row.unconverted for row in rows)
    if kind == "salary" and unconverted:
        notes.append(_("%(n)s offers in a currency with no known rate are left out.") % {"n": count(unconverted)})
    if kind == "time_to_hire" and any(row.measured_from == "application_close" for row in rows):
        notes.append(
            _(
                "The global model counts from a posting's closing date, which people apply before: its interval is "
                "a lower bound on the days from applying, so offers above it are expected."
            )
        )
    return " ".join(notes)


def drift_block(row: ModelRow) -> Drift:
    if row.psi_max is None:
        return Drift(model_label(row), "", row.drift_note, None, None)
    if row.psi_max.value is None:
        summary = _("Not enough data: %(n)s served inputs, at least %(minimum)s are needed.") % {
            "n": count(row.observed),
            "minimum": count(row.psi_max.minimum),
        }
        return Drift(model_label(row), summary, row.drift_note, None, None)
    summary = _("Largest PSI %(psi)s, over %(n)s served inputs in the last 30 days.") % {
        "psi": _decimal(row.psi_max.value),
        "n": count(row.observed),
    }
    table = Table(
        f"drift-{row.kind}-{row.key}".replace(":", "-"),
        _("Population stability index per feature"),
        [_("Feature"), _("PSI"), _("Shift")],
        [[item.name, _decimal(item.psi), str(BAND_NAMES[item.band])] for item in row.drift],
    )
    return Drift(model_label(row), summary, row.drift_note, table, psi_chart(row.drift))


def reliability_table(row: ModelRow) -> Table:
    return Table(
        f"reliability-{row.key}".replace(":", "-"),
        _("Reliability by tenth of predicted probability"),
        [_("Predicted"), _("Outcomes"), _("Mean predicted"), _("Observed share")],
        [
            [
                f"{pct(point['low'], 0)} – {pct(point['high'], 0)}",
                count(point["n"]),
                pct(point["predicted"]),
                pct(point["observed"]),
            ]
            for point in row.reliability
        ],
    )


def sections(report: MonitorReport) -> list[Section]:
    out = []
    for kind in KIND_TITLES:
        rows = report.of_kind(kind)
        if not rows:
            continue
        section = Section(kind, str(KIND_TITLES[kind]), serving_table(kind, rows))
        section.accuracy = accuracy_table(kind, rows)
        section.accuracy_note = accuracy_note(kind, rows)
        if kind != "match":
            section.drift = [drift_block(row) for row in rows if row.requests]
        for row in rows:
            chart = reliability_chart(row.reliability)
            if chart is not None:
                section.reliability.append((model_label(row), chart, reliability_table(row)))
        out.append(section)
    return out
