"""Interview and offer features and outcome labels: the one code path used by training and serving. Pure: no ORM.

A feature vector is a float64 numpy array in the order of `INTERVIEW_FEATURE_NAMES`; an unknown value is NaN
(LightGBM routes missing values itself; the logistic-regression baseline imputes them).

Labels (see `outcome_labels`) follow one rule so the training set is not biased by applications that have not had
time to get an answer: an application is labelled only once it is at least `GHOSTED_AFTER_DAYS` old (the horizon
of the product's own "likely ghosted" flag). Younger applications are censored whatever they show so far, because
early answers are mostly invitations and quick rejections while silent ones (future ghosts) cannot be seen yet:
keeping only the young ones that already answered would over-count positives, and counting the waiting ones as
negatives (the naive rule) under-counts them. The simulator's censoring check shows both effects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import numpy as np

from market.industries import INDUSTRY_CODES

GHOSTED_AFTER_DAYS = 30  # the CandidateProfile.ghosted_after_days default: silence this long counts as an answer
OFFER_HORIZON_DAYS = 60  # an offer label needs a process this old; open ones that still move are censored

SCREENING, INTERVIEWING, OFFER, ACCEPTED = "screening", "interviewing", "offer", "accepted"
SAVED, APPLIED, REJECTED, WITHDRAWN, GHOSTED = "saved", "applied", "rejected", "withdrawn", "ghosted"
INTERVIEW_STAGES = frozenset({SCREENING, INTERVIEWING, OFFER, ACCEPTED})
OFFER_STAGES = frozenset({OFFER, ACCEPTED})
OPEN_STAGES = frozenset({APPLIED, SCREENING, INTERVIEWING})

CHANNELS: tuple[str, ...] = ("referral", "company_site", "job_board", "recruiter", "agency")
SENIORITY_LEVELS: dict[str, int] = {"intern": 0, "junior": 1, "mid": 2, "senior": 3, "lead": 4}
SENIORITY_WORDS: dict[str, str] = {
    "intern": "intern",
    "internship": "intern",
    "trainee": "intern",
    "junior": "junior",
    "jr": "junior",
    "graduate": "junior",
    "associate": "junior",
    "senior": "senior",
    "sr": "senior",
    "lead": "lead",
    "principal": "lead",
    "staff": "lead",
    "head": "lead",
    "chief": "lead",
    "director": "lead",
}
REMOTE_LEVELS: dict[str, int] = {"on_site": 0, "hybrid": 1, "remote": 2}
COMPANY_SIZE_LEVELS: dict[str, int] = {"S": 0, "M": 1, "L": 2}
TITLE_MATCH_VALUES: dict[str, float] = {"met": 1.0, "partial": 0.5, "missing": 0.0}
EMPLOYMENT_TYPES: tuple[str, ...] = ("full_time", "part_time", "contract", "freelance", "internship")
# The bounds and categories of InterviewInput's fields: checked here and declared by the API's input serializer.
INPUT_RANGES: dict[str, tuple[float, float]] = {
    "match_score": (0, 100),
    "must_have_coverage": (0, 1),
    "nice_to_have_coverage": (0, 1),
    "title_match": (0, 1),
    "experience_gap_years": (-60, 60),
    "applied_weekday": (0, 6),
    "days_saved_to_applied": (0, 3650),
}
INPUT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "channel": CHANNELS,
    "seniority": tuple(SENIORITY_LEVELS),
    "remote": tuple(REMOTE_LEVELS),
    "employment_type": EMPLOYMENT_TYPES,
    "company_size": tuple(COMPANY_SIZE_LEVELS),
    "industry": INDUSTRY_CODES,
}

INTERVIEW_FEATURE_NAMES: list[str] = [
    "match_score",
    "must_have_coverage",
    "nice_to_have_coverage",
    "title_match",
    "experience_gap_years",
    *(f"channel_{channel}" for channel in CHANNELS),
    "applied_weekday",
    "days_saved_to_applied",
    "seniority_level",
    "remote_level",
    "employment_full_time",
    "company_size_level",
    # The posting's industry (tracking.JobPosting.industry), one-hot: a tenant's outcomes can then differ by
    # industry without one model per industry, which no tenant has the outcomes for.
    *(f"industry_{code}" for code in INDUSTRY_CODES),
]
# Several columns explain one thing to a user: the channel's and the industry's one-hot columns are one factor each.
FACTOR_OF_FEATURE: dict[str, str] = (
    {name: name for name in INTERVIEW_FEATURE_NAMES}
    | {f"channel_{channel}": "channel" for channel in CHANNELS}
    | {f"industry_{code}": "industry" for code in INDUSTRY_CODES}
)


@dataclass(frozen=True)
class InterviewInput:
    """What is known about one application when it is sent. Every field is optional: None means unknown."""

    match_score: float | None = None  # 0..100, predictions.match.scoring
    must_have_coverage: float | None = None  # 0..1: met = 1, partly met = 0.5, missing = 0, averaged
    nice_to_have_coverage: float | None = None  # 0..1, the same for nice-to-haves
    title_match: float | None = None  # 1 met, 0.5 partly, 0 missing
    experience_gap_years: float | None = None  # the CV's years minus the years asked (negative = short)
    channel: str | None = None  # one of CHANNELS
    applied_weekday: int | None = None  # 0 = Monday
    days_saved_to_applied: float | None = None  # from saving the posting to applying
    seniority: str | None = None  # one of SENIORITY_LEVELS
    remote: str | None = None  # on_site, hybrid, remote
    employment_type: str | None = None  # full_time, part_time, contract, freelance, internship
    company_size: str | None = None  # S, M, L
    industry: str | None = None  # one of market.industries.INDUSTRY_CODES


def _number(value: object, name: str, low: float | None = None, high: float | None = None) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    number = float(value)
    if math.isnan(number):
        return math.nan
    if not math.isfinite(number) or (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{name}: {value!r} is outside [{low}, {high}]")
    return number


def _level(value: str | None, levels: dict[str, int], name: str) -> float:
    if value is None or value == "":
        return math.nan
    if value not in levels:
        raise ValueError(f"{name}: {value!r} is not one of {sorted(levels)}")
    return float(levels[value])


def interview_feature_row(item: InterviewInput) -> list[float]:
    """One feature row; raises ValueError naming the field on a value out of range or of an unknown category."""
    if item.channel not in (None, "", *CHANNELS):
        raise ValueError(f"channel: {item.channel!r} is not one of {list(CHANNELS)}")
    channel = [
        math.nan if not item.channel else float(item.channel == name)  # unknown channel: all NaN, not "none of them"
        for name in CHANNELS
    ]
    if item.industry not in (None, "", *INDUSTRY_CODES):
        raise ValueError(f"industry: {item.industry!r} is not one of {list(INDUSTRY_CODES)}")
    industry = [math.nan if not item.industry else float(item.industry == code) for code in INDUSTRY_CODES]
    full_time = math.nan if not item.employment_type else float(item.employment_type == "full_time")
    return [
        _number(item.match_score, "match_score", *INPUT_RANGES["match_score"]),
        _number(item.must_have_coverage, "must_have_coverage", *INPUT_RANGES["must_have_coverage"]),
        _number(item.nice_to_have_coverage, "nice_to_have_coverage", *INPUT_RANGES["nice_to_have_coverage"]),
        _number(item.title_match, "title_match", *INPUT_RANGES["title_match"]),
        _number(item.experience_gap_years, "experience_gap_years", *INPUT_RANGES["experience_gap_years"]),
        *channel,
        _number(item.applied_weekday, "applied_weekday", *INPUT_RANGES["applied_weekday"]),
        _number(item.days_saved_to_applied, "days_saved_to_applied", *INPUT_RANGES["days_saved_to_applied"]),
        _level(item.seniority, SENIORITY_LEVELS, "seniority"),
        _level(item.remote, REMOTE_LEVELS, "remote"),
        full_time,
        _level(item.company_size, COMPANY_SIZE_LEVELS, "company_size"),
        *industry,
    ]


def interview_features(inputs: Sequence[InterviewInput]) -> np.ndarray:
    """The (n, len(INTERVIEW_FEATURE_NAMES)) float64 matrix for `inputs`, in order."""
    matrix = np.empty((len(inputs), len(INTERVIEW_FEATURE_NAMES)), dtype=np.float64)
    for i, item in enumerate(inputs):
        matrix[i] = interview_feature_row(item)
    return matrix


def seniority_of(title: str) -> str:
    """The seniority a job title states ("Senior Data Engineer" -> senior); "mid" when it states none."""
    words = "".join(ch if ch.isalnum() else " " for ch in title.casefold()).split()
    found = [SENIORITY_WORDS[word] for word in words if word in SENIORITY_WORDS]
    return max(found, key=SENIORITY_LEVELS.__getitem__) if found else "mid"


def _coverage(component: dict | None) -> float | None:
    if not component or not component.get("judged"):
        return None
    values = [TITLE_MATCH_VALUES[item["status"]] for item in component["items"] if item["status"] in TITLE_MATCH_VALUES]
    return sum(values) / len(values) if values else None


def match_features(match: dict, *, cv_years: int | None, years_asked: int | None) -> dict[str, float | None]:
    """The match inputs of InterviewInput from a predictions.match.scoring result (None values when it has no score)."""
    if match.get("score") is None:
        return {key: None for key in ("match_score", "must_have_coverage", "nice_to_have_coverage", "title_match")} | {
            "experience_gap_years": None
        }
    components = {component["name"]: component for component in match.get("components", [])}
    return {
        "match_score": float(match["score"]),
        "must_have_coverage": _coverage(components.get("must_have")),
        "nice_to_have_coverage": _coverage(components.get("nice_to_have")),
        "title_match": _coverage(components.get("title")),
        "experience_gap_years": (
            float(cv_years - years_asked) if cv_years is not None and years_asked is not None else None
        ),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Outcome labels
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeLabels:
    interview: int | None  # 1 reached screening or beyond, 0 did not, None censored or not applied
    offer: int | None
    interview_reason: str
    offer_reason: str


def applied_at_of(stages: Sequence[tuple[str, datetime]], applied_at: datetime | None) -> datetime | None:
    """When the application was sent: its `applied_at`, else its first move past "saved" (a recruiter's call)."""
    if applied_at is not None:
        return applied_at
    return next((at for stage, at in stages if stage != SAVED), None)


def outcome_labels(
    *,
    stages: Sequence[tuple[str, datetime]],
    applied_at: datetime | None,
    as_of: datetime,
    ghosted_after_days: int = GHOSTED_AFTER_DAYS,
    offer_horizon_days: int = OFFER_HORIZON_DAYS,
) -> OutcomeLabels:
    """Interview and offer labels of one application from its stage history ((to_stage, occurred_at), in order).

    Interview: None ("not_applied") when it was never sent; None ("too_recent") while it is younger than
    `ghosted_after_days`, whatever it shows so far; then 1 when it ever reached screening, interviewing, offer or
    accepted by `as_of`; None ("withdrawn") when the candidate withdrew first (the employer never answered, so it is
    neither a yes nor a no); else 0 (rejected, marked ghosted, or still "applied" with no move past the horizon).

    Offer: None while younger than `offer_horizon_days`; 1 when it reached offer or accepted; None when withdrawn
    first; 0 when rejected or ghosted, or silent for `ghosted_after_days` in an open stage; None ("in_process") when
    an open process moved more recently than that.
    """
    sent = applied_at_of(stages, applied_at)
    if sent is None:
        return OutcomeLabels(None, None, "not_applied", "not_applied")
    seen = {stage for stage, _ in stages}
    last_stage, last_at = stages[-1] if stages else (APPLIED, sent)
    age = as_of - sent
    silent = as_of - max(last_at, sent) >= timedelta(days=ghosted_after_days)

    if age < timedelta(days=ghosted_after_days):
        interview, interview_reason = None, "too_recent"
    elif seen & INTERVIEW_STAGES:
        interview, interview_reason = 1, "reached_screening"
    elif last_stage == WITHDRAWN:
        interview, interview_reason = None, "withdrawn"
    elif last_stage in (REJECTED, GHOSTED):
        interview, interview_reason = 0, last_stage
    else:
        interview, interview_reason = 0, "silent_past_horizon"

    if age < timedelta(days=offer_horizon_days):
        offer, offer_reason = None, "too_recent"
    elif seen & OFFER_STAGES:
        offer, offer_reason = 1, "reached_offer"
    elif last_stage == WITHDRAWN:
        offer, offer_reason = None, "withdrawn"
    elif last_stage in (REJECTED, GHOSTED):
        offer, offer_reason = 0, last_stage
    elif last_stage in OPEN_STAGES and not silent:
        offer, offer_reason = None, "in_process"
    else:
        offer, offer_reason = 0, "silent_past_horizon"
    return OutcomeLabels(interview, offer, interview_reason, offer_reason)


def input_field_names() -> list[str]:
    return [f.name for f in fields(InterviewInput)]
