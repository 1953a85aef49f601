"""Skill concepts: one skill across languages and across O*NET's variant spellings.

``data/reference/skill_concepts/concepts.csv`` (written for CVPlus; see its SOURCE.md) names each concept once with
the O*NET names it collapses ("Structured query language SQL" and "Structure query language SQL" are "SQL"), the
ESCO concept its labels come from where ESCO has one, a display label per shipped language, the other ways CVs
write it in any language ("maschinelles Lernen", "apprentissage automatique", "機械学習" are all machine learning),
and the industries (``market.industries`` codes) whose CVs and postings commonly list it, so that skills can later be
weighted per industry. The ``industries`` column is optional: a file without it loads with no industries.

A skill found in text keeps one identity per concept (``taxonomy``, ``key``): the O*NET key of its first O*NET name
when it has one (so industry weights and the career paths, which are O*NET's, still apply), else the ESCO URI, else
``("cvplus", concept id)``. Pure: reads one file, no ORM.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.utils import translation

CONCEPTS_PATH = Path(__file__).resolve().parents[2] / "data" / "reference" / "skill_concepts" / "concepts.csv"
LANGUAGES = ("en", "de", "fr", "es", "ja")
ESCO_SKILL_URI = "http://data.europa.eu/esco/skill/"
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")


@dataclass(frozen=True)
class Concept:
    concept_id: str
    onet_names: tuple[str, ...]
    esco_uri: str
    labels: dict[str, str] = field(hash=False)  # language -> display label
    aliases: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()  # CVPlus industry codes (market.industries) whose CVs and postings list it

    def written_forms(self) -> tuple[str, ...]:
        """Every way the concept is written, labels first, each once."""
        return tuple(dict.fromkeys((*self.labels.values(), *self.aliases)))


@lru_cache(maxsize=1)
def concepts_load(path: Path = CONCEPTS_PATH) -> tuple[Concept, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Concept(
            concept_id=row["concept"].strip(),
            onet_names=tuple(name.strip() for name in row["onet"].split("|") if name.strip()),
            esco_uri=ESCO_SKILL_URI + row["esco"].strip() if row["esco"].strip() else "",
            labels={language: row[language].strip() for language in LANGUAGES if row[language].strip()},
            aliases=tuple(alias.strip() for alias in row["aliases"].split("|") if alias.strip()),
            industries=tuple(code.strip() for code in (row.get("industries") or "").split("|") if code.strip()),
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def concept_industries() -> dict[str, tuple[str, ...]]:
    """Concept id -> the industry codes whose CVs and postings commonly list it (empty for a concept the file gives
    none, e.g. a file written before the column existed)."""
    return {concept.concept_id: concept.industries for concept in concepts_load()}


@lru_cache(maxsize=1)
def _labels_by_concept() -> dict[str, dict[str, str]]:
    return {concept.concept_id: concept.labels for concept in concepts_load()}


def skill_label(skill: dict, language: str | None = None) -> str:
    """The name to show for a skill found in text, in ``language`` (default: the active one): the concept's label
    in that language, else its English one, else the skill's own display label, else its reference-data name. An
    O*NET skill's label is cleaned again, so a CV read before the cleaning improved shows today's label."""
    language = (language or translation.get_language() or "en").split("-")[0]
    labels = _labels_by_concept().get(skill.get("concept") or "")
    if labels:
        return labels.get(language) or labels.get("en") or skill.get("name", "")
    label = skill.get("label") or skill.get("name", "")
    return display_label(label) if skill.get("taxonomy") == "onet" else label


def display_label(name: str) -> str:
    """A reference-data skill name as a CV writes it: "Structured query language SQL" -> "SQL", "Amazon Web Services
    AWS software" -> "AWS", "Failure mode and effects analysis FMEA software" -> "FMEA", "Oracle Java software" ->
    "Oracle Java"; other names unchanged. Idempotent: a label is its own label."""
    words = name.split()
    if len(words) >= 3 and words[-1].casefold() == "software" and words[-2][:1].isupper():
        words = words[:-1]
    if len(words) >= 3 and _ACRONYM_RE.match(words[-1]):
        letters = [char for char in words[-1].casefold() if char.isalpha()]
        initials = "".join(word[0].casefold() for word in words[:-1])
        if letters and ("".join(letters) in initials or _spells_acronym("".join(letters), words[:-1])):
            return words[-1]
    return " ".join(words)


# Words an acronym may skip or take a letter from ("Failure mode and effects analysis FMEA").
_ACRONYM_OPTIONAL_WORDS = frozenset("a an and at by for in of on or the to with".split())


def _spells_acronym(letters: str, words: list[str]) -> bool:
    """Whether ``letters`` are the name's own acronym: read in order, each word (split at hyphens) giving one or more
    letters, the first at its start ("eXtensible" gives its x), later ones from inside it ("DataBase", "Secure
    SHell"); joining words ("and", "of") may give none. A vendor's name before the acronym gives none of its letters,
    so "Scientific Software Group DTM" keeps its name."""
    parts = [part.casefold() for word in words for part in word.split("-") if part]
    if not parts or not all(part.isalpha() for part in parts):
        return False

    @cache
    def spells(letter_at: int, part_at: int) -> bool:
        if part_at == len(parts):
            return letter_at == len(letters)
        part = parts[part_at]
        if part in _ACRONYM_OPTIONAL_WORDS and spells(letter_at, part_at + 1):
            return True
        first = 1 if part.startswith("ex") and letters[letter_at : letter_at + 1] == "x" else 0
        if letter_at == len(letters) or part[first] != letters[letter_at]:
            return False
        letter_at, position = letter_at + 1, first + 1
        while True:  # the word gives its first letter and possibly more, each further one found further inside it
            if spells(letter_at, part_at + 1):
                return True
            if letter_at == len(letters):
                return False
            position = part.find(letters[letter_at], position)
            if position < 0:
                return False
            letter_at, position = letter_at + 1, position + 1

    return spells(0, 0)


JAPANESE_TITLES_PATH = CONCEPTS_PATH.with_name("titles_ja.csv")


@lru_cache(maxsize=1)
def japanese_titles(path: Path = JAPANESE_TITLES_PATH) -> tuple[tuple[str, str], ...]:
    """(Japanese job title, O*NET-SOC code): job tag's titles and a few CV titles, crosswalked to O*NET by CVPlus
    (job tag has no link to O*NET occupations; see the SOURCE.md)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple((row["title"].strip(), row["onet_code"].strip()) for row in csv.DictReader(handle))
