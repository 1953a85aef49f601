"""Live accuracy arithmetic over additive parts, so a tenant's figures and everyone's come from the same sums. Pure.

Interview: predictions fall in ten equal-width bins of the probability (0–10 %, …, 90–100 %; the bins the training
run's ECE uses, predictions/interview/training.py); each bin keeps n, Σp, Σy and Σ(p − y)². Brier = Σ(p − y)² / n;
ECE = Σ over bins (n_b / n) |mean p_b − mean y_b|. Ranges (salary P10–P90, days to offer P10–P90): n and how many
outcomes fell below, inside and above.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

BINS = 10
MIN_OUTCOMES = 30  # fewer outcomes behind a figure and it is not shown ("not enough data")


def probability_bin(p: float) -> int:
    return min(max(int(p * BINS), 0), BINS - 1)


def reliability_parts(pairs: Iterable[tuple[float, int]]) -> list[list[float]]:
    """[[n, Σp, Σy, Σ(p−y)²] per bin] of (predicted probability, 0/1 outcome) pairs."""
    parts = [[0, 0.0, 0, 0.0] for _ in range(BINS)]
    for p, y in pairs:
        part = parts[probability_bin(p)]
        part[0] += 1
        part[1] += p
        part[2] += y
        part[3] += (p - y) ** 2
    return parts


def parts_add(total: list[list[float]], more: Sequence[Sequence[float]]) -> list[list[float]]:
    """Adds `more` into `total` (in place; returns it). Works for reliability parts and range counts alike."""
    for mine, theirs in zip(total, more, strict=True):
        for i, value in enumerate(theirs):
            mine[i] += value
    return total


def brier(parts: Sequence[Sequence[float]]) -> float | None:
    n = sum(part[0] for part in parts)
    return sum(part[3] for part in parts) / n if n else None


def ece(parts: Sequence[Sequence[float]]) -> float | None:
    n = sum(part[0] for part in parts)
    if not n:
        return None
    return sum(part[0] / n * abs(part[1] / part[0] - part[2] / part[0]) for part in parts if part[0])


def reliability_points(parts: Sequence[Sequence[float]]) -> list[dict[str, float]]:
    """Per non-empty bin: its range, the mean prediction, the observed share and n."""
    return [
        {
            "low": i / BINS,
            "high": (i + 1) / BINS,
            "predicted": part[1] / part[0],
            "observed": part[2] / part[0],
            "n": int(part[0]),
        }
        for i, part in enumerate(parts)
        if part[0]
    ]


def range_counts(values: Iterable[tuple[float, float, float]]) -> list[int]:
    """[n, below, inside, above] of (low, high, observed) triples; inside includes both ends."""
    counts = [0, 0, 0, 0]
    for low, high, observed in values:
        counts[0] += 1
        counts[1 if observed < low else 3 if observed > high else 2] += 1
    return counts


def coverage(counts: Sequence[int]) -> float | None:
    """The share of outcomes inside the range, None without outcomes."""
    return counts[2] / counts[0] if counts[0] else None
