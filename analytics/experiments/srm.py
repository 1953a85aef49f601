"""The sample-ratio-mismatch check: do the exposures split as the weights say? A split far from the weights means
the assignment or the exposure logging is broken (a variant that fails to log, a population filter that depends on
the variant), and then no difference in the metric can be trusted, however significant.

Pearson's chi-square goodness of fit of the exposure counts against the weights, flagged below p = 0.001 (a strict
threshold, because the check is read at every look and a false alarm stops a sound experiment). It is only run when
every variant expects at least 5 exposures, where the chi-square approximation holds. Any exposure in a variant of
weight 0 is a mismatch by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import chi2

SRM_ALPHA = 0.001
MIN_EXPECTED = 5


@dataclass(frozen=True)
class SrmCheck:
    checked: bool  # False: too few exposures to tell
    chi_square: float | None
    p_value: float | None
    flagged: bool


def srm_check(counts: Mapping[str, int], variants: Sequence[tuple[str, int]]) -> SrmCheck:
    """`counts`: exposures by variant name; `variants`: (name, weight in percent) summing to 100."""
    if any(counts.get(name, 0) > 0 for name, weight in variants if weight == 0):
        return SrmCheck(True, None, 0.0, True)
    weighted = [(name, weight) for name, weight in variants if weight > 0]
    total = sum(counts.get(name, 0) for name, _weight in weighted)
    expected = {name: total * weight / 100 for name, weight in weighted}
    if len(weighted) < 2 or min(expected.values()) < MIN_EXPECTED:
        return SrmCheck(False, None, None, False)
    statistic = sum((counts.get(name, 0) - expected[name]) ** 2 / expected[name] for name, _weight in weighted)
    p_value = float(chi2.sf(statistic, len(weighted) - 1))
    return SrmCheck(True, statistic, p_value, p_value < SRM_ALPHA)
