"""The arithmetic of "How you compare": pure functions, no ORM, no I/O (the ORM side is predictions.comparison.service).

- ``percentile_rank``: the share of other applications whose match score is below this one, ties counted as half
  (the mid-rank percentile), rounded half up once: the same scores give the same answer everywhere.
- ``salary_position``: where a yearly amount falls in a predicted P10/P50/P90 range. Inside the range the percentile
  is interpolated between the three known points in log salary (the model predicts log salary and its intervals are
  multiplicative, so 90k between 80k and 100k sits a little past the halfway mark). Outside the range there is no
  number: the model says nothing about its tails beyond "10 % below P10, 10 % above P90", so none is invented.
- ``yearly_amount``: an hourly, daily, weekly, monthly or yearly amount as a yearly one (2,080 working hours, 260
  working days, 52 weeks, 12 months).
- ``title_key``: a posting title reduced to its stemmed content words, seniority and filler dropped ("Senior Data
  Engineer (m/w/d)" and "data engineer" share one), for titles that name no O*NET occupation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from tracking.cv import keywords

MIN_COMPARABLE = 10  # fewer comparable applications than this: no percentile, only their count
HOURS_PER_YEAR = 2080  # 40 hours × 52 weeks
DAYS_PER_YEAR = 260  # 5 working days × 52 weeks
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
YEARLY_FACTORS = {
    "year": 1,
    "month": MONTHS_PER_YEAR,
    "week": WEEKS_PER_YEAR,
    "day": DAYS_PER_YEAR,
    "hour": HOURS_PER_YEAR,
}
# The readings an offer recorded without a period may have (predictions.comparison.salary): a week's and a day's pay
# lie within ×5 of their neighbours, too close to tell apart by size alone.
OFFER_PERIODS = ("year", "month", "hour")

BELOW_P10 = "below_p10"
P10_P50 = "p10_p50"
P50_P90 = "p50_p90"
ABOVE_P90 = "above_p90"
POSITIONS = (BELOW_P10, P10_P50, P50_P90, ABOVE_P90)


def percentile_rank(score: int, others: Sequence[int]) -> int | None:
    """100 × (others below + ½ × others equal) / len(others), rounded half up; None without others."""
    if not others:
        return None
    below = sum(1 for other in others if other < score)
    equal = sum(1 for other in others if other == score)
    exact = Fraction(100 * (2 * below + equal), 2 * len(others))
    return int(exact + Fraction(1, 2))


@dataclass(frozen=True)
class SalaryPosition:
    position: str  # one of POSITIONS
    percentile: int | None  # 10..90 inside the range, None outside it


def salary_position(amount: float, *, p10: float, p50: float, p90: float) -> SalaryPosition:
    """Where ``amount`` (yearly, in the range's currency) falls in the range. P10 itself is inside (percentile 10),
    P90 itself too (90); a range whose points coincide puts an amount on them at the lower point's percentile."""
    if not 0 < p10 <= p50 <= p90:
        raise ValueError(f"salary_position: the range must be positive and ordered, got {p10}, {p50}, {p90}")
    if amount < p10:
        return SalaryPosition(BELOW_P10, None)
    if amount > p90:
        return SalaryPosition(ABOVE_P90, None)
    lower, upper, base, position = (p10, p50, 10, P10_P50) if amount < p50 else (p50, p90, 50, P50_P90)
    share = (math.log(amount) - math.log(lower)) / (math.log(upper) - math.log(lower)) if upper > lower else 0.0
    return SalaryPosition(position, int(base + 40 * share + 0.5))


def yearly_amount(amount: float, period: str) -> float:
    """``amount`` per ``period`` ("year", "month", "week", "day" or "hour") as a yearly amount."""
    try:
        return float(amount) * YEARLY_FACTORS[period]
    except KeyError:
        raise ValueError(f"yearly_amount: unknown period {period!r}") from None


def title_key(title: str) -> str:
    """The normalised title: stemmed content words in order, seniority, stop words, digits and punctuation dropped."""
    words = [
        word
        for word in keywords.title_tokens(title)
        if word not in keywords.SENIORITY_WORDS
        and word not in keywords.TITLE_STOP_WORDS
        and len(word) > 1
        and not word.isdigit()
    ]
    return " ".join(dict.fromkeys(keywords.word_stem(word) for word in words))
