"""Skills and job titles in CV text, matched against the keyword index.

Matching is pure Python over dicts and sets, and deliberately conservative: a skill is found only on whole tokens and
only when the text satisfies the alias's case rule (see ``keyword_index``); a job title only in the CV's first lines
and in the heads of experience entries, never in a bullet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

from tracking.cv.keyword_index import (
    ANY_CASE,
    CAPITALISED,
    MAX_NGRAM_TOKENS,
    MAX_TITLE_WORDS,
    SENIORITY_WORDS,
    TITLE_STOP_WORDS,
    UPPER,
    Alias,
    KeywordIndex,
    TitleRef,
    title_tokens,
    token_matches,
    word_stem,
)

TITLE_MIN_SCORE = 90
# Distinct segments looked up per text, in reading order (the headline, then the experience entries, newest first in
# a usual CV). A fuzzy lookup of common title words ("Assistant Manager Technician Operator") reads thousands of
# titles (~35 ms here), so 100,000 characters of such lines cost ~60 s; 50 lookups bound a CV's titles to ~2 s while
# leaving room for about 25 roles, far more than a CV lists.
MAX_TITLE_SEGMENTS = 50
TITLE_TOKEN_MIN_SCORE = 88
HEADLINE_LINES = 5
BULLETS = frozenset("-–—•*·▪►✓o")
_LIST_SEPARATORS = frozenset(",;/|()[]:•·–—-*&+\t")
_TITLE_SPLIT_RE = re.compile(
    r"\s+(?:at|@|bei|chez|en|para|für|for|with)\s+|\s[-–—|·•]\s|[,;|()\t•·]|\s{2,}|:\s", re.IGNORECASE
)


# ---------------------------------------------------------------------------------------------------------------------
# Matching skills
# ---------------------------------------------------------------------------------------------------------------------
def _in_list_context(line: str, start: int, end: int) -> bool:
    before = line[:start].rstrip(" ")
    after = line[end:].lstrip(" ")
    return (not before or before[-1] in _LIST_SEPARATORS) and (not after or after[0] in _LIST_SEPARATORS)


def _case_ok(alias: Alias, surface: str, line: str, start: int, end: int) -> bool:
    if alias.case_rule == ANY_CASE:
        return True
    if alias.case_rule == CAPITALISED:
        first_letter = next((char for char in surface if char.isalpha()), "")
        return first_letter.isupper()
    if alias.case_rule == UPPER:
        return surface == surface.upper()
    return surface == alias.written and _in_list_context(line, start, end)


def skills_match(text: str, *, index: KeywordIndex) -> list[dict]:
    """Skills in ``text`` in order of first mention, each once: {name, key, taxonomy, evidence, matched_text}.

    At each position the longest alias wins, so "Microsoft SQL Server" is one skill, not also "SQL".
    """
    found: dict[tuple[str, str], dict] = {}
    for raw_line in text.splitlines():
        line = unicodedata.normalize("NFKC", raw_line)
        matches = token_matches(line)
        stems = [word_stem(match.group(0).casefold()) for match in matches]
        position = 0
        while position < len(matches):
            step = 1
            for length in range(min(MAX_NGRAM_TOKENS, len(matches) - position), 0, -1):
                alias = index.aliases.get(" ".join(stems[position : position + length]))
                if alias is None:
                    continue
                start, end = matches[position].start(), matches[position + length - 1].end()
                surface = line[start:end]
                if not _case_ok(alias, surface, line, start, end):
                    continue
                skill = alias.skill
                found.setdefault(
                    (skill.taxonomy, skill.key),
                    {
                        "name": skill.name,
                        "key": skill.key,
                        "taxonomy": skill.taxonomy,
                        "evidence": line.strip()[:300],
                        "matched_text": surface,
                    },
                )
                step = length
                break
            position += step
    return list(found.values())


# ---------------------------------------------------------------------------------------------------------------------
# Matching job titles
# ---------------------------------------------------------------------------------------------------------------------
def _title_segments(line: str) -> list[str]:
    segments = []
    for part in _TITLE_SPLIT_RE.split(unicodedata.normalize("NFKC", line)):
        part = part.strip(" .-–—*•")
        words = part.split()
        if words and len(words) <= MAX_TITLE_WORDS and any(char.isalpha() for char in part):
            segments.append(part)
    return segments


def _covered(words: Iterable[str], by: list[str]) -> bool:
    return all(any(fuzz.ratio(word, other) >= TITLE_TOKEN_MIN_SCORE for other in by) for word in words)


def _title_find(segment: str, index: KeywordIndex) -> TitleRef | None:
    """Exact normalized title (as written, then without seniority words), else the closest fuzzy title whose words
    and the segment's words cover each other: "Senior Sofware Engineer" finds "software engineer", while a bullet
    such as "introduced ML models" does not find "Models"."""
    tokens = title_tokens(segment)
    unranked = [token for token in tokens if token not in SENIORITY_WORDS] or list(tokens)
    for candidate in (tokens, unranked):
        exact = index.titles_exact.get(" ".join(candidate))
        if exact is not None:
            return exact
    content = [token for token in unranked if token not in TITLE_STOP_WORDS]
    if not content:
        return None
    best: tuple[tuple, TitleRef] | None = None
    segment_text = " ".join(content)
    for position in index.title_candidates(content):
        ref = index.titles[position]
        if not (_covered(ref.tokens, content) and _covered(content, list(ref.tokens))):
            continue
        score = fuzz.token_set_ratio(segment_text, " ".join(ref.tokens))
        if score < TITLE_MIN_SCORE:
            continue
        rank = (score, len(ref.tokens), -position)
        if best is None or rank > best[0]:
            best = (rank, ref)
    return best[1] if best else None


def titles_match(*, text: str, sections: list[dict], index: KeywordIndex) -> list[dict]:
    """Job titles in the CV's first lines and experience sections:
    {title_as_written, occupation_code, occupation_title, taxonomy, evidence}, each occupation once. At most
    ``MAX_TITLE_SEGMENTS`` distinct segments are looked up, the first in reading order."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADLINE_LINES]
    for section in sections:
        if section["kind"] == "experience":
            lines.extend(line for line in section["text"].splitlines() if line.strip())
    found: dict[tuple[str, str], dict] = {}
    looked_up: dict[str, TitleRef | None] = {}
    for line in lines:
        if line.lstrip()[:1] in BULLETS:
            continue  # a bullet describes the work; titles head the entries
        for segment in _title_segments(line):
            if segment not in looked_up:
                if len(looked_up) == MAX_TITLE_SEGMENTS:
                    return list(found.values())
                looked_up[segment] = _title_find(segment, index)
            ref = looked_up[segment]
            if ref is None:
                continue
            found.setdefault(
                (ref.taxonomy, ref.occupation_code),
                {
                    "title_as_written": segment,
                    "occupation_code": ref.occupation_code,
                    "occupation_title": ref.occupation_title,
                    "taxonomy": ref.taxonomy,
                    "evidence": line.strip()[:300],
                },
            )
    return list(found.values())
