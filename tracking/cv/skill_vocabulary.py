"""ESCO's skill labels in English, German, French and Spanish as a second extraction vocabulary.

The keyword index reads products and curated concepts (O*NET technology skills, ``concepts.csv``); this vocabulary
reads the methods, procedures and professional skills ESCO names ("root cause analysis", "Tourenplanung",
"contratación pública"). ``data/reference/esco_multilingual/skill_vocabulary.csv`` (built by its
``build_skill_vocabulary.py``; see the SOURCE.md) keeps only the noun phrases a CV writes, without soft skills and
languages.

Labels are matched on whole tokens, each token reduced by the Snowball stemmer of the label's language, so plural
and case endings meet ("Toleranzanalysen" / "Toleranzanalyse", "conciliaciones bancarias" / "conciliación
bancaria"). A text is read in English and in the languages it was detected in. Pure: reads one file, no ORM.
"""

from __future__ import annotations

import csv
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from tracking.cv.tokens import token_matches

VOCABULARY_PATH = (
    Path(__file__).resolve().parents[2] / "data" / "reference" / "esco_multilingual" / "skill_vocabulary.csv"
)
ESCO_SKILL_URI = "http://data.europa.eu/esco/skill/"
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}
MIN_STEM_CHARS = 3  # a stem shorter than this ("us", "de") is too ambiguous to start a label
# One-word ESCO labels are mostly disciplines and ordinary nouns ("mathematics", "logistics", "morality"):
# read, they were wrong far more often than right, so a label needs two words. One-word skills are products and
# curated concepts (the keyword index). German compounds are the exception: one long word names a specific skill
# ("Qualitätsmanagement", "Finanzbuchhaltung").
MIN_LABEL_TOKENS = 2
MIN_COMPOUND_CHARS = 12


@dataclass(frozen=True)
class VocabularyEntry:
    uri: str
    name: str  # the English label to show
    tokens: int


@dataclass
class Vocabulary:
    labels: dict[str, dict[str, VocabularyEntry]]  # language -> stemmed label -> entry
    longest: dict[str, dict[str, int]]  # language -> first stem -> longest label in tokens


_stem_lock = threading.Lock()


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=400_000)
def stem(language: str, token: str) -> str:
    """The token case-folded, with accents kept, reduced by ``language``'s Snowball stemmer (digits and names such
    as "C++" as written)."""
    folded = token.casefold()
    if not folded.isalpha():
        return folded
    with _stem_lock:  # snowballstemmer objects are not thread-safe
        return _stemmer(language).stemWord(folded)


def label_stems(label: str, language: str) -> tuple[str, ...]:
    normalized = unicodedata.normalize("NFKC", label.replace("-", " "))
    return tuple(stem(language, match.group(0)) for match in token_matches(normalized))


@lru_cache(maxsize=1)
def vocabulary_load(path: Path = VOCABULARY_PATH) -> Vocabulary:
    vocabulary = Vocabulary(labels={language: {} for language in STEMMERS}, longest={lang: {} for lang in STEMMERS})
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            language = row["language"]
            for label in row["labels"].split(" | "):
                stems = label_stems(label, language)
                if len(stems[0] if stems else "") < MIN_STEM_CHARS or (
                    len(stems) < MIN_LABEL_TOKENS and not (language == "de" and len(label) >= MIN_COMPOUND_CHARS)
                ):
                    continue
                key = " ".join(stems)
                entries = vocabulary.labels[language]
                known = entries.get(key)
                if known is not None:
                    # The same words for two concepts: the first (by URI) keeps them; of one concept's spellings
                    # the shortest is shown ("graphic design", not "graphic designing").
                    if known.uri == ESCO_SKILL_URI + row["esco"] and language == "en" and len(label) < len(known.name):
                        entries[key] = VocabularyEntry(uri=known.uri, name=label, tokens=known.tokens)
                    continue
                # An English label is shown as written ("lesson plans"); another language's under the concept's
                # English name.
                name = label if language == "en" else row["name"]
                entries[key] = VocabularyEntry(uri=ESCO_SKILL_URI + row["esco"], name=name, tokens=len(stems))
                longest = vocabulary.longest[language]
                longest[stems[0]] = max(longest.get(stems[0], 0), len(stems))
    return vocabulary


@dataclass(frozen=True)
class VocabularyMatch:
    entry: VocabularyEntry
    start: int  # token positions in the line, end exclusive
    end: int


def line_matches(tokens: list, languages: tuple[str, ...], taken: list[bool]) -> list[VocabularyMatch]:
    """The labels on one line's ``tokens``, longest first at each position, skipping tokens already ``taken`` by
    the keyword index (its products and concepts win over ESCO's wording)."""
    vocabulary = vocabulary_load()
    found: list[VocabularyMatch] = []
    words = [token.group(0) for token in tokens]
    for language in languages:
        entries, longest = vocabulary.labels[language], vocabulary.longest[language]
        stems = [stem(language, word) for word in words]
        position = 0
        while position < len(stems):
            step = 1
            for length in range(min(longest.get(stems[position], 0), len(stems) - position), 0, -1):
                if any(taken[position : position + length]):
                    continue
                entry = entries.get(" ".join(stems[position : position + length]))
                if entry is not None:
                    found.append(VocabularyMatch(entry, position, position + length))
                    taken[position : position + length] = [True] * length
                    step = length
                    break
            position += step
    return found
