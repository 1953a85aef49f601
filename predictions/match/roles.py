"""The CV's dated roles and the years a requirement asks for ("3+ years as a data scientist", "mindestens 3 Jahre",
"3 ans d'expérience", "al menos 3 años", "3年以上"), for the match. Pure: no ORM, no I/O.

A role is a line of the experience section holding a date range in any format ``tracking.cv.sections.date_ranges``
reads ("03/2019 – heute", "2019年4月～現在", "(2019 – Present)", "janv. 2020 – aujourd'hui", "2018 – actualidad"). Its
evidence is that line (or, when the line holds only the dates, the line above it, the title): never the contact line.
Years are whole years of the months the relevant roles cover, overlaps counted once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracking.cv.sections import date_ranges, experience_years

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
                 "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5}  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_YEAR_UNITS = r"(?:(?:years?|yrs?|jahre|jahren|jahr|ans?|années?|años?|anos?)\b|年)"
# Possessive ``*+``/``++`` runs of spaces: a run is always taken whole, so a long run of blanks is never retried
# from every position in it (quadratic: 10,000 spaces took 3 s with the old pattern).
YEARS_RE = re.compile(
    r"(?:(?:at\s++least|minimum(?:\s++of)?|min\.?|over|mindestens|au\s++moins|al\s++menos|mínimo)\s*+)?"
    rf"(?<![\d.,/]){_NUMBER}\s*+(?:\+\s*+)?(?:(?:-|–|to|bis|à|a)\s*+\d{{1,2}}\s*+)?(?:\+\s*+)?{_YEAR_UNITS}",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]{3,}|[\u3040-\u30ff\u4e00-\u9fff]{2,}")
_DATE_WORDS = re.compile(
    r"\b(?:present|current|now|today|heute|aktuell|aujourd'hui|actuel|actualidad|actual|presente|since|seit|"
    r"depuis|desde|until|bis|jan\w*|feb\w*|f[ée]v\w*|m[äa]r\w*|apr\w*|avr\w*|abr\w*|ma[iy]\w*|jun\w*|jui\w*|"
    r"jul\w*|aug\w*|ao[uû]t|ago\w*|sep\w*|o[ck]t\w*|nov\w*|d[ée][cz]\w*|dic\w*|ene\w*)\b|現在|年|月",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DatedRole:
    line: str  # the role as the CV writes it: title, employer and dates (the evidence)
    context: str  # that line, its title line when the dates stand alone, and the lines under it
    intervals: tuple[tuple[int, int], ...]  # (first, last) month numbers


_YEARS_HINT = re.compile(r"\d|(?<!\w)(?:" + "|".join(_NUMBER_WORDS) + r")(?!\w)", re.IGNORECASE)


def years_asked_in(text: str) -> int | None:
    """The most years one line asks for ("5+ years", "at least five years", "3-5 years" -> 3), or None."""
    if _YEARS_HINT.search(text) is None:
        return None  # no number: the full pattern, tried at every position, need not run
    best: int | None = None
    for match in YEARS_RE.finditer(text):
        value = match.group(1).casefold()
        years = int(value) if value.isdigit() else _NUMBER_WORDS[value]
        if 0 < years <= 40 and (best is None or years > best):
            best = years
    return best


def _has_words(line: str) -> bool:
    return bool(_LETTERS.search(_DATE_WORDS.sub(" ", line)))


def dated_roles(sections: list[dict], *, today: date) -> list[DatedRole]:
    """The roles of the experience sections (of every section but the header and education when there is none),
    in the CV's order."""
    chosen = [section for section in sections if section.get("kind") == "experience"]
    if not chosen:
        chosen = [section for section in sections if section.get("kind") not in ("header", "education")]
    roles: list[DatedRole] = []
    for section in chosen:
        lines = [line.strip() for line in str(section.get("text", "")).splitlines() if line.strip()]
        starts: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        for position, line in enumerate(lines):
            intervals = tuple(date_ranges(line, today=today))
            if intervals:
                starts.append((position, intervals))
        for number, (position, intervals) in enumerate(starts):
            line = lines[position]
            previous_is_role = number > 0 and starts[number - 1][0] == position - 1
            title_above = position > 0 and not _has_words(line) and not previous_is_role
            shown = f"{lines[position - 1]} · {line}" if title_above else line
            end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
            if number + 1 < len(starts) and not _has_words(lines[end]) and end - 1 > position:
                end -= 1  # the next role's title line, above its dates
            context = "\n".join([shown, *lines[position + 1 : end]])
            roles.append(DatedRole(shown, context, intervals))
    return roles


def years_covered(roles: list[DatedRole], *, today: date) -> int:
    """Whole years the roles cover, overlaps counted once (read again from their lines, the way the CV parser counts a
    CV's years: ``tracking.cv.sections.experience_years``)."""
    text = "\n".join(role.line for role in roles)
    return experience_years([{"kind": "experience", "text": text}], today=today) or 0
