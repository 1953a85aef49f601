"""The published job-search base rates (data/reference/job_search_base_rates/base_rates.csv), read from the file.

Nineteen figures with their quotes: kept as a file like the other small priors (gsa_time_to_hire, the FX table), not
loaded into a table. See that folder's SOURCE.md for what each row means and which sources were left out and why.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from market.catalogue import SOURCES
from market.readers import ReferenceDataError, Row, read_rows

BASE_RATES_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "job_search_base_rates" / "base_rates.csv"

APPLIED_INTERVIEW, INTERVIEW_OFFER = "applied_interview", "interview_offer"
TRANSITIONS: tuple[str, ...] = (APPLIED_INTERVIEW, INTERVIEW_OFFER)
# tracking.Application.Channel's values; "" is every channel. (market is below tracking, so it names them itself.)
CHANNELS: tuple[str, ...] = ("referral", "company_site", "job_board", "recruiter", "agency")
RATE, RELATIVE_RATE, PER_REQUISITION = "rate", "relative_rate", "per_requisition"
CENTRE, SPREAD, CAP = "centre", "spread", "cap"
COLUMNS = ["transition", "channel", "measure", "numerator", "denominator", "role", "data_year", "source_key", "quote"]


@dataclass(frozen=True)
class PublishedRate:
    transition: str  # one of TRANSITIONS
    channel: str  # one of CHANNELS, or "" for every channel
    measure: str  # RATE, RELATIVE_RATE (channel rate / all-channel rate, same source) or PER_REQUISITION
    numerator: float
    denominator: float
    role: str  # CENTRE, SPREAD or CAP (see SOURCE.md)
    data_year: str  # "" where the source does not say
    source_key: str  # a market.catalogue.SOURCES key
    quote: str  # the sentence the numbers were read in
    line: int

    @property
    def value(self) -> float:
        return self.numerator / self.denominator


def _positive(row: Row, column: str) -> float:
    number = row.optional_decimal(column)
    if number is None or number <= Decimal(0):
        raise row.error(_("column %(column)s: a positive number is needed") % {"column": column})
    return float(number)


def _published_rate(row: Row, source_keys: frozenset[str]) -> PublishedRate:
    rate = PublishedRate(
        transition=row.choice("transition", TRANSITIONS),
        channel=row.choice("channel", ("", *CHANNELS)),
        measure=row.choice("measure", (RATE, RELATIVE_RATE, PER_REQUISITION)),
        numerator=_positive(row, "numerator"),
        denominator=_positive(row, "denominator"),
        role=row.choice("role", (CENTRE, SPREAD, CAP)),
        data_year=row.text("data_year", required=False, max_length=9),
        source_key=row.choice("source_key", source_keys),
        quote=row.text("quote"),
        line=row.line,
    )
    if rate.measure == RATE and rate.value >= 1:
        raise row.error(_("a rate must be below 1"))
    if (rate.measure == RELATIVE_RATE) != bool(rate.channel):
        raise row.error(_("a relative rate needs a channel, and a channel needs a relative rate"))
    if (rate.measure == PER_REQUISITION) != (rate.role == CAP):
        raise row.error(_("a cap is a per-requisition count, and a per-requisition count is a cap"))
    return rate


@functools.lru_cache(maxsize=4)
def published_rates_load(path: Path = BASE_RATES_CSV) -> tuple[PublishedRate, ...]:
    """Every row of base_rates.csv, validated; cached per path (the file changes only with a release).

    Raises ReferenceDataError (file and line) on a malformed row, and when a transition has no all-channel centre
    figure: the interview priors cannot be built without one.
    """
    source_keys = frozenset(source.key for source in SOURCES)
    rates = tuple(_published_rate(row, source_keys) for row in read_rows(path, columns=COLUMNS))
    for transition in TRANSITIONS:
        if not any(r.transition == transition and not r.channel and r.role == CENTRE for r in rates):
            raise ReferenceDataError(
                path=path,
                line=None,
                problem=_("no all-channel centre figure for %(transition)s") % {"transition": transition},
            )
    return rates
