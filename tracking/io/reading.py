"""Reading an uploaded CSV file: decoding, splitting into records, mapping the header to fields and checking each
row. Writes nothing."""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from tracking.io.formats import (
    CHANNEL_ALIASES,
    DELIMITERS,
    EXPORT_COLUMNS,
    FIELD_ALIASES,
    FIELD_LABELS,
    MAX_IMPORT_ROWS,
    amount_text,
    date_parse,
    money_parse,
    normalise,
)
from tracking.models import Application, Stage
from tracking.services import text_clean


class ImportFileError(Exception):
    """The upload as a whole cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(_("This looks like an Excel workbook. Save it as CSV (comma-separated) and upload that."))
    if data.startswith(b"%PDF"):
        raise ImportFileError(_("This is a PDF. Upload a CSV file exported from your spreadsheet or tracker."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif b"\x00" in data[:4096] and data[1:4096:2].count(0) > len(data[:4096]) // 4:
        encoding = "utf-16-le"
    elif b"\x00" in data[:4096] and data[0:4096:2].count(0) > len(data[:4096]) // 4:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not UTF-8 or UTF-16 text. In your spreadsheet, save it as “CSV UTF-8” and upload again.")
        ) from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ImportFileError(_("The file contains binary data, not text. Upload a CSV file."))
    return text


def _records(text: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """Returns the header's row number, the header cells and the data rows numbered as a spreadsheet shows them."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ImportFileError(_("The file is empty."))
    delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first_line], delimiter=d))))
    header_row, header, rows = 0, [], []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header_row, header = number, [cell.strip() for cell in cells]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_IMPORT_ROWS}
                )
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: %(reason)s") % {"reason": exc}) from None
    if not rows:
        raise ImportFileError(_("The file has a header row but no applications under it."))
    return header_row, header, rows


@lru_cache(maxsize=1)
def _header_aliases() -> dict[str, str]:
    aliases = {alias: name for name, names in FIELD_ALIASES.items() for alias in names}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, label in EXPORT_COLUMNS:
                if name in FIELD_ALIASES:
                    aliases.setdefault(normalise(str(label)), name)
    return aliases


@lru_cache(maxsize=1)
def _stated_stages() -> dict[str, str]:
    """Stage codes and labels in every language: a status written like this is stated, not inferred."""
    stated = {stage.value: stage.value for stage in Stage}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stated.update({normalise(str(stage.label)): stage.value for stage in Stage})
    return stated


@lru_cache(maxsize=1)
def _channels() -> dict[str, str]:
    channels = dict(CHANNEL_ALIASES) | {normalise(value): value for value in Application.Channel.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            channels.update({normalise(str(label)): value for value, label in Application.Channel.choices})
    return channels


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    aliases, columns, ignored = _header_aliases(), {}, []
    for index, name in enumerate(header):
        field_name = aliases.get(normalise(name))
        if field_name is None or field_name in columns:
            ignored.append(name)
        else:
            columns[field_name] = index
    for required in ("company", "title"):
        if required not in columns:
            raise ImportFileError(
                _("No “%(field)s” column was found. The columns in this file are: %(columns)s.")
                % {"field": FIELD_LABELS[required], "columns": ", ".join(header)}
            )
    return columns, ignored


# ---------------------------------------------------------------------------------------------------------------------
# Reading one row
# ---------------------------------------------------------------------------------------------------------------------
def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    value = cells[index].strip() if index is not None and index < len(cells) else ""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        value = value[1:]  # our export's guard against spreadsheet formulas
    return value


def _url(value: str) -> str | None:
    if value and "://" not in value:
        value = "https://" + value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return None
    return value if len(value) <= 1000 else None


def _row_read(number: int, cells: list[str], columns: dict[str, int], header: list[str], ctx: dict) -> dict:
    def header_of(name: str) -> str:
        return header[columns[name]]

    errors: list[dict] = []
    warnings: list[str] = []

    def error(name: str, reason: str) -> None:
        errors.append({"column": header_of(name) if name in columns else str(FIELD_LABELS[name]), "reason": reason})

    row: dict = {"row": number}
    for name, max_chars in (("company", 200), ("title", 200), ("location", 200), ("notes", 5000)):
        row[name] = text_clean(_cell(cells, columns, name), max_chars=max_chars)
    row["description"] = text_clean(_cell(cells, columns, "description"), max_chars=50_000)
    if not row["company"]:
        error("company", _("The company is missing."))
    if not row["title"]:
        error("title", _("The job title is missing."))

    raw_url = _cell(cells, columns, "url")
    row["url"] = _url(raw_url) if raw_url else ""
    if row["url"] is None:
        row["url"] = ""
        warnings.append(_("The link “%(value)s” is not a web address and was left out.") % {"value": raw_url[:100]})

    raw_stage = _cell(cells, columns, "stage")
    row["stage_raw"], row["stage_key"] = raw_stage[:100], normalise(raw_stage)[:100]

    for name in ("applied_on", "saved_on"):
        raw = _cell(cells, columns, name)
        row[name] = None
        if not raw:
            continue
        try:
            parsed = date_parse(raw, order=ctx["date_order"])
        except ValueError:
            error(name, _("Could not read the date “%(value)s”. Use a date such as 2024-03-05.") % {"value": raw[:40]})
            continue
        if parsed > ctx["today"]:
            error(name, _("The date %(date)s is in the future.") % {"date": parsed.isoformat()})
            continue
        row[name] = parsed.isoformat()

    row.update(salary_min=None, salary_max=None, salary_currency="", salary_period="")
    raw_salary = _cell(cells, columns, "salary")
    if raw_salary:
        try:
            salary = money_parse(raw_salary)
        except ValueError:
            error(
                "salary",
                _(
                    "Could not read the salary “%(value)s”. "
                    "Write an amount such as 85000 or a range such as 80k-95k EUR."
                )
                % {"value": raw_salary[:40]},
            )
        else:
            row.update(
                salary_min=amount_text(salary.low),
                salary_max=amount_text(salary.high),
                salary_currency=salary.currency or ctx["currency"],
                salary_period=salary.period,
            )
            if salary.low is None:
                row["salary_currency"] = ""
            ctx["currency_assumed"] |= salary.low is not None and not salary.currency

    row.update(offer_amount=None, offer_currency="")
    raw_offer = _cell(cells, columns, "offer")
    if raw_offer:
        try:
            offer = money_parse(raw_offer)
        except ValueError:
            error("offer", _("Could not read the offer amount “%(value)s”.") % {"value": raw_offer[:40]})
        else:
            row.update(
                offer_amount=amount_text(offer.high),
                offer_currency=offer.currency or row["salary_currency"] or ctx["currency"],
            )

    raw_channel = _cell(cells, columns, "channel")
    row["channel"] = _channels().get(normalise(raw_channel), Application.Channel.JOB_BOARD)
    if raw_channel and normalise(raw_channel) not in _channels():
        warnings.append(
            _("How you applied (“%(value)s”) was not recognised: job board assumed.") % {"value": raw_channel[:60]}
        )

    row["errors"], row["warnings"] = errors, warnings
    return row
