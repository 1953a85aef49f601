"""CSV import of a seeker's applications (preview, then confirm). Exports are in tracking/exports.py.

Import contract:
- ``import_preview`` reads an upload and writes nothing to the database. It keeps the parsed rows in the cache
  (tenant-prefixed keys, see settings.CACHES) under ``(user, token)`` for ``PREVIEW_TTL_S``: the confirm step needs no
  re-upload and never re-reads a file from disk, and another user's token finds nothing.
- ``import_commit`` imports every row without errors in one transaction, each through the services
  (posting_create, application_create, application_move), so histories obey the same rules as typed-in ones. The
  preview is consumed by deleting its key inside that transaction: the delete is atomic in Redis, so of two
  concurrent confirms only one commits; the other rolls back and imports nothing.
- Any stage the file does not state in our own words is an inference the user confirms (or changes) before import.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking.models import (
    Application,
    Reminder,
    Stage,
)
from tracking.services import application_create, application_move, note_add, posting_create, text_clean

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# The confirm step runs in the request: bench/tracking.py measured ~10 ms a row, so 2,000 rows stay well inside a
# 30 s worker timeout. Larger files are refused with a message to split them (a queued import can lift this later).
MAX_IMPORT_ROWS = 2_000
PREVIEW_TTL_S = 3_600
AUTO = "auto"  # the stage choice for rows without a status: applied when the row has an applied date, else saved
DELIMITERS = (",", ";", "\t")

# Header names other trackers and spreadsheets use, after ``normalise``. The export's own (translated) headers are
# added in every language by ``_header_aliases``, so an export imports back.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "employer", "organization", "organisation", "org"),
    "title": ("title", "job title", "position", "role", "job position", "job", "job role", "position title"),
    "url": ("url", "link", "job url", "job link", "posting url", "job posting url", "application link", "post url"),
    "location": ("location", "job location", "city", "place"),
    "stage": ("status", "stage", "list", "job status", "application status", "state", "column", "pipeline stage"),
    "applied_on": ("date applied", "applied", "applied on", "applied date", "application date", "applied at", "date"),
    "saved_on": ("date saved", "saved", "saved on", "date added", "added", "created", "created at", "date created"),
    "salary": ("salary", "salary range", "compensation", "pay", "expected salary", "base salary", "pay range"),
    "offer": ("offer", "offer amount"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "channel": ("channel", "source", "applied via", "how applied", "application source"),
    "description": ("description", "job description"),
}
# Status words of Huntr, Teal and hand-made sheets. Only our own stage names count as stated; the rest are inferred.
STAGE_ALIASES: dict[str, str] = {
    **dict.fromkeys(("wishlist", "wish list", "bookmarked", "bookmark", "interested", "to apply", "applying"), "saved"),
    **dict.fromkeys(("application sent", "submitted", "sent"), "applied"),
    **dict.fromkeys(("screen", "phone screen", "phone", "recruiter screen", "hr screen", "phone call"), "screening"),
    **dict.fromkeys(
        ("interview", "interviews", "onsite", "on site", "technical", "technical interview", "final round"),
        "interviewing",
    ),
    **dict.fromkeys(("assessment", "assignment", "take home"), "interviewing"),
    **dict.fromkeys(("offered", "negotiating", "negotiation", "offer received"), "offer"),
    **dict.fromkeys(("hired", "offer accepted", "signed"), "accepted"),
    **dict.fromkeys(("declined", "not selected", "no offer", "rejection", "turned down"), "rejected"),
    **dict.fromkeys(("withdrew", "i withdrew", "archived", "not interested", "cancelled", "canceled"), "withdrawn"),
    **dict.fromkeys(("no response", "no reply", "unresponsive"), "ghosted"),
}
CHANNEL_ALIASES: dict[str, str] = {
    **dict.fromkeys(("referral", "referred", "referrer", "employee referral"), Application.Channel.REFERRAL),
    **dict.fromkeys(
        ("company site", "company website", "website", "careers page", "career site", "direct"), "company_site"
    ),
    **dict.fromkeys(
        ("job board", "linkedin", "indeed", "glassdoor", "stepstone", "welcome to the jungle"), "job_board"
    ),
    **dict.fromkeys(("recruiter", "headhunter", "inmail"), Application.Channel.RECRUITER),
    **dict.fromkeys(("agency", "recruitment agency", "staffing agency"), Application.Channel.AGENCY),
}
# Moves after "applied" that reach each stage; the history of an imported row is created along this path.
PATH_FROM_APPLIED: dict[str, tuple[str, ...]] = {
    Stage.SAVED: (),
    Stage.APPLIED: (),
    Stage.SCREENING: (Stage.SCREENING,),
    Stage.INTERVIEWING: (Stage.INTERVIEWING,),
    Stage.OFFER: (Stage.OFFER,),
    Stage.ACCEPTED: (Stage.OFFER, Stage.ACCEPTED),
    Stage.REJECTED: (Stage.REJECTED,),
    Stage.WITHDRAWN: (Stage.WITHDRAWN,),
    Stage.GHOSTED: (Stage.GHOSTED,),
}
FIELD_LABELS = {
    "company": gettext_lazy("Company"),
    "title": gettext_lazy("Job title"),
    "stage": gettext_lazy("Status"),
}


class ImportFileError(Exception):
    """The upload as a whole cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportNotFound(Exception):
    """No preview under this token for this user: never made, expired, or someone else's."""


class ImportAlreadyDone(Exception):
    def __init__(self, imported: int) -> None:
        super().__init__(imported)
        self.imported = imported


@dataclass
class ImportPreview:
    token: str
    rows: list[dict]
    stages: list[dict]
    notes: list[str]
    columns: dict[str, str]
    ignored_columns: list[str]

    @property
    def errors(self) -> list[dict]:
        return [{"row": row["row"], **issue} for row in self.rows for issue in row["errors"]]

    @property
    def importable_count(self) -> int:
        return sum(1 for row in self.rows if not row["errors"])


@dataclass
class ImportResult:
    imported: int
    skipped: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------------
# Formats: header names, dates and amounts as spreadsheets write them
# ---------------------------------------------------------------------------------------------------------------------
# The CSV export's columns. The ones named like an import field import back, in any language.
EXPORT_COLUMNS: tuple[tuple[str, object], ...] = (
    ("company", gettext_lazy("Company")),
    ("title", gettext_lazy("Job title")),
    ("stage", gettext_lazy("Stage")),
    ("applied_on", gettext_lazy("Date applied")),
    ("saved_on", gettext_lazy("Date saved")),
    ("stage_changed_on", gettext_lazy("Stage changed")),
    ("channel", gettext_lazy("Channel")),
    ("location", gettext_lazy("Location")),
    ("salary", gettext_lazy("Salary as posted")),
    ("offer", gettext_lazy("Offer")),
    ("url", gettext_lazy("Link")),
    ("last_event", gettext_lazy("Last event")),
    ("cv", gettext_lazy("CV version sent")),
)
ISO_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.+\-Z ]*)?")
NUMERIC_DATE_RE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[T ,].*)?")
TEXT_DATE_FORMATS = ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%a %b %d %Y", "%A %B %d %Y")
AMOUNT_RE = re.compile(r"(\d(?:[\d.,'\s\u00a0\u202f]*\d)?)(?:\s*([kKmM])(?![A-Za-z]))?")
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
PERIOD_PATTERNS = (
    (re.compile(r"(/|per |an? )\s*(h|hr|hour)\b|hourly|/h\b"), "hour"),
    (re.compile(r"(/|per |a )\s*(mo|month)\b|monthly"), "month"),
    (re.compile(r"(/|per |a )\s*(y|yr|year|annum)\b|annual|yearly|p\.a\."), "year"),
)
NO_VALUE = frozenset({"n/a", "na", "-", "--", "—", "?", "tbd", "unknown", "none"})


@dataclass(frozen=True)
class Money:
    low: Decimal | None
    high: Decimal | None
    currency: str
    period: str


def normalise(text: str) -> str:
    """Header and status names compared case- and punctuation-insensitively ("Date_Applied" = "date applied")."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def date_parse(raw: str, *, order: str) -> date:
    """Reads ISO dates, d/m/y or m/d/y (by ``order``), dotted d.m.y and English month names. Raises ValueError."""
    text = raw.strip()
    if match := ISO_DATE_RE.fullmatch(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := NUMERIC_DATE_RE.fullmatch(text):
        first, separator, second, year = int(match[1]), match[2], int(match[3]), int(match[4])
        year += 2000 if year < 100 else 0
        day_first = separator == "." or order == "dmy"  # dotted dates are day-first wherever they are written
        return date(year, second, first) if day_first else date(year, first, second)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " "))
    text = " ".join(text.split())
    for text_format in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, text_format).replace(tzinfo=timezone.get_current_timezone()).date()
        except ValueError:
            continue
    raise ValueError(raw)


def date_order_detect(cells: Iterable[str], *, language: str, chosen: str) -> tuple[str, str]:
    """Chooses how to read 03/05/2024 in this file: the user's choice, else what the file's unambiguous dates show,
    else the usual order for the user's language. Returns the order and a note for the preview ("" when certain)."""
    labels = {"dmy": _("day/month/year"), "mdy": _("month/day/year")}
    if chosen in labels:
        return chosen, ""
    pairs = [(int(m[1]), int(m[3])) for cell in cells if (m := NUMERIC_DATE_RE.fullmatch(cell.strip())) and m[2] != "."]
    if not pairs:
        return "dmy", ""
    day_first = any(first > 12 for first, _second in pairs)
    month_first = any(second > 12 for _first, second in pairs)
    if day_first != month_first:
        order = "dmy" if day_first else "mdy"
        return order, _(
            "Dates such as 03/05/2024 were read as %(order)s, because other dates in this file only fit that order."
        ) % {"order": labels[order]}
    order = "mdy" if language.startswith("en") else "dmy"
    return order, _(
        "Dates such as 03/05/2024 could be read two ways; they were read as %(order)s, the usual order for your "
        "language. If that is wrong, upload the file again and choose the order."
    ) % {"order": labels[order]}


def _amount(digits: str, suffix: str | None) -> Decimal:
    if re.search(r"[\s\u00a0\u202f']", digits) and not re.fullmatch(
        r"\d{1,3}([\s\u00a0\u202f']\d{3})+([.,]\d{1,2})?", digits
    ):
        raise ValueError(digits)  # spaces only group thousands: "80 000", never "1 2 3"
    text = re.sub(r"[\s\u00a0\u202f']", "", digits)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    elif re.fullmatch(r"\d{1,3}(,\d{3})+\.\d{1,2}", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+[.,]\d{1,2}", text):
        text = text.replace(",", ".")
    elif not re.fullmatch(r"\d+", text):
        raise ValueError(digits)
    amount = Decimal(text) * {"k": 1_000, "m": 1_000_000}.get((suffix or "").lower(), 1)
    if amount >= Decimal("1e10"):
        raise ValueError(digits)
    return amount.quantize(Decimal("0.01"))


def money_parse(raw: str) -> Money:
    """Reads "85000", "$85k", "80,000 - 95,000 EUR", "€4.500/month". One amount is a range of one. Raises ValueError."""
    if raw.strip().casefold() in NO_VALUE:
        return Money(None, None, "", "")
    amounts = [_amount(digits, suffix) for digits, suffix in AMOUNT_RE.findall(raw)]
    if not 1 <= len(amounts) <= 2:
        raise ValueError(raw)
    currency = next((code for symbol, code in CURRENCY_SYMBOLS.items() if symbol in raw), "")
    if code := re.search(r"\b([A-Z]{3})\b", raw):
        currency = code[1]
    lower = raw.casefold()
    period = next((name for pattern, name in PERIOD_PATTERNS if pattern.search(lower)), "")
    return Money(min(amounts), max(amounts), currency, period)


def amount_text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


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


def _row_date(row: dict, today: date) -> date:
    return date.fromisoformat(row["applied_on"] or row["saved_on"] or today.isoformat())


def _stage_of(row: dict, stages: Mapping[str, str]) -> str:
    stage = stages.get(row["stage_key"], "")
    if stage == AUTO:
        return Stage.APPLIED if row["applied_on"] else Stage.SAVED
    return stage


def _stage_errors(row: dict, stage: str, stage_column: str) -> list[dict]:
    if not stage:
        return [
            {
                "column": stage_column,
                "reason": _("The status “%(value)s” is not one we know. Choose a stage for it, or the row is skipped.")
                % {"value": row["stage_raw"]},
            }
        ]
    if stage in (Stage.OFFER, Stage.ACCEPTED) and row["offer_amount"] is None:
        return [
            {
                "column": stage_column,
                "reason": _(
                    "An offer needs its amount: add an “Offer” column with the amount, or choose another stage."
                ),
            }
        ]
    return []


def _duplicate_key(company: str, title: str, applied_on: str | None) -> tuple[str, str, str | None]:
    return company.casefold(), title.casefold(), applied_on


def _existing_keys(user: User) -> set[tuple[str, str, str | None]]:
    rows = Application.objects.filter(owner=user).values_list("posting__company", "posting__title", "applied_at")
    return {_duplicate_key(company, title, at.date().isoformat() if at else None) for company, title, at in rows}


# ---------------------------------------------------------------------------------------------------------------------
# Preview and commit
# ---------------------------------------------------------------------------------------------------------------------
def _preview_key(user: User, token: str) -> str:
    return f"tracking:io:import:{user.pk}:{token}"


def _done_key(user: User, token: str) -> str:
    return f"tracking:io:imported:{user.pk}:{token}"


def import_preview(*, user: User, data: bytes, language: str, currency: str, date_order: str = AUTO) -> ImportPreview:
    """Parses an upload and stores the parsed rows for ``import_commit``. Writes nothing to the database.

    ``date_order`` is "dmy", "mdy" or AUTO (from the file's unambiguous dates, else from ``language``).
    Raises ImportFileError when the file as a whole cannot be read.
    """
    require_tenant_schema()
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    _header_row, header, records = _records(_decode(data))
    columns, ignored = _map_columns(header)
    notes: list[str] = []
    date_cells = [_cell(cells, columns, name) for _n, cells in records for name in ("applied_on", "saved_on")]
    order, reason = date_order_detect(date_cells, language=language, chosen=date_order)
    if reason:
        notes.append(reason)
    ctx = {"date_order": order, "today": timezone.localdate(), "currency": currency, "currency_assumed": False}
    rows = [_row_read(number, cells, columns, header, ctx) for number, cells in records]
    if ctx["currency_assumed"]:
        notes.append(_("Salaries without a currency were read as %(currency)s.") % {"currency": currency})

    stages: dict[str, dict] = {}
    stated = _stated_stages()
    for row in rows:
        entry = stages.setdefault(row["stage_key"], {"key": row["stage_key"], "raw": row["stage_raw"], "rows": 0})
        entry["rows"] += 1
    for entry in stages.values():
        key = entry["key"]
        entry["inferred"] = key not in stated
        entry["stage"] = AUTO if not key else stated.get(key) or STAGE_ALIASES.get(key, "")
    stage_choice = {key: entry["stage"] for key, entry in stages.items()}
    stage_column = header[columns["stage"]] if "stage" in columns else str(FIELD_LABELS["stage"])

    seen = _existing_keys(user)
    first_row_of: dict[tuple, int] = {}
    for row in rows:
        row["errors"] += _stage_errors(row, _stage_of(row, stage_choice), stage_column)
        key = _duplicate_key(row["company"], row["title"], row["applied_on"])
        if key in seen:
            row["errors"].append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
        elif key in first_row_of:
            row["errors"].append({"column": "", "reason": _("Same as row %(row)s.") % {"row": first_row_of[key]}})
        first_row_of.setdefault(key, row["row"])

    token = secrets.token_urlsafe(24)
    stored = {"rows": rows, "stages": list(stages.values()), "stage_column": stage_column}
    cache.set(_preview_key(user, token), stored, timeout=PREVIEW_TTL_S)
    for row in rows:
        row["stage"] = _stage_of(row, stage_choice)
        row["date"] = _row_date(row, ctx["today"])
        row["stage_label"] = Stage(row["stage"]).label if row["stage"] else ""
        row["channel_label"] = Application.Channel(row["channel"]).label
    return ImportPreview(
        token=token,
        rows=rows,
        stages=list(stages.values()),
        notes=notes,
        columns={name: header[index] for name, index in columns.items()},
        ignored_columns=ignored,
    )


def _at(day: date) -> datetime:
    """Noon on that day in the current time zone, so the date survives conversions; never after now."""
    return min(timezone.make_aware(datetime.combine(day, time(12))), timezone.now())


def _row_import(*, user: User, row: dict, stage: str, today: date) -> Application:
    posting = posting_create(
        owner=user,
        title=row["title"],
        company=row["company"],
        description=row["description"],
        url=row["url"],
        location=row["location"],
        salary_min=row["salary_min"],
        salary_max=row["salary_max"],
        salary_currency=row["salary_currency"],
        salary_period=row["salary_period"],
    )
    at = _at(_row_date(row, today))
    never_applied = stage == Stage.SAVED or (stage == Stage.WITHDRAWN and not row["applied_on"])
    application = application_create(
        owner=user,
        posting=posting,
        channel=row["channel"],
        stage=Stage.SAVED if never_applied else Stage.APPLIED,
        at=_at(date.fromisoformat(row["saved_on"] or row["applied_on"] or today.isoformat())) if never_applied else at,
    )
    path = (Stage.WITHDRAWN,) if never_applied and stage == Stage.WITHDRAWN else PATH_FROM_APPLIED[stage]
    for step in () if stage == Stage.SAVED else path:
        offer = (
            {"offer_amount": row["offer_amount"], "offer_currency": row["offer_currency"]} if step == "offer" else {}
        )
        application_move(application=application, to_stage=step, by=user, at=at, **offer)
    if row["notes"]:
        note_add(application=application, body=row["notes"])
    return application


def import_commit(*, user: User, token: str, stage_choices: Mapping[str, str]) -> ImportResult:
    """Imports the preview's rows without errors, all in one transaction, and consumes the preview.

    ``stage_choices`` maps a status's index in the preview's ``stages`` to a stage value, AUTO or "" (skip those
    rows). Raises ImportNotFound for an unknown token, ImportAlreadyDone for a consumed one, and ValidationError (with
    the row number) when a service refuses a row, in which case nothing is imported and the preview stays usable.
    """
    require_tenant_schema()
    key = _preview_key(user, token)
    stored = cache.get(key) if token else None
    if stored is None:
        done = cache.get(_done_key(user, token)) if token else None
        if done is not None:
            raise ImportAlreadyDone(done)
        raise ImportNotFound
    allowed = {"", AUTO, *Stage.values}
    stages = {}
    for index, entry in enumerate(stored["stages"]):
        choice = stage_choices.get(str(index), entry["stage"])
        if choice not in allowed or (choice == AUTO and entry["key"]):
            raise ValidationError(_("Choose a stage from the list."))
        stages[entry["key"]] = choice
    today = timezone.localdate()
    result = ImportResult(imported=0)
    with transaction.atomic():
        seen = _existing_keys(user)
        imported: list[int] = []
        for row in stored["rows"]:
            stage = _stage_of(row, stages)
            errors = [
                *(issue for issue in row["errors"] if issue["column"] != stored["stage_column"]),
                *_stage_errors(row, stage, stored["stage_column"]),
            ]
            if not errors and _duplicate_key(row["company"], row["title"], row["applied_on"]) in seen:
                errors.append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
            if errors:
                result.skipped.append({"row": row["row"], "company": row["company"], "errors": errors})
                continue
            try:
                imported.append(_row_import(user=user, row=row, stage=stage, today=today).pk)
            except ValidationError as exc:
                messages = "; ".join(exc.messages)
                raise ValidationError(
                    _("Row %(row)s could not be imported: %(reason)s") % {"row": row["row"], "reason": messages}
                ) from exc
        # Imported history is not news: follow-ups already due would all fire at once for old applications.
        Reminder.objects.filter(
            application_id__in=imported, status=Reminder.Status.SCHEDULED, due_at__lt=timezone.now()
        ).update(status=Reminder.Status.CANCELLED)
        result.imported = len(imported)
        if not cache.delete(key):
            raise ImportAlreadyDone(0)  # a concurrent confirm consumed it first: roll back ours
    cache.set(_done_key(user, token), result.imported, timeout=PREVIEW_TTL_S)
    return result


def stage_choices_from(post: Mapping[str, str]) -> dict[str, str]:
    return {name.removeprefix("stage_"): value for name, value in post.items() if name.startswith("stage_")}
