"""Degree requirements and the CV's degrees, in the five languages, for the match. Pure: no ORM, no I/O.

A degree requirement names a level (bachelor, master, doctorate; a bare "degree", "Studium" or "学位" is a bachelor)
and often subjects ("Bachelor's in Statistics, CS, Mathematics") and "or related field". A CV degree at that level or
higher in one of the subjects meets it (a B.S. in Mathematics plus an M.S. in Statistics fully meets "Bachelor's in
Statistics, CS, Mathematics or related field"); with "related field", a degree in a neighbouring quantitative subject
meets it too. A degree at the level in another subject, or in a subject at a lower level, partly meets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BACHELOR, MASTER, DOCTORATE = 1, 2, 3
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        DOCTORATE,
        re.compile(r"\b(?:ph\.?\s?d|doctorate|doctoral|promotion|doktor|dr\. rer|doctorat|doctorado)\b|博士", re.I),
    ),
    (
        MASTER,
        re.compile(
            r"\b(?:master'?s?|m\.\s?sc\.?|msc|m\.\s?s\.|m\.\s?a\.|mba|m\.\s?eng|diplom|diplom-\w+|máster|magister|"
            r"bac\s*\+\s*5|dipl\.-\w+)(?![\w])|修士|大学院",
            re.I,
        ),
    ),
    (
        BACHELOR,
        re.compile(
            r"\b(?:bachelor'?s?|b\.\s?sc\.?|bsc|b\.\s?s\.|b\.\s?a\.|b\.\s?eng|undergraduate|licence|licenciatura|"
            r"grado|bac\s*\+\s*3|degree|university degree|studium|hochschulabschluss|hochschulstudium|"
            r"diplôme|título universitario|titulación|graduado)(?![\w])|学士|学位|大卒|大学卒業|学部",
            re.I,
        ),
    ),
)
RELATED_RE = re.compile(
    r"\b(?:related (?:field|discipline|subject|area)|or similar|or equivalent|quantitative (?:field|discipline)|"
    r"vergleichbar\w*|ähnlich\w*|verwandt\w*|domaine connexe|équivalent|similaire|afín|afines|similar|"
    r"equivalente)\b|など|等|関連分野|相当",
    re.I,
)
# Subjects close enough that "or related field" lets one stand for another.
QUANTITATIVE = frozenset(
    {"statistics", "mathematics", "computer science", "data science", "physics", "economics", "engineering"}
)


@dataclass(frozen=True)
class Degree:
    level: int
    subjects: frozenset[str]  # concepts (see predictions.match.concepts) or stems of the subject words
    related: bool  # "or related field"
    text: str


def degree_words_drop(text: str) -> str:
    """The text without the words that name a level ("Master of Science Statistik" -> " of Science Statistik")."""
    for _level, pattern in _LEVELS:
        text = pattern.sub(" ", text)
    return text


def degree_level(text: str) -> int | None:
    """The lowest degree level a text names ("Master oder Diplom" -> master; "Bachelor's or Master's" ->
    bachelor), or None when it names none."""
    levels = [level for level, pattern in _LEVELS if pattern.search(text)]
    return min(levels) if levels else None


def degree_read(text: str, *, subjects: frozenset[str]) -> Degree | None:
    """A degree line with its subjects (found by the caller, who knows the concepts and stems), or None."""
    level = degree_level(text)
    if level is None:
        return None
    return Degree(level, subjects, bool(RELATED_RE.search(text)), text)


def degree_status(asked: Degree, held: list[Degree]) -> tuple[str, list[Degree]]:
    """("met" | "partial" | "missing", the CV degrees that show it)."""
    at_level = [degree for degree in held if degree.level >= asked.level]
    if not asked.subjects:
        return ("met", at_level[:1]) if at_level else (("partial", held[:1]) if held else ("missing", []))
    in_subject = [degree for degree in held if degree.subjects & asked.subjects]
    met = [degree for degree in at_level if degree.subjects & asked.subjects]
    if not met and asked.related and asked.subjects & QUANTITATIVE:
        met = [degree for degree in at_level if degree.subjects & QUANTITATIVE]
    if met:
        # Every degree that counts: "B.S. in Mathematics" and "M.S. in Statistics" both show it.
        shown = [degree for degree in held if degree in met or degree in in_subject]
        return "met", shown[:2]
    if at_level or in_subject:
        return "partial", (in_subject or at_level)[:2]
    return "missing", []
