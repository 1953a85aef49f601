"""Latency histograms that add across days and tenants. Pure.

Bucket i holds latencies in [10^((i − 20) / 20), 10^((i − 19) / 20)) milliseconds: 20 buckets a decade, each about
12 % wide, from 0.1 ms (everything faster lands in bucket 0) to 1,000 s (bucket 140 holds anything slower). A
percentile is the geometric middle of the bucket holding its rank, so it is within about 6 % of the exact value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

PER_DECADE = 20
OFFSET = 20  # bucket 20 starts at 1 ms
TOP = 140
# The same bucket in SQL, for a column of milliseconds (PostgreSQL's log() is base 10).
BUCKET_SQL = f"LEAST(GREATEST(FLOOR({PER_DECADE} * LOG(GREATEST({{column}}, 1e-9)))::int + {OFFSET}, 0), {TOP})"


def latency_bucket(ms: float) -> int:
    return min(max(math.floor(PER_DECADE * math.log10(max(ms, 1e-9))) + OFFSET, 0), TOP)


def counts_add(total: dict[str, int], more: Mapping[str, int]) -> dict[str, int]:
    """Adds the histogram `more` into `total` (in place; returns it). Keys are bucket numbers as text (JSON)."""
    for bucket, count in more.items():
        total[str(bucket)] = total.get(str(bucket), 0) + int(count)
    return total


def percentile(counts: Mapping[str, int], q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1, nearest rank) in milliseconds; None for an empty histogram."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket in sorted(counts, key=int):
        seen += counts[bucket]
        if seen >= rank:
            return 10 ** ((int(bucket) - OFFSET + 0.5) / PER_DECADE)
    return None
