"""Time-to-hire data and features: the GSA vacancy timelines, the tenant's own applied → offer durations, the
occupation families both map to, and the one feature function used by training and serving. No model code here.

Target (GSA rows): days from the announcement's CLOSE_DATE to POS_OFFERED (the tentative offer). Why this pair: a
job seeker sees the closing date on the posting and applies before it, and a federal employer cannot select anyone
before the announcement closes, so the close is when the wait the seeker experiences really starts. The other
federal clocks (RECEIVED_DATE, the hiring request, and OPEN_DATE) start before the seeker exists, and HIRED_DATE
(entry on duty) measures start-date negotiation, not the hiring decision. For someone who applied before the close
the estimate is a lower bound on applied → offer by the days left until the close.

Occupation families are coarse on purpose: the GSA rows carry an OPM occupational series, a seeker types a free-text
title that O*NET maps to a SOC code, and only a coarse family means the same thing on both sides. Both mappings
below are APPROXIMATE hand-made crosswalks (OPM series groups and SOC prefixes to a shared family), not an official
OPM–SOC crosswalk.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
from django.conf import settings

from predictions.features import MarketReference

GSA_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "gsa_time_to_hire" / "gsa_time_to_hire_2004_2010.csv"
MAX_DAYS = 365  # an offer more than a year after the close is a re-used announcement or a data error, not a wait

OCCUPATION_FAMILIES: tuple[str, ...] = (
    "administration",
    "human_resources",
    "finance_accounting",
    "business_contracting",
    "engineering_science",
    "information_technology",
    "trades_facilities",
    "supply_transportation",
    "legal_investigation",
    "communications_arts",
    "health_education_social",
    "other",
)
# OPM series group (first two digits of the 4-digit series) -> family. Groups from 25 up are Federal Wage System
# trades; of those, 57 (transport operation) and 69 (warehousing) go to supply_transportation.
OPM_GROUP_FAMILY: dict[str, str] = {
    "00": "administration",
    "03": "administration",
    "02": "human_resources",
    "05": "finance_accounting",
    "11": "business_contracting",
    "04": "engineering_science",
    "08": "engineering_science",
    "13": "engineering_science",
    "15": "engineering_science",
    "22": "information_technology",
    "16": "trades_facilities",
    "20": "supply_transportation",
    "21": "supply_transportation",
    "57": "supply_transportation",
    "69": "supply_transportation",
    "09": "legal_investigation",
    "18": "legal_investigation",
    "19": "legal_investigation",
    "10": "communications_arts",
    "01": "health_education_social",
    "06": "health_education_social",
    "07": "health_education_social",
    "14": "health_education_social",
    "17": "health_education_social",
}
# SOC code prefix -> family; the longest matching prefix wins ("13-1071" HR specialists before "13" business).
SOC_PREFIX_FAMILY: dict[str, str] = {
    "11": "administration",
    "11-3021": "information_technology",
    "11-3031": "finance_accounting",
    "11-3061": "business_contracting",
    "11-3071": "supply_transportation",
    "11-3121": "human_resources",
    "11-9021": "trades_facilities",
    "11-9141": "business_contracting",
    "13": "business_contracting",
    "13-1041": "legal_investigation",
    "13-1071": "human_resources",
    "13-1075": "human_resources",
    "13-1141": "human_resources",
    "13-1151": "human_resources",
    "13-1081": "supply_transportation",
    "13-2": "finance_accounting",
    "15-1": "information_technology",
    "15-2": "engineering_science",
    "17": "engineering_science",
    "19": "engineering_science",
    "21": "health_education_social",
    "23": "legal_investigation",
    "25": "health_education_social",
    "27": "communications_arts",
    "29": "health_education_social",
    "31": "health_education_social",
    "33": "legal_investigation",
    "37": "trades_facilities",
    "41": "business_contracting",
    "43": "administration",
    "43-3": "finance_accounting",
    "43-4161": "human_resources",
    "43-5": "supply_transportation",
    "47": "trades_facilities",
    "49": "trades_facilities",
    "51": "trades_facilities",
    "53": "supply_transportation",
}
US_STATE_NAMES: dict[str, str] = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california", "CO": "colorado",
    "CT": "connecticut", "DE": "delaware", "DC": "district of columbia", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan",
    "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york", "NC": "north carolina",
    "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania",
    "PR": "puerto rico", "RI": "rhode island", "SC": "south carolina", "SD": "south dakota", "TN": "tennessee",
    "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia", "WA": "washington", "WV": "west virginia",
    "WI": "wisconsin", "WY": "wyoming",
}  # fmt: skip
US_STATES: tuple[str, ...] = tuple(sorted(US_STATE_NAMES))
_STATE_BY_NAME = {name: code for code, name in US_STATE_NAMES.items()}
_STATE_CODE_RE = re.compile(r"(?:^|[\s,])([A-Za-z]{2})\s*$")

FEATURE_NAMES: list[str] = ["occupation_family", "state", "posting_month", "application_count", "posting_open_days"]
CATEGORICAL_FEATURES: list[str] = ["occupation_family", "state"]
# Inputs a seeker may not have: every training row is also shown without each combination of them, so one model
# serves every case (a feature never missing in training would have its NaN read as 0 at serving).
OPTIONAL_FEATURES: tuple[str, ...] = ("application_count", "posting_open_days")
# What a seeker typically knows from a posting: the title, where it is, when it opened and until when it is open.
SEEKER_FEATURES: tuple[str, ...] = ("occupation_family", "state", "posting_month", "posting_open_days")


def opm_series_family(series: str) -> str | None:
    """The family of an OPM occupational series such as "0301AU" or "2210". The export lost leading zeros on some
    rows ("560" is 0560), so three digits are zero-padded; anything else unreadable is None."""
    digits = re.match(r"\d+", (series or "").strip())
    if digits is None or len(digits.group()) not in (3, 4):
        return None
    group = digits.group().zfill(4)[:2]
    if group in OPM_GROUP_FAMILY:
        return OPM_GROUP_FAMILY[group]
    return "trades_facilities" if int(group) >= 25 else "other"


def soc_family(soc_code: str | None) -> str | None:
    """The family of an O*NET-SOC code ("15-1252" or "15-1252.00"), by longest prefix; None when there is no code."""
    if not soc_code:
        return None
    matches = [prefix for prefix in SOC_PREFIX_FAMILY if soc_code.startswith(prefix)]
    return SOC_PREFIX_FAMILY[max(matches, key=len)] if matches else "other"


def location_state(location: str | None) -> str | None:
    """The US state of a free-text location ("Fort Worth, TX", "Arlington VA", "Buffalo, New York"), else None."""
    text = (location or "").strip().rstrip(",").strip()
    if not text:
        return None
    code = _STATE_CODE_RE.search(text)
    if code and code.group(1).upper() in US_STATE_NAMES:
        return code.group(1).upper()
    lowered = text.lower()
    for name, state in sorted(_STATE_BY_NAME.items(), key=lambda item: -len(item[0])):
        if lowered.endswith(name):
            return state
    return None


@dataclass(frozen=True)
class TimeToHireInput:
    """What a job seeker can supply: an occupation family (from the title), a US state, the posting month and, when
    the posting shows them, the number of applicants and how many days it is open (closing date − opening date)."""

    occupation_family: str | None
    state: str | None
    posting_month: int | None
    application_count: int | None = None
    posting_open_days: int | None = None


_FAMILY_CODES = {family: float(i) for i, family in enumerate(OCCUPATION_FAMILIES)}
_STATE_CODES = {state: float(i) for i, state in enumerate(US_STATES)}


def time_to_hire_features(item: TimeToHireInput) -> list[float]:
    """One feature row in FEATURE_NAMES order; anything unknown is NaN (LightGBM routes it), never a guess."""
    return [
        _FAMILY_CODES.get(item.occupation_family or "", math.nan),
        _STATE_CODES.get(item.state or "", math.nan),
        float(item.posting_month) if item.posting_month else math.nan,
        float(item.application_count) if item.application_count is not None else math.nan,
        float(item.posting_open_days) if item.posting_open_days is not None else math.nan,
    ]


def time_to_hire_feature_matrix(items: Sequence[TimeToHireInput]) -> np.ndarray:
    """Shape (len(items), len(FEATURE_NAMES)), float64: what LightGBM is fed at training and at serving."""
    if not items:
        return np.empty((0, len(FEATURE_NAMES)), dtype=np.float64)
    return np.asarray([time_to_hire_features(item) for item in items], dtype=np.float64)


def features_without(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """A copy of a feature matrix with the named features unknown (NaN), as when a seeker cannot supply them."""
    masked = x.copy()
    for name in names:
        masked[:, FEATURE_NAMES.index(name)] = np.nan
    return masked


def features_only(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """A copy of a feature matrix with everything but the named features unknown (NaN)."""
    return features_without(x, [name for name in FEATURE_NAMES if name not in names])


@dataclass(frozen=True)
class GsaRow:
    """One line of the GSA export. Dates the file lacks or cannot parse are None; `row_key` identifies exact
    duplicate lines (2,062 in the file)."""

    id: int
    vacancy: str
    series: str
    location: str
    application_count: int | None
    open_date: date | None
    close_date: date | None
    offered_date: date | None
    row_key: str


@dataclass(frozen=True)
class DurationRow:
    """A labelled example for either scope: `group` keeps related rows on one side of every split (the vacancy for
    GSA rows, the posting for tenant rows)."""

    id: int
    group: str
    item: TimeToHireInput
    days: float


def _date(text: str | None) -> date | None:
    try:
        return datetime.strptime((text or "")[:10], "%Y-%m-%d").date()  # noqa: DTZ007 - calendar dates, no time
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text not in (None, "") else None
    except ValueError:
        return None


def gsa_rows_load(path: Path = GSA_CSV) -> list[GsaRow]:
    """Every line of the GSA CSV, in file order, duplicates and impossible timelines included (cleaning counts them)."""
    rows: list[GsaRow] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=1):
            key = hashlib.sha256("\x1f".join(record.values()).encode()).hexdigest()
            rows.append(
                GsaRow(
                    id=number,
                    vacancy=(record.get("VACANCY") or "").strip(),
                    series=(record.get("SERIES") or "").strip(),
                    location=(record.get("VAC_LOCATION") or "").strip(),
                    application_count=_int(record.get("APPLICATION_COUNT")),
                    open_date=_date(record.get("OPEN_DATE")),
                    close_date=_date(record.get("CLOSE_DATE")),
                    offered_date=_date(record.get("POS_OFFERED")),
                    row_key=key,
                )
            )
    return rows


def gsa_rows_clean(rows: Sequence[GsaRow]) -> tuple[list[DurationRow], dict[str, int]]:
    """Usable labelled rows and how many were dropped for each reason, checked in this order: exact duplicate line,
    a missing date or vacancy, an offer before the close, an offer more than MAX_DAYS after it."""
    dropped = {"exact_duplicates": 0, "missing_dates": 0, "offer_before_close": 0, f"over_{MAX_DAYS}_days": 0}
    seen: set[str] = set()
    kept: list[DurationRow] = []
    for row in sorted(rows, key=lambda r: r.id):
        if row.row_key in seen:
            dropped["exact_duplicates"] += 1
            continue
        seen.add(row.row_key)
        if not (row.vacancy and row.open_date and row.close_date and row.offered_date):
            dropped["missing_dates"] += 1
            continue
        days = (row.offered_date - row.close_date).days
        if days < 0:
            dropped["offer_before_close"] += 1
            continue
        if days > MAX_DAYS:
            dropped[f"over_{MAX_DAYS}_days"] += 1
            continue
        item = TimeToHireInput(
            occupation_family=opm_series_family(row.series),
            state=location_state(row.location),
            posting_month=row.open_date.month,
            application_count=row.application_count,
            posting_open_days=(row.close_date - row.open_date).days,
        )
        kept.append(DurationRow(id=row.id, group=f"gsa:{row.vacancy}", item=item, days=float(days)))
    return kept, dropped


@dataclass
class TimeToHireSplit:
    train: list[DurationRow]
    test: list[DurationRow]
    dropped: dict[str, int]
    rows_loaded: int

    def counts(self) -> dict[str, int]:
        return {
            "rows_loaded": self.rows_loaded,
            "rows_usable": len(self.train) + len(self.test),
            "train": len(self.train),
            "test": len(self.test),
            "train_groups": len({r.group for r in self.train}),
            "test_groups": len({r.group for r in self.test}),
        }


def time_to_hire_split(
    rows: Sequence[DurationRow],
    *,
    seed: int,
    test_share: float = 0.2,
    dropped: dict[str, int] | None = None,
    rows_loaded: int | None = None,
) -> TimeToHireSplit:
    """A seeded share of the groups (vacancies) goes to test with all their rows, so no vacancy straddles the split."""
    groups = sorted({r.group for r in rows})
    rng = np.random.default_rng(seed)
    n_test = max(1, round(len(groups) * test_share)) if len(groups) > 1 else 0
    test_groups = {groups[i] for i in rng.permutation(len(groups))[:n_test]}
    return TimeToHireSplit(
        train=[r for r in rows if r.group not in test_groups],
        test=[r for r in rows if r.group in test_groups],
        dropped=dict(dropped or {}),
        rows_loaded=rows_loaded if rows_loaded is not None else len(rows),
    )


def rows_fingerprint(rows: Sequence[DurationRow]) -> str:
    """SHA-256 over the ids, groups, inputs and targets of the rows, in id order."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r.id):
        digest.update(repr((row.id, row.group, row.item, row.days)).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def title_family(title: str, reference: MarketReference) -> str | None:
    """The family of a free-text job title through its O*NET-SOC occupation; None when no occupation matches."""
    return soc_family(reference.title_match(title).soc_code)
