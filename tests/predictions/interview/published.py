"""The published prior of the interview odds, derived here from base_rates.csv's figures by the rule SOURCE.md and
predictions/interview/shrinkage.py's docstring state, independently of that module: the mean of a transition's
centre rates (a channel's: that mean times the mean of its centre relative rates), and the largest whole strength,
at most the cap (the average requisition; for a channel, the overall strength), whose central 80 % Beta interval
covers every published figure."""

from __future__ import annotations

import csv
from pathlib import Path

from scipy.stats import beta

CSV = Path(__file__).resolve().parents[3] / "data" / "reference" / "job_search_base_rates" / "base_rates.csv"


def _rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _value(row: dict[str, str]) -> float:
    return float(row["numerator"]) / float(row["denominator"])


def _strength(mean: float, figures: list[float], cap: float) -> int:
    best = 2
    for n in range(2, int(cap) + 1):
        low, high = beta.ppf([0.1, 0.9], mean * n, (1 - mean) * n)
        if low > min(figures) or high < max(figures):
            break
        best = n
    return best


def published_prior(transition: str, channel: str = "") -> tuple[float, float]:
    """(a, b) of the published Beta prior of `transition` ("applied_interview" or "interview_offer") for `channel`."""
    rows = [r for r in _rows() if r["transition"] == transition]
    overall = [r for r in rows if not r["channel"]]
    centre = [_value(r) for r in overall if r["role"] == "centre" and r["measure"] == "rate"]
    mean = sum(centre) / len(centre)
    cap = min(_value(r) for r in overall if r["role"] == "cap")
    strength = _strength(mean, [_value(r) for r in overall if r["measure"] == "rate"], cap)
    ratios = [r for r in rows if r["channel"] == channel and r["measure"] == "relative_rate"] if channel else []
    if ratios:
        centre_ratios = [_value(r) for r in ratios if r["role"] == "centre"]
        overall_mean = mean
        mean *= sum(centre_ratios) / len(centre_ratios)
        strength = _strength(mean, [overall_mean * _value(r) for r in ratios], strength)
    return mean * strength, (1 - mean) * strength


def expected_odds(channel: str = "") -> dict[str, tuple[float, tuple[float, float]]]:
    """For an application with no outcomes anywhere: each probability and its 80 % interval (the offer's mean is the
    product of the two means; its interval comes from a Monte Carlo, so it is compared with a tolerance)."""
    import numpy as np

    interview, given = published_prior("applied_interview", channel), published_prior("interview_offer")
    draws = np.random.default_rng(7).beta(*interview, 200_000) * np.random.default_rng(8).beta(*given, 200_000)
    mean = lambda ab: ab[0] / (ab[0] + ab[1])  # noqa: E731
    return {
        "interview": (mean(interview), tuple(beta.ppf([0.1, 0.9], *interview))),
        "offer_given_interview": (mean(given), tuple(beta.ppf([0.1, 0.9], *given))),
        "offer": (mean(interview) * mean(given), tuple(np.quantile(draws, [0.1, 0.9]))),
    }
