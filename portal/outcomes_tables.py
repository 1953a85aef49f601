"""The outcomes page's tables, one structure for the page and its CSV files: each cell keeps its value and kind, shown
in the page's language on the page and written plainly (numbers with a dot, shares in percent) in the CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from portal.outcomes import Curve, FunnelRow, Step
from portal.outcomes_report import Group, Report
from tracking.models import Stage

TEXT, COUNT, SHARE, MONEY, DAYS, SUPPRESSED, EMPTY = "text", "count", "share", "money", "days", "suppressed", "empty"
CHECKPOINT_DAYS = (30, 60, 90, 180)
FEWER_THAN = gettext_lazy("fewer than 5")
NOT_REACHED = gettext_lazy("not reached")


def _whole(value: object) -> Decimal:
    """Rounded half up (Django's number_format cuts the decimals off: 85.7 would read 85)."""
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Words:
    """What a cell's text needs from the active language, looked up once per language (a table of a thousand cells
    would otherwise ask Django's translation and format machinery three thousand times)."""

    fewer_than: str
    not_reached: str
    percent: str
    thousands: str | None  # the separator when numbers group by three (every language CVPlus speaks), else None

    def grouped(self, value: object) -> str:
        """A number grouped in thousands as the language writes it (what Django's number_format gives)."""
        if self.thousands is not None and isinstance(value, int):
            return f"{value:,}".replace(",", self.thousands)
        return number_format(value, force_grouping=True)


@cache
def _words(language: str | None) -> Words:
    thousands = get_format("THOUSAND_SEPARATOR") if get_format("NUMBER_GROUPING") == 3 else None
    return Words(str(FEWER_THAN), str(NOT_REACHED), _("%(percent)s %%"), thousands)


def words() -> Words:
    """The active language's Words."""
    return _words(get_language())


@dataclass(frozen=True)
class Cell:
    value: object = None
    kind: str = EMPTY
    currency: str = ""

    @property
    def text(self) -> str:
        """As the page shows it, in the active language."""
        return self.text_in(words())

    def text_in(self, words: Words) -> str:
        if self.kind == SUPPRESSED:
            return words.fewer_than
        if self.value is None:
            return "–" if self.kind != DAYS else words.not_reached
        if self.kind == SHARE:
            return words.percent % {"percent": words.grouped(int(_whole(self.value * 100)))}
        if self.kind == MONEY:
            return f"{words.grouped(int(_whole(self.value)))} {self.currency}"
        if self.kind in (COUNT, DAYS):
            return words.grouped(self.value)
        return str(self.value)

    @property
    def csv(self) -> str:
        """As the CSV file has it: plain numbers (shares in percent, one decimal), "fewer than 5" where suppressed."""
        if self.kind == SUPPRESSED:
            return str(FEWER_THAN)
        if self.value is None:
            return str(NOT_REACHED) if self.kind == DAYS else ""
        if self.kind == SHARE:
            return f"{self.value * 100:.1f}"
        if self.kind == MONEY:
            return f"{Decimal(self.value):.2f}"
        return str(self.value)

    @property
    def numeric(self) -> bool:
        return self.kind in (COUNT, SHARE, MONEY, DAYS, SUPPRESSED)


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name, without .csv
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _text(value: object) -> Cell:
    return Cell(str(value), TEXT)


def _count(value: int | None) -> Cell:
    return Cell(value, COUNT)


def _share(value: float | None) -> Cell:
    return Cell(value, SHARE)


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def _per_group(report: Report, name: str, headers: tuple[str, ...], rows_of: Callable[[Group], list]) -> Table:
    """A table with the rows `rows_of` gives for each shown group (the rest without their label), and one
    "fewer than 5" row for each suppressed group."""
    rows = []
    for group in report.groups:
        if group.suppressed:
            rows.append((_text(group.label), Cell(kind=SUPPRESSED), *([Cell()] * (len(headers) - 2))))
        else:
            rows += [(_text(group.label), *cells) for cells in rows_of(group)]
    return Table(name, headers, tuple(rows))


def funnel_table(report: Report) -> Table:
    headers = (
        _("Group"),
        _("Stage"),
        _("Members"),
        _("Members: share of the stage before (%)"),
        _("Applications"),
        _("Applications: share of the stage before (%)"),
    )

    def rows_of(group: Group) -> list:
        row: FunnelRow = report.funnel[group.key]
        rows = [(_text(_("In the programme")), _count(row.members), Cell(), _count(row.applications), Cell())]
        for cell in row.cells:
            if cell.members is None:
                rows.append((_text(stage_label(cell.stage)), Cell(kind=SUPPRESSED), Cell(), Cell(), Cell()))
            else:
                members = (_count(cell.members), _share(cell.member_rate))
                applications = (_count(cell.applications), _share(cell.application_rate))
                rows.append((_text(stage_label(cell.stage)), *members, *applications))
        return rows

    return _per_group(report, "funnel", headers, rows_of)


def _curves(report: Report, kind: str) -> dict[str, Curve]:
    return report.interview if kind == "interview" else report.offer


def survival_table(report: Report, kind: str) -> Table:
    """Per group: members, with the event, still searching (censored), median days."""
    event = _("With a first interview") if kind == "interview" else _("With an offer")
    headers = (_("Group"), _("Members"), event, _("Still searching"), _("Median (days)"))

    def rows_of(group: Group) -> list:
        curve = _curves(report, kind)[group.key]
        counts = (curve.members, curve.events, curve.censored)
        return [(*(_count(value) for value in counts), Cell(curve.median_day(), DAYS))]

    return _per_group(report, f"time-to-{kind}", headers, rows_of)


BAND_HEADERS = (
    gettext_lazy("Share by then (%)"),
    gettext_lazy("95 % band, low (%)"),
    gettext_lazy("95 % band, high (%)"),
)


def _band_cells(step: Step | None) -> tuple[Cell, Cell, Cell]:
    """The share with the event (1 − S) and its band, as shares."""
    values = (step.reached, 1 - step.upper, 1 - step.lower) if step else (None, None, None)
    return tuple(_share(value) for value in values)


def checkpoints_table(report: Report, kind: str) -> Table:
    """Per group and checkpoint day: the share with the event by then (and its 95 % band), and how many were still
    followed and without it (the number at risk)."""
    headers = (_("Group"), _("Day"), *(str(header) for header in BAND_HEADERS), _("At risk"))

    def rows_of(group: Group) -> list:
        curve = _curves(report, kind)[group.key]
        return [
            (_count(day), *_band_cells(curve.estimate_on(day)), _count(curve.at_risk_on(day)))
            for day in CHECKPOINT_DAYS
        ]

    return _per_group(report, f"time-to-{kind}-by-day", headers, rows_of)


def steps_table(report: Report, kind: str) -> Table:
    """Every step of every curve (for analysts; CSV only)."""
    headers = (
        _("Group"),
        _("Day"),
        _("At risk"),
        pgettext_lazy("survival table", "Events"),
        _("Censored"),
        *(str(h) for h in BAND_HEADERS),
    )

    def rows_of(group: Group) -> list:
        return [
            (*(_count(value) for value in (step.day, step.at_risk, step.events, step.censored)), *_band_cells(step))
            for step in _curves(report, kind)[group.key].steps
        ]

    return _per_group(report, f"time-to-{kind}-steps", headers, rows_of)


def salary_table(report: Report) -> Table:
    headers = (
        _("Group"),
        _("Currency"),
        _("Offers"),
        _("Members"),
        _("Count"),
        _("With a predicted range"),
        _("Below the range (%)"),
        _("Inside the range (%)"),
        _("Above the range (%)"),
        _("Median offer"),
        _("Median predicted"),
    )
    labels = {group.key: group.label for group in report.groups}
    rows = []
    for row in report.salary:
        which = _("accepted") if row.accepted_only else _("all offers")
        head = (_text(labels[row.group]), _text(row.currency), _text(which))
        if row.suppressed:
            rows.append((*head, Cell(kind=SUPPRESSED), *([Cell()] * 7)))
            continue
        rows.append(
            (
                *head,
                _count(row.members),
                _count(row.offers),
                _count(row.compared),
                _share(row.below),
                _share(row.inside),
                _share(row.above),
                Cell(row.median_offer, MONEY, row.currency),
                Cell(row.median_predicted, MONEY, row.currency),
            )
        )
    return Table("offers", headers, tuple(rows))


BUILDERS = {
    "funnel": funnel_table,
    "time-to-interview": lambda report: survival_table(report, "interview"),
    "time-to-interview-by-day": lambda report: checkpoints_table(report, "interview"),
    "time-to-interview-steps": lambda report: steps_table(report, "interview"),
    "time-to-offer": lambda report: survival_table(report, "offer"),
    "time-to-offer-by-day": lambda report: checkpoints_table(report, "offer"),
    "time-to-offer-steps": lambda report: steps_table(report, "offer"),
    "offers": salary_table,
}
TABLE_NAMES = tuple(BUILDERS)
ON_THE_PAGE = tuple(name for name in TABLE_NAMES if not name.endswith("-steps"))  # the steps are CSV only


def report_tables(report: Report, names: tuple[str, ...] = ON_THE_PAGE) -> dict[str, Table]:
    return {name: BUILDERS[name](report) for name in names}


def table_csv(table: Table) -> str:
    """The table as CSV text with a byte order mark (Excel reads UTF-8 only with one)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([cell.csv for cell in row])
    return out.getvalue()
