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

from predictions.match.degrees import degree_level
from tracking.cv.keyword_index import (
    ANY_CASE,
    CAPITALISED,
    MAX_TITLE_WORDS,
    SENIORITY_WORDS,
    SHORT,
    TITLE_STOP_WORDS,
    UPPER,
    VENDORS,
    Alias,
    KeywordIndex,
    SkillRef,
    TitleRef,
    title_tokens,
    token_matches,
    word_stem,
)
from tracking.cv.language import language_detect
from tracking.cv.sections import has_contact_details
from tracking.cv.skill_vocabulary import STEMMERS, VocabularyEntry, line_matches
from tracking.cv.tokens import CONTACT_RE, MIN_COMPOUND_CHARS, compound_heads, has_japanese

TITLE_MIN_SCORE = 90
# Distinct segments looked up per text, in reading order (the headline, then the experience entries, newest first in
# a usual CV). A fuzzy lookup of common title words ("Assistant Manager Technician Operator") reads thousands of
# titles (~35 ms here), so 100,000 characters of such lines cost ~60 s; 50 lookups bound a CV's titles to ~2 s while
# leaving room for about 25 roles, far more than a CV lists.
MAX_TITLE_SEGMENTS = 50
TITLE_TOKEN_MIN_SCORE = 88
HEADLINE_LINES = 5
# A one-word title prefix is read only when the word is in at most this many titles ("Disponent" is; "Técnico",
# in hundreds, is not).
MAX_PREFIX_WORD_TITLES = 20
BULLETS = frozenset("-–—•*·▪►✓o")
_LIST_SEPARATORS = frozenset(",;/|()[]:•·–—-*&+\t")
_TITLE_SPLIT_RE = re.compile(
    r"\s+(?:at|@|bei|chez|en|para|für|for|with)\s+|\s[-–—|·•/]\s|[,;|()\t•·]|\s{2,}|:\s", re.IGNORECASE
)
# Gender markers of German, French and Spanish titles: "(m/w/d)", "H/F", "Ingeniero/a", "Consultant(e)",
# "Entwickler:in". They are not words of the title.
_GENDER_MARKER_RE = re.compile(
    r"\(\s*[mwdfhx](?:\s*/\s*[mwdfhx]){1,2}\s*\)|(?<!\w)[mwdfhx](?:/[mwdfhx]){1,2}(?!\w)"
    r"|(?<=[^\W\d_])(?:/(?:a|e|in|ne)|\((?:e|in|ne|a)\)|[:*]in(?:nen)?)(?!\w)",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------------------------------
# Matching skills
# ---------------------------------------------------------------------------------------------------------------------
def _in_list_context(line: str, start: int, end: int) -> bool:
    before = line[:start].rstrip(" ")
    after = line[end:].lstrip(" ")
    return (not before or before[-1] in _LIST_SEPARATORS) and (not after or after[0] in _LIST_SEPARATORS)


_ITEM_CONJUNCTIONS = frozenset("and or und oder et ou y o e".split())  # "lesson planning and classroom management"
_ITEM_SEPARATORS = frozenset(",;/|()[]:•·–—*&+\t.")


def _item_bounded(line: str, start: int, end: int) -> bool:
    """The phrase is a whole item of a list or a heading's value ("Skills: email marketing, typography"; "- Root cause
    analysis"), not words inside a sentence, where ESCO's wording ("survey measurements", "supply chain") mostly
    names a topic the sentence is about rather than a skill the writer has."""
    before = line[:start].rstrip(" ")
    after = line[end:].lstrip(" ")
    before_word = before.rsplit(" ", 1)[-1].casefold()
    after_word = after.split(" ", 1)[0].casefold()
    return (
        not before or before[-1] in _ITEM_SEPARATORS or before[-1] in BULLETS or before_word in _ITEM_CONJUNCTIONS
    ) and (not after or after[0] in _ITEM_SEPARATORS or after_word in _ITEM_CONJUNCTIONS)


_VENDOR_NAMES = frozenset(vendor.casefold() for vendor in VENDORS)
_PERSON_SUFFIXES = ("er", "or", "ist", "ian")


def _maker_of_next_name(surface: str, line: str, end: int) -> bool:
    """The surface is a maker ("Google", "Microsoft") written before another name: the product is the skill."""
    if surface.casefold() not in _VENDOR_NAMES:
        return False
    following = line[end:].lstrip(" ")
    return bool(following) and (following[0].isupper() or has_japanese(following[:1]))


def _person_read_as_thing(surface: str, label: str) -> bool:
    """An English job title read as an ESCO label of the same stems: "Electrical Engineer" is not "electrical
    engines", "Mechanical Engineer" not "mechanism engineering" (a person noun against a thing's)."""
    written, labelled = surface.split()[-1].casefold(), label.split()[-1].casefold()
    if written.rstrip("s") == labelled.rstrip("s") or written[:4] != labelled[:4]:
        return False  # the same word, or words of two families (another language's surface under an English label)
    return written.rstrip("s").endswith(_PERSON_SUFFIXES) and not labelled.rstrip("s").endswith(_PERSON_SUFFIXES)


def _case_ok(alias: Alias, surface: str, line: str, start: int, end: int, length: int) -> bool:
    if length == 1 and surface.casefold() not in alias.forms:
        # One word is read as written, never by its stem: "Present" is not "Presenter", "statistical" not
        # "statistics", "reducing" not "REDUCE".
        return False
    if alias.case_rule == ANY_CASE:
        return True
    if alias.case_rule == CAPITALISED:
        first_letter = next((char for char in surface if char.isalpha()), "")
        return first_letter.isupper()
    if alias.case_rule == UPPER:
        return surface == surface.upper()
    return surface == alias.written and _in_list_context(line, start, end)


MAX_EVIDENCE_CHARS = 300
MAX_SKILL_TEXT_CHARS = 200_000


# The parts of a headline written on one line: "Katrin Hoffmann, Projektmanagement, München, k.h@example.de".
_HEADLINE_PART_RE = re.compile(r"\s[-–—|·•/]\s|[,;|·•\t]|\s{2,}")


def _evidence(line: str, start: int, surface: str) -> str:
    """The line the skill was read on, or in a paragraph longer than ``MAX_EVIDENCE_CHARS`` the part around it. On a
    line with contact details (a headline that runs the name, the specialism and the address together) only the part
    between separators that names the skill: a contact line is never quoted as evidence."""
    if has_contact_details(line):
        part_start = max((match.end() for match in _HEADLINE_PART_RE.finditer(line, 0, start)), default=0)
        part_end = next((match.start() for match in _HEADLINE_PART_RE.finditer(line, start + len(surface))), len(line))
        part = line[part_start:part_end].strip()
        return surface.strip() if has_contact_details(part) else part
    if len(line) <= MAX_EVIDENCE_CHARS:
        return line.strip()
    left = max(0, start - MAX_EVIDENCE_CHARS // 2)
    return line[left : left + MAX_EVIDENCE_CHARS].strip()


def _skill_found(found: dict, alias: Alias, line: str, surface: str, start: int) -> None:
    skill = alias.skill
    identity = (skill.taxonomy, skill.key)
    if identity in found:
        return
    found[identity] = {
        "name": skill.name,
        "label": skill.label or skill.name,
        "concept": skill.concept,
        "key": skill.key,
        "taxonomy": skill.taxonomy,
        "evidence": _evidence(line, start, surface),
        "matched_text": surface,
    }


def _compound_match(token: str, index: KeywordIndex) -> Alias | None:
    """A German compound ending with a concept's one-word label: "Versorgungsdatenanalyse" -> "Datenanalyse"."""
    if not index.compound_heads or not token[:1].isupper():
        return None
    for head in compound_heads(token, frozenset(index.compound_heads)):
        alias = index.aliases.get(head)
        if alias is not None and alias.skill.concept:
            return alias
    return None


def _vocabulary_skill(entry: VocabularyEntry, index: KeywordIndex) -> Alias:
    """The skill an ESCO label stands for: a curated concept's own skill when the concept follows that ESCO skill
    (so "Statistik" read either way is one skill), else the ESCO skill under its English noun label."""
    skill = index.esco_refs.get(entry.uri) or SkillRef(
        name=entry.name, key=entry.uri, taxonomy="esco", label=entry.name
    )
    return Alias(skill=skill, written=entry.name, case_rule=ANY_CASE, priority=3)


def text_languages(text: str) -> tuple[str, ...]:
    """The languages whose ESCO labels are read in ``text``: English always (CVs mix in English terms), and each
    detected language that has a stemmer."""
    detected = language_detect(text)
    return tuple(dict.fromkeys(("en", *(code for code in (detected.code, *detected.mixed) if code in STEMMERS))))


def skills_match(text: str, *, index: KeywordIndex, languages: tuple[str, ...] | None = None) -> list[dict]:
    """Skills in ``text`` in order of first mention, each once: {name, label, concept, key, taxonomy, evidence,
    matched_text}. ``name`` is the reference data's, ``label`` the English one to show (see
    ``tracking.cv.concepts.skill_label`` for the user's language); ``evidence`` is the line it was read on.

    At each position the longest alias wins, so "Microsoft SQL Server" is one skill, not also "SQL". Never raises on
    odd text: binary junk is words that match nothing. Only the first ``MAX_SKILL_TEXT_CHARS`` are read (twice the
    CV read budget's default), so a posting pasted with megabytes of junk costs ~0.5 s, not a minute.
    """
    found: dict[tuple[str, str], dict] = {}
    text = text[:MAX_SKILL_TEXT_CHARS]
    heads = frozenset(index.compound_heads)
    if languages is None:
        languages = text_languages(text) if index.esco_refs is not None else ()
    for raw_line in text.splitlines():
        line = unicodedata.normalize("NFKC", raw_line)
        # A line with an address, a link or a telephone number: only names are read there, never an acronym
        # ("Baltimore, MD" names no skill) nor ESCO's wording.
        contact_line = bool(CONTACT_RE.search(line))
        degree_line = degree_level(line) is not None
        matches = token_matches(line)
        stems = [word_stem(match.group(0).casefold()) for match in matches]
        taken = [False] * len(matches)
        position = 0
        while position < len(matches):
            step = 1
            longest = index.alias_lengths.get(stems[position], 0)
            for length in range(min(longest, len(matches) - position), 0, -1):
                alias = index.aliases.get(" ".join(stems[position : position + length]))
                if alias is None:
                    continue
                start, end = matches[position].start(), matches[position + length - 1].end()
                surface = line[start:end]
                if not _case_ok(alias, surface, line, start, end, length):
                    continue
                if _maker_of_next_name(surface, line, end) or (contact_line and alias.case_rule in (UPPER, SHORT)):
                    continue  # "Google BigQuery": Google names the maker, not a skill
                _skill_found(found, alias, line, surface, start)
                taken[position : position + length] = [True] * length
                step = length
                break
            else:
                word = matches[position].group(0)
                if heads and len(word) >= MIN_COMPOUND_CHARS:
                    alias = _compound_match(word, index)
                    if alias is not None:
                        _skill_found(found, alias, line, word, matches[position].start())
                        taken[position] = True
            position += step
        if languages and matches and not degree_line and not contact_line:
            # A degree line names fields of study ("M.Sc. Mathematics", "Computer Science"), which ESCO lists as
            # knowledge but a recruiter does not search as skills.
            for hit in line_matches(matches, languages, taken):
                start, end = matches[hit.start].start(), matches[hit.end - 1].end()
                if not _item_bounded(line, start, end) or _person_read_as_thing(line[start:end], hit.entry.name):
                    continue
                _skill_found(found, _vocabulary_skill(hit.entry, index), line, line[start:end], start)
    return list(found.values())


# ---------------------------------------------------------------------------------------------------------------------
# Matching job titles
# ---------------------------------------------------------------------------------------------------------------------
def _title_segments(line: str) -> list[str]:
    segments = []
    parts = _TITLE_SPLIT_RE.split(_GENDER_MARKER_RE.sub("", unicodedata.normalize("NFKC", line)))
    if has_japanese(line):  # Japanese separates a company, a title and dates with single spaces
        parts = [piece for part in parts for piece in re.split(r"\s+|として|(?<=[社所])(?=[ァ-ヶ])", part)]
    for part in parts:
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
    such as "introduced ML models" does not find "Models"; else the longest exact title it starts with."""
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
    if best is not None:
        return best[1]
    return _title_prefix_find(unranked, index)


def _title_prefix_find(tokens: list[str], index: KeywordIndex) -> TitleRef | None:
    """The longest exact title the segment starts with, its last words being a specialty ("Disponent Logistik",
    "Développeur backend Java", "Analista de Riesgo de Crédito"). Exact lookups only: a prefix is never fuzzy, and a
    prefix made only of stop words or seniority words is no title."""
    for length in range(len(tokens) - 1, 0, -1):
        prefix = tokens[:length]
        if prefix[-1] in TITLE_STOP_WORDS or tokens[length] in TITLE_STOP_WORDS:
            continue  # the words left are a phrase of their own ("models of churn"), not a specialty
        if length == 1 and len(index.title_postings.get(prefix[0], ())) > MAX_PREFIX_WORD_TITLES:
            continue  # a generic head ("Técnico", "Analyst", "Ingenieur") heads too many titles to stand for one
        exact = index.titles_exact.get(" ".join(prefix))
        if exact is not None:
            return exact
    return None


MAX_CONTEXT_CHARS = 50_000


def _context_stems(text: str) -> frozenset[str]:
    return frozenset(word_stem(match.group(0).casefold()) for match in token_matches(text[:MAX_CONTEXT_CHARS]))


def _title_choose(alternatives: list[TitleRef], context: frozenset[str]) -> TitleRef:
    """Of the occupations sharing a title, the one whose own name the rest of the CV speaks of: a "Research
    Assistant" in a statistics department is a Statistical Assistant, not a Biological Technician. Ties keep the
    ranked first (reported titles before alternate ones)."""
    best, best_score = alternatives[0], 0
    for ref in alternatives:
        own = {word_stem(word) for word in ref.tokens}
        words = [word for word in title_tokens(ref.occupation_title) if word not in TITLE_STOP_WORDS and len(word) > 2]
        score = len(({word_stem(word) for word in words} - own) & context)
        if score > best_score:
            best, best_score = ref, score
    return best


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
    context: list[frozenset[str]] = []  # the CV's word stems, read once when a title needs them
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
            if ref.text in index.title_alternatives:
                if not context:
                    context.append(_context_stems(text))
                ref = _title_choose(index.title_alternatives[ref.text], context[0])
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
