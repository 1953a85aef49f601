"""Tuning the match score's weights (predictions/match/weights.py) on the ``tune`` half of the labelled pairs.

Each pair is matched once per ``MET_COVERAGE`` candidate (the only weight the judges use: it decides whether a
requirement is met); the other weights only combine what was judged, so each pair is kept as its components' judged
parts (per requirement item its share and status; per other component the share earned) and rescored for every
candidate without matching again.

The search is by coordinates, not a full grid: starting from the current weights, each weight in turn takes the
candidate value that raises Spearman(score, judged fit) on the tune half most, and a change is kept only when it gains
at least ``MIN_GAIN`` (with ~135 pairs a smaller gain is noise); rounds repeat until none changes. The check half is
scored with the result and never looked at during the search. Whether to adopt the tuned weights is decided on the
check half by the caller (docs/model-card.md records the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from predictions.evaluation.matching.dataset import LANGUAGES, EvaluationSet, posting_split
from predictions.evaluation.matching.metrics import spearman
from predictions.match import weights as current

MIN_GAIN = 0.005
COMPONENTS = ("must_have", "nice_to_have", "title", "experience", "keywords")
REQUIREMENT_COMPONENTS = ("must_have", "nice_to_have")
CANDIDATES: dict[str, tuple] = {
    "must_have": (30, 35, 40, 45, 50, 55, 60, 65, 70),
    "nice_to_have": (0, 5, 10, 15, 20, 25, 30),
    "title": (0, 5, 10, 15, 20, 25, 30),
    "experience": (0, 5, 10, 15, 20, 25),
    "keywords": (0, 5, 10, 15, 20),
    "keywords_max": (10, 15, 20, 25),
    "partial_credit": (Fraction(0), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)),
}
MET_COVERAGE_CANDIDATES = (Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(1))


@dataclass(frozen=True)
class Weights:
    base: dict[str, int] = field(hash=False)
    keywords_max: int
    partial_credit: Fraction
    met_coverage: Fraction

    def value(self, name: str):
        return self.base[name] if name in self.base else getattr(self, name)

    def with_value(self, name: str, value) -> Weights:
        if name in self.base:
            return replace(self, base={**self.base, name: value})
        return replace(self, **{name: value})

    def describe(self) -> str:
        parts = [f"{name}={self.base[name]}" for name in COMPONENTS]
        parts += [f"keywords_max={self.keywords_max}", f"partial_credit={self.partial_credit}"]
        return " ".join([*parts, f"met_coverage={self.met_coverage}"])


def weights_current() -> Weights:
    return Weights(
        base=dict(current.BASE_WEIGHTS),
        keywords_max=current.KEYWORDS_MAX_WEIGHT,
        partial_credit=current.STATUS_CREDIT["partial"],
        met_coverage=current.MET_COVERAGE,
    )


@dataclass(frozen=True)
class JudgedPair:
    cv: str
    posting: str
    fit_value: int
    split: str
    cross_language: bool
    posting_language: str
    judged: tuple[str, ...]
    met: dict[str, float] = field(hash=False)  # requirement components: share of items met
    partial: dict[str, float] = field(hash=False)  # requirement components: share of items partly met
    earned: dict[str, float] = field(hash=False)  # other components: share earned


def judged_pair(pair, match: dict, *, dataset: EvaluationSet, split: str) -> JudgedPair:
    """A pair's match reduced to what rescoring needs. Shares are read back from the points the match shows (one
    decimal), close enough for ranks; a match without a score (nothing to compare) stays at 0 for every weight."""
    cv, posting = dataset.documents[pair.cv], dataset.documents[pair.posting]
    judged: list[str] = []
    met: dict[str, float] = {}
    partial: dict[str, float] = {}
    earned: dict[str, float] = {}
    for component in match["components"] if match["score"] is not None else []:
        name, weight = component["name"], float(component["weight"])
        if not component["judged"] or weight <= 0:
            continue
        judged.append(name)
        if name in REQUIREMENT_COMPONENTS:
            items = component["items"]
            met[name] = sum(float(item["max_points"]) for item in items if item["status"] == "met") / weight
            partial[name] = sum(float(item["max_points"]) for item in items if item["status"] == "partial") / weight
        else:
            earned[name] = float(component["points"]) / weight
    return JudgedPair(
        cv=cv.id,
        posting=posting.id,
        fit_value=pair.fit_value,
        split=split,
        cross_language=cv.language != posting.language,
        posting_language=posting.language,
        judged=tuple(judged),
        met=met,
        partial=partial,
        earned=earned,
    )


def pair_rescore(pair: JudgedPair, weights: Weights) -> float:
    from predictions.match.scoring import weights_effective

    if not pair.judged:
        return 0.0
    effective = weights_effective(list(pair.judged), base=weights.base, keywords_max=weights.keywords_max)
    credit = float(weights.partial_credit)
    total = 0.0
    for name in pair.judged:
        share = pair.met[name] + credit * pair.partial[name] if name in pair.met else pair.earned[name]
        total += float(effective[name]) * share
    return total


def spearman_of(pairs: Iterable[JudgedPair], weights: Weights) -> float | None:
    chosen = list(pairs)
    return spearman([pair_rescore(pair, weights) for pair in chosen], [float(pair.fit_value) for pair in chosen])


def figures(pairs: list[JudgedPair], weights: Weights) -> dict[str, float | None]:
    """Spearman per posting language, over all, and over the cross-language pairs (per posting language too)."""
    result: dict[str, float | None] = {"all": spearman_of(pairs, weights)}
    for language in LANGUAGES:
        result[language] = spearman_of((pair for pair in pairs if pair.posting_language == language), weights)
    cross = [pair for pair in pairs if pair.cross_language]
    result["cross"] = spearman_of(cross, weights)
    for language in LANGUAGES:
        result[f"cross_{language}"] = spearman_of(
            (pair for pair in cross if pair.posting_language == language), weights
        )
    return result


def coordinate_search(pairs: list[JudgedPair], start: Weights) -> tuple[Weights, float]:
    """The weights the coordinate search ends at on ``pairs`` (see the module docstring) and their Spearman."""
    best, best_score = start, spearman_of(pairs, start) or 0.0
    changed = True
    while changed:
        changed = False
        for name, values in CANDIDATES.items():
            round_best, round_score = best, best_score
            for value in values:
                candidate = best.with_value(name, value)
                if sum(candidate.base.values()) == 0:
                    continue
                score = spearman_of(pairs, candidate) or 0.0
                if score > round_score:
                    round_best, round_score = candidate, score
            if round_score >= best_score + MIN_GAIN:
                best, best_score, changed = round_best, round_score, True
    return best, best_score


def weights_tune(*, dataset: EvaluationSet, progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Tunes on the tune half for each MET_COVERAGE candidate, keeps the best, and reports both halves' figures for
    the current and the tuned weights."""
    from predictions.evaluation.matching.runner import documents_read_and_match
    from predictions.match import judges

    halves = posting_split(dataset)
    start = weights_current()
    by_coverage: dict[Fraction, list[JudgedPair]] = {}
    saved = judges.MET_COVERAGE
    try:
        for coverage in MET_COVERAGE_CANDIDATES:
            judges.MET_COVERAGE = coverage
            _results, matches = documents_read_and_match(dataset=dataset, split="all")
            by_coverage[coverage] = [
                judged_pair(pair, match, dataset=dataset, split=halves[pair.posting]) for pair, match in matches
            ]
    finally:
        judges.MET_COVERAGE = saved
    untuned_pairs = by_coverage[start.met_coverage]
    best: Weights = start
    best_score = spearman_of([p for p in untuned_pairs if p.split == "tune"], start) or 0.0
    for coverage, pairs in by_coverage.items():
        tune = [pair for pair in pairs if pair.split == "tune"]
        found, score = coordinate_search(tune, replace(start, met_coverage=coverage))
        if progress:
            progress(f"met_coverage {coverage}: tune Spearman {score:.3f} with {found.describe()}")
        if score >= best_score + MIN_GAIN:
            best, best_score = found, score
    tuned_pairs = by_coverage[best.met_coverage]
    return {
        "untuned": start,
        "tuned": best,
        "figures": {
            (label, half): figures([pair for pair in pairs if pair.split == half], weights)
            for label, weights, pairs in (("untuned", start, untuned_pairs), ("tuned", best, tuned_pairs))
            for half in ("tune", "check")
        },
    }
