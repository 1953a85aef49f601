"""The population stability index. Pure.

PSI = Σ over bins (live share − reference share) × ln(live share / reference share), each share floored at
`EPSILON` so an empty bin on either side stays finite. Read as usual: below 0.1 stable, 0.1–0.25 moderate shift,
above 0.25 a large shift. A figure rests on the live inputs counted; below `MIN_INPUTS` there is none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EPSILON = 1e-4
MIN_INPUTS = 100
MODERATE, LARGE = 0.1, 0.25


def psi(reference: Sequence[float], live: Sequence[float], *, epsilon: float = EPSILON) -> float:
    """PSI of `live` counts against `reference` counts over the same bins. Raises ValueError when the bins differ in
    number or either side is empty."""
    if len(reference) != len(live):
        raise ValueError(f"psi: {len(reference)} reference bins against {len(live)} live bins")
    ref_total, live_total = float(sum(reference)), float(sum(live))
    if ref_total <= 0 or live_total <= 0:
        raise ValueError("psi: a side with no counts")
    total = 0.0
    for ref_count, live_count in zip(reference, live, strict=True):
        expected = max(ref_count / ref_total, epsilon)
        actual = max(live_count / live_total, epsilon)
        total += (actual - expected) * math.log(actual / expected)
    return total


def psi_by_feature(reference: dict, live: dict[str, list[int]]) -> dict[str, float]:
    """{feature: PSI} for each feature of a reference (predictions/drift.py's `input_bins`) that the live counts
    cover with the same bins."""
    out = {}
    for spec in reference.get("features", []):
        counts = live.get(spec["name"])
        if counts is not None and len(counts) == len(spec["counts"]) and sum(counts) > 0 and sum(spec["counts"]) > 0:
            out[spec["name"]] = psi(spec["counts"], counts)
    return out


def psi_band(value: float) -> str:
    """ "stable", "moderate" or "large" (the usual reading of a PSI)."""
    return "large" if value > LARGE else "moderate" if value > MODERATE else "stable"
