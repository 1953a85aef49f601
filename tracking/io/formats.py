"""Formats of an imported CSV file: limits, the header and status words other trackers use, and dates and amounts as
spreadsheets write them. Pure functions, no database access."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.models import Application, Stage

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# The preview reads and checks every row in the request and keeps them in PostgreSQL; the import itself runs in a
# worker (tracking/io/jobs.py). The cap bounds the preview's work and what it stores; larger files are refused with
# a message to split them.
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
    (re.compile(r"(/|per |a )\s*(d|day)\b|daily|day rate"), "day"),
    (re.compile(r"(/|per |a )\s*(wk|week)\b|weekly"), "week"),
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
