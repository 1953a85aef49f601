"""Input bins for drift monitoring: one binning for training and serving. Pure except for the request's collector.

At training time `input_bins_build` turns the feature matrix the boosters were fit on into a reference: per feature,
its bins and how many training rows fell in each (stored with the ModelVersion, `input_bins`). At serving time each
kind calls `inputs_observe(version, x)` with the matrix it is about to predict on; inside `inputs_observed()` (opened
by predictions.service around every logged request) the counts per bin are added up per model version and written on
that request's PredictionLog row. Outside it (the licensee API, training, evaluation) observing costs one context
variable read and nothing is counted. The analytics model monitor compares the two with the population stability
index.

Bins, fixed by the training data:
- a declared categorical feature: its `CATEGORY_BINS` most frequent training values, then "other", then "missing";
- any other feature with at most `VALUE_BINS` distinct training values (ordinals, 0/1 flags, one-hot columns): one
  bin per value, then "other", then "missing";
- the rest: the training deciles' distinct edges (a value equal to an edge goes below it), then "missing" (NaN).
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np

FORMAT = 1
CATEGORY_BINS = 10
VALUE_BINS = 10
QUANTILES = tuple(q / 10 for q in range(1, 10))
NUMERIC, VALUES = "numeric", "values"


def input_bins_build(x: np.ndarray, feature_names: Sequence[str], *, categorical: Sequence[str] = ()) -> dict:
    """The reference bins of a training matrix (rows × features, NaN = missing), JSON-ready:
    {"format", "rows", "features": [{"name", "type", "edges" | "values", "counts"}]} with `counts` covering every
    bin, "other" and "missing" included."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != len(feature_names):
        raise ValueError(f"input_bins_build: {x.shape} does not match {len(feature_names)} feature names")
    features = []
    for j, name in enumerate(feature_names):
        column = x[:, j]
        present = column[~np.isnan(column)]
        distinct, frequency = np.unique(present, return_counts=True)
        if name in categorical or distinct.size <= VALUE_BINS:
            keep = CATEGORY_BINS if name in categorical else VALUE_BINS
            order = np.argsort(-frequency, kind="stable")[:keep]
            spec = {"name": name, "type": VALUES, "values": sorted(float(v) for v in distinct[order])}
        else:
            edges = np.unique(np.quantile(present, QUANTILES))
            spec = {"name": name, "type": NUMERIC, "edges": [float(e) for e in edges]}
        spec["counts"] = _feature_counts(_compiled(spec), column).tolist()
        features.append(spec)
    return {"format": FORMAT, "rows": int(x.shape[0]), "features": features}


@dataclass(frozen=True)
class _Feature:
    name: str
    type: str
    points: np.ndarray  # sorted edges or values
    bins: int  # every bin, "other" and "missing" included
    listed: tuple[float, ...] = ()  # the points as floats: one value is binned faster without numpy

    def bin_of(self, value: float) -> int:
        """The bin of one value (the same as `_feature_counts` would count it in)."""
        if math.isnan(value):
            return self.bins - 1
        position = bisect.bisect_left(self.listed, value)
        if self.type == NUMERIC:
            return position
        found = position < len(self.listed) and self.listed[position] == value
        return position if found else len(self.listed)


def _compiled(spec: dict) -> _Feature:
    kind = NUMERIC if spec["type"] == NUMERIC else VALUES
    points = np.asarray(spec["edges"] if kind == NUMERIC else spec["values"], dtype=np.float64)
    return _Feature(spec["name"], kind, points, points.size + 2, tuple(float(p) for p in points))


def _feature_counts(feature: _Feature, column: np.ndarray) -> np.ndarray:
    """Counts of `column` over the feature's bins."""
    missing = np.isnan(column)
    present = column[~missing]
    if feature.type == NUMERIC:
        index = np.searchsorted(feature.points, present, side="left")
    else:
        position = np.searchsorted(feature.points, present, side="left")
        found = position < feature.points.size
        found[found] &= feature.points[position[found]] == present[found]
        index = np.where(found, position, feature.points.size)  # unseen in training: "other"
    counts = np.bincount(index, minlength=feature.bins - 1)
    return np.append(counts, int(missing.sum()))


def bin_counts(reference: dict, x: np.ndarray) -> dict[str, list[int]]:
    """{feature name: counts per bin} of the rows of `x` (features in the reference's order)."""
    features = _compiled_reference(reference)
    x = np.asarray(x, dtype=np.float64).reshape(-1, len(features))
    if x.shape[0] == 1:  # a page's single input: a bisect per feature, about 20 times faster than numpy here
        counts = {}
        for feature, value in zip(features, x[0].tolist(), strict=True):
            counts[feature.name] = [0] * feature.bins
            counts[feature.name][feature.bin_of(value)] = 1
        return counts
    return {f.name: _feature_counts(f, x[:, j]).tolist() for j, f in enumerate(features)}


_compiled_cache: dict[int, tuple[dict, list[_Feature]]] = {}
_compiled_lock = threading.Lock()


def _compiled_reference(reference: dict) -> list[_Feature]:
    """Compiled once per reference dict (the champion cache keeps the same dict for its version's lifetime)."""
    key = id(reference)
    hit = _compiled_cache.get(key)
    if hit is not None and hit[0] is reference:
        return hit[1]
    compiled = [_compiled(spec) for spec in reference["features"]]
    with _compiled_lock:
        if len(_compiled_cache) > 256:
            _compiled_cache.clear()
        _compiled_cache[key] = (reference, compiled)  # holding the dict keeps its id from being reused
    return compiled


def counts_add(total: dict[str, list[int]], more: dict[str, list[int]]) -> dict[str, list[int]]:
    """`total` plus `more`, feature by feature and bin by bin (in place; returns `total`). A feature whose bins
    differ in number (a reference rebuilt with other bins) keeps the first layout and ignores the other."""
    for name, counts in more.items():
        mine = total.get(name)
        if mine is None:
            total[name] = list(counts)
        elif len(mine) == len(counts):
            total[name] = [a + b for a, b in zip(mine, counts, strict=True)]
    return total


def bin_labels(spec: dict) -> list[str]:
    """Plain labels of a reference feature's bins ("≤ 3.5", "3.5 – 7", "> 7", "= 2", "other", "missing")."""
    if spec["type"] == NUMERIC:
        edges = spec["edges"]
        if not edges:
            return ["all", "missing"]
        labels = [f"≤ {_short(edges[0])}"]
        labels += [f"{_short(a)} – {_short(b)}" for a, b in zip(edges, edges[1:], strict=False)]
        return [*labels, f"> {_short(edges[-1])}", "missing"]
    return [*(f"= {_short(v)}" for v in spec["values"]), "other", "missing"]


def _short(value: float) -> str:
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return f"{value:.3g}"


# ---------------------------------------------------------------------------------------------------------------------
# The request's collector
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class Observed:
    """The bin counts of the rows one model version answered in one request."""

    counts: dict[str, list[int]]
    rows: int


_observed: ContextVar[dict[tuple[int, str], Observed] | None] = ContextVar("predictions_inputs_observed", default=None)


@contextmanager
def inputs_observed() -> Iterator[dict[tuple[int, str], Observed]]:
    """Collects what `inputs_observe` sees inside the block: {(version id, version scope): Observed}."""
    collected: dict[tuple[int, str], Observed] = {}
    token = _observed.set(collected)
    try:
        yield collected
    finally:
        _observed.reset(token)


def inputs_observe(version, x: np.ndarray) -> None:
    """Counts the rows of `x` (the feature matrix `version` predicts on) into the open collector; nothing when no
    collector is open or the version has no reference bins."""
    collected = _observed.get()
    reference = getattr(version, "input_bins", None)
    if collected is None or not reference or len(x) == 0:
        return
    key = (version.pk, version.scope)
    found = collected.get(key)
    counts = bin_counts(reference, x)
    if found is None:
        collected[key] = Observed(counts, len(x))
    else:
        counts_add(found.counts, counts)
        found.rows += len(x)
