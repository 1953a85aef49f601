"""Metric functions for the matching evaluation. Pure: no ORM, no I/O.

Skills are compared as normalised canonical labels (``skill_keys``): NFKC, case-folded, punctuation other than
``+ #`` dropped, a trailing "software" dropped, a final "s" dropped from words of four letters or more (not "ss"),
and a product's vendor dropped ("Microsoft Excel" is "excel"). A predicted skill name also stands for its trailing
acronym and for the words before it, O*NET's way of writing names ("Structure query language SQL" is "sql" and
"structure query language"). A gold skill is known by its canonical label, the other names ``skills.yaml`` gives it
and the surface form written in that document. A prediction is correct when one of its keys is one of the gold
skill's keys; the acronym and the words before it are compared with the label and the listed names only, never with
the surface form, so a short acronym the text happens to contain ("SEA") does not vouch for a wrong skill ("Statistical
energy analysis SEA"). Predictions that land on the same gold skill count once.

Requirement phrases are matched one to one, best pair first, within the same kind (must-have with must-have,
nice-to-have with nice-to-have): similarity is rapidfuzz's ``token_set_ratio`` of the normalised phrases when the
shorter is at least half as long as the longer, else plain ``ratio`` (so a lone word never matches a whole line), and
a pair matches at ``REQUIREMENT_MIN_SIMILARITY`` or more.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

REQUIREMENT_MIN_SIMILARITY = 80
REQUIREMENT_MIN_LENGTH_SHARE = 0.5
# Vendors whose names a CV usually leaves out ("Excel" for "Microsoft Excel"); Google and Amazon are not here because
# their names are part of the product's ("Google Ads", "Amazon EKS").
SKILL_VENDORS = ("microsoft", "adobe", "autodesk", "atlassian", "apache", "intuit", "the mathworks", "oracle")
_NON_WORD_RE = re.compile(r"[^\w+#]+")
# British and American spellings of one word are one name ("financial modelling" is "financial modeling"): ESCO and
# the concept labels write British English, the annotations American.
BRITISH_SPELLINGS = {
    "licence": "license", "licences": "licenses", "modelling": "modeling", "labelling": "labeling",
    "travelling": "traveling", "organisation": "organization", "organisational": "organizational",
    "optimisation": "optimization", "analyse": "analyze", "catalogue": "catalog", "centre": "center",
}  # fmt: skip
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")


@dataclass(frozen=True)
class Counts:
    """True positives against the sizes of the predicted and the gold sets; ratios are None when undefined."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.correct + other.correct, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None


def counts_sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for count in counts:
        total += count
    return total


def text_normalise(text: str) -> str:
    """NFKC, case-folded, punctuation other than ``+ #`` turned into single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def skill_key(name: str) -> str:
    words = [BRITISH_SPELLINGS.get(word, word) for word in text_normalise(name).split()]
    if len(words) > 1 and words[-1] == "software":
        words = words[:-1]
    joined = " ".join(words)
    for vendor in SKILL_VENDORS:
        if joined.startswith(vendor + " ") and len(joined) > len(vendor) + 1:
            joined = joined[len(vendor) + 1 :]
            break
    return " ".join(word[:-1] if len(word) >= 4 and word.endswith("s") and not word.endswith("ss") else word
                    for word in joined.split())  # fmt: skip


def skill_keys(name: str) -> tuple[str, frozenset[str]]:
    """The key of a predicted skill name, and the keys of its trailing acronym and of the words before it
    ("Amazon Web Services AWS software" -> "web service aw" and {"aw", "amazon web service"})."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() == "software":
        words = words[:-1]
    parts: set[str] = set()
    if len(words) >= 2 and _ACRONYM_RE.match(words[-1]):
        parts = {skill_key(words[-1]), text_normalise(" ".join(words[:-1]))}
        parts = {skill_key(part) for part in parts}
    return skill_key(name), frozenset(part for part in parts if part)


def skills_compare(
    predicted_names: Iterable[str], gold: dict[str, str], aliases: dict[str, Sequence[str]]
) -> tuple[Counts, list[str], list[str], list[str]]:
    """Counts for one document, with the gold labels found, the predicted names that matched nothing and the gold
    labels missed. ``gold`` maps canonical label -> surface form as written; ``aliases`` canonical label -> other
    names."""
    own = {label: skill_key(label) for label in gold}
    named = {label: {own[label], *(skill_key(name) for name in aliases.get(label, ()))} for label in gold}
    written = {label: skill_key(surface) for label, surface in gold.items()}
    found: dict[str, None] = {}
    wrong: dict[str, str] = {}  # key -> the first name predicted with it
    for name in dict.fromkeys(predicted_names):
        key, parts = skill_keys(name)
        # The closest reading wins: the label itself, a listed name, the surface form, then the acronym or words; a
        # label not found yet before one already found.
        closeness = {
            label: rank
            for label in gold
            if (
                rank := 0 if key == own[label] else 1 if key in named[label] else 2 if key == written[label]
                else 3 if parts & named[label] else None
            ) is not None
        }  # fmt: skip
        match = min(closeness, key=lambda label: (label in found, closeness[label]), default=None)
        if match is None:
            wrong.setdefault(key or name, name)
        else:
            found.setdefault(match, None)
    missed = [label for label in gold if label not in found]
    counts = Counts(correct=len(found), predicted=len(found) + len(wrong), gold=len(gold))
    return counts, list(found), list(wrong.values()), missed


def phrase_similarity(first: str, second: str) -> float:
    a, b = text_normalise(first), text_normalise(second)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) / max(len(a), len(b)) >= REQUIREMENT_MIN_LENGTH_SHARE:
        return fuzz.token_set_ratio(a, b)
    return fuzz.ratio(a, b)


def phrases_match(predicted: Sequence[str], gold: Sequence[str]) -> list[tuple[int, int]]:
    """One-to-one (predicted position, gold position) matches, the most similar pair first (ties: earliest)."""
    scored = sorted(
        (
            (-phrase_similarity(p_text, g_text), p_position, g_position)
            for p_position, p_text in enumerate(predicted)
            for g_position, g_text in enumerate(gold)
        ),
    )
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    matches = []
    for negative_similarity, p_position, g_position in scored:
        if -negative_similarity < REQUIREMENT_MIN_SIMILARITY:
            break
        if p_position in used_predicted or g_position in used_gold:
            continue
        used_predicted.add(p_position)
        used_gold.add(g_position)
        matches.append((p_position, g_position))
    return matches


def requirements_compare(predicted: dict[str, Sequence[str]], gold: dict[str, Sequence[str]]) -> Counts:
    """Counts over both lists of a posting; a phrase counts only in its own kind (must-have or nice-to-have)."""
    total = Counts()
    for kind in ("must_have", "nice_to_have"):
        predicted_phrases = [phrase for phrase in predicted.get(kind) or [] if phrase.strip()]
        gold_phrases = list(gold.get(kind) or [])
        matched = phrases_match(predicted_phrases, gold_phrases)
        total += Counts(correct=len(matched), predicted=len(predicted_phrases), gold=len(gold_phrases))
    return total


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda position: values[position])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1
        for position in order[start : end + 1]:
            result[position] = mean_rank
        start = end + 1
    return result


def spearman(first: Sequence[float], second: Sequence[float]) -> float | None:
    """Spearman's rank correlation (Pearson's on mid-ranks, so ties are handled); None for fewer than three pairs or
    when either side is constant."""
    if len(first) != len(second):
        raise ValueError("spearman: the two sequences differ in length")
    if len(first) < 3:
        return None
    rank_a, rank_b = ranks(first), ranks(second)
    mean_a, mean_b = sum(rank_a) / len(rank_a), sum(rank_b) / len(rank_b)
    covariance = sum((a - mean_a) * (b - mean_b) for a, b in zip(rank_a, rank_b, strict=True))
    spread_a = math.sqrt(sum((a - mean_a) ** 2 for a in rank_a))
    spread_b = math.sqrt(sum((b - mean_b) ** 2 for b in rank_b))
    if spread_a == 0 or spread_b == 0:
        return None
    return covariance / (spread_a * spread_b)


def occupation_correct(
    *, taxonomy: str | None, code: str | None, isco_group: str | None, soc: Sequence[str], isco: Sequence[str]
) -> bool:
    """An O*NET occupation is right when its code starts with an accepted SOC code ("15-2051.01" for "15-2051"); an
    ESCO occupation when its ISCO-08 unit group is accepted. No occupation is never right."""
    if taxonomy == "onet" and code:
        return any(code.startswith(accepted) for accepted in soc)
    if taxonomy == "esco" and isco_group:
        return isco_group in isco
    return False
