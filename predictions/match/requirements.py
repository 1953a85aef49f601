"""Reading a CV and a posting's requirements for the match score (``predictions.match.scoring``). Pure: no ORM, no I/O.

A requirement line is split into concepts: skills the keyword index finds in it (all alternatives of an "A or B"
line form one concept), phrases from the index's synonym table ("ML" ~ "machine learning") and the remaining content
words, stemmed ("managed" ~ "manage"). A concept is met by a CV line holding the same skill or the same stems. Skills
count double.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from predictions.match.concepts import (
    JA_FUNCTION_WORDS,
    NEVER_CONCEPT_WORDS,
    concept_first_words,
    segment,
    words_concept,
)
from predictions.match.roles import YEARS_RE, years_asked_in  # noqa: F401 - YEARS_RE for callers
from tracking.cv import keywords
from tracking.cv.tokens import CONTACT_RE
from tracking.requirements import FUNCTION_WORDS

SKILL_CONCEPT_WEIGHT = 2

# Requirement boilerplate and function words of the five languages: they say how much, not what.
STOP_STEMS = frozenset(
    keywords.phrase_key(word) for word in (*FUNCTION_WORDS, *NEVER_CONCEPT_WORDS, *JA_FUNCTION_WORDS)
) | frozenset(keywords.phrase_key(segment(word)) for word in JA_FUNCTION_WORDS)
_OR_STEMS = frozenset({"or", "either", "oder", "ou", "o", "または", "もしくは", "又は"})
MAX_CONCEPT_TOKENS = 4
# A line with an address, a telephone number or a link is a contact line: never evidence for a requirement.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _synonym_phrases() -> dict[tuple[str, ...], int]:
    """Stemmed phrase -> synonym group, from the keyword index's synonym table (canonical name and its synonyms)."""
    phrases: dict[tuple[str, ...], int] = {}
    for group, (canonical, synonyms) in enumerate(keywords.SYNONYMS.items()):
        for written in (canonical.removeprefix("esco:"), *synonyms):
            stems = tuple(keywords.phrase_key(written).split())
            if stems and " ".join(stems) not in keywords.AMBIGUOUS_NAMES:
                phrases.setdefault(stems, group)
    return phrases


SYNONYM_PHRASES = _synonym_phrases()
SYNONYM_GROUPS: dict[int, tuple[tuple[str, ...], ...]] = {}
for _phrase, _group in SYNONYM_PHRASES.items():
    SYNONYM_GROUPS[_group] = (*SYNONYM_GROUPS.get(_group, ()), _phrase)
MAX_SYNONYM_TOKENS = max(len(phrase) for phrase in SYNONYM_PHRASES)


@dataclass(frozen=True)
class CVLine:
    section: str  # the heading as written ("" before the first heading)
    kind: str  # section kind: header, summary, experience, skills, ...
    text: str
    stems: tuple[str, ...]
    skills: tuple[tuple[str, str], ...]  # (taxonomy, key), in order of mention
    concepts: tuple[str, ...] = ()  # language-neutral concepts (predictions.match.concepts.skill_concept)
    contact: bool = False  # an address, telephone number or link: never evidence


@dataclass(frozen=True)
class Concept:
    label: str  # as the posting writes it, for messages
    weight: int
    skills: tuple[tuple[str, str], ...] = ()  # any of these skills meets it
    phrases: tuple[tuple[str, ...], ...] = ()  # or any of these stem sequences
    concepts: tuple[str, ...] = ()  # or any of these language-neutral concepts


def skill_identity(skill: dict) -> tuple[str, str]:
    return (skill["taxonomy"], skill["key"])


MIN_NAME_CHARS = 4


def product_words(written: str) -> tuple[tuple[str, ...], ...]:
    """The words of a skill as written that name the product alone, as stem phrases: written with a capital inside
    ("DIgSILENT PowerFactory" -> powerfactory, digsilent; "SolidWorks"), so a CV that writes "PowerFactory" without
    the maker meets "DIgSILENT PowerFactory". Ordinary words ("Oracle Java", "Google Analytics") name nothing alone."""
    return tuple(
        (keywords.phrase_key(word),)
        for word in written.split()
        if len(word) >= MIN_NAME_CHARS and word.isalpha() and any(char.isupper() for char in word[1:])
    )


class CVLines(Sequence[CVLine]):
    """The CV's lines, read-only, with the positions of the lines holding each skill, concept and stem.

    Judging a concept reads only the lines that can meet it. Without the index every concept of every requirement
    scanned every line (requirements × concepts × lines: a 100,000-character CV against 120 long requirements took
    ~8 s); with it the work per requirement is bounded by the stems its concepts share with the CV. Contact lines are
    not indexed: they never meet a requirement.
    """

    def __init__(self, lines: list[CVLine], *, sections: list[dict] | None = None) -> None:
        self._lines = tuple(lines)
        self.sections = sections or []
        self.cache: dict = {}  # what the judges derive from the whole CV once (its dated roles)
        self._by_skill: dict[tuple[str, str], list[int]] = {}
        self._by_stem: dict[str, list[int]] = {}
        self._by_concept: dict[str, list[int]] = {}
        for position, line in enumerate(self._lines):
            if line.contact:
                continue
            for skill in dict.fromkeys(line.skills):
                self._by_skill.setdefault(skill, []).append(position)
            for stem in dict.fromkeys(line.stems):
                self._by_stem.setdefault(stem, []).append(position)
            for concept in dict.fromkeys(line.concepts):
                self._by_concept.setdefault(concept, []).append(position)
        self._meeting: dict[Concept, tuple[tuple[int, ...], frozenset[int]]] = {}
        self.kinds = frozenset(line.kind for line in self._lines)
        self.vocabulary = frozenset(self._by_stem)
        self.japanese = any(_CJK_RE.search(line.text) for line in self._lines)

    def __getitem__(self, position):  # type: ignore[override]
        return self._lines[position]

    def __iter__(self) -> Iterator[CVLine]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def _met(self, concept: Concept) -> tuple[tuple[int, ...], frozenset[int]]:
        found = self._meeting.get(concept)
        if found is None:
            positions: set[int] = set()
            for skill in concept.skills:
                positions.update(self._by_skill.get(skill, ()))
            for name in concept.concepts:
                positions.update(self._by_concept.get(name, ()))
            for phrase in concept.phrases:
                if not phrase:
                    continue
                candidates = self._by_stem.get(phrase[0], ())
                positions.update(p for p in candidates if _contains(self._lines[p].stems, phrase))
            found = self._meeting[concept] = (tuple(sorted(positions)), frozenset(positions))
        return found

    def meeting(self, concept: Concept) -> tuple[int, ...]:
        """Positions of the lines that meet ``concept`` (as ``concept_met_by`` judges one line), in document order."""
        return self._met(concept)[0]

    def meets(self, concept: Concept, position: int) -> bool:
        return position in self._met(concept)[1]


def text_concepts(text: str) -> tuple[str, ...]:
    """The language-neutral concepts a text names, longest phrases first, in the order written."""
    return _segmented_concepts(segment(text))


def _segmented_concepts(segmented: str) -> tuple[str, ...]:
    words = [match.group(0) for match in keywords.token_matches(segmented)]
    return tuple(dict.fromkeys(concept for _first, _end, concept in _concept_spans(words)))


def cv_line(
    section: str,
    kind: str,
    text: str,
    *,
    index: keywords.KeywordIndex,
    removed: frozenset | set = frozenset(),
    languages: tuple[str, ...] | None = None,
) -> CVLine:
    """One CV line read; ``languages`` are the whole CV's (one line says too little to tell its language)."""
    segmented = segment(text)  # once: a long Japanese line costs as much to cut as to read
    found = [
        skill_identity(skill)
        for skill in keywords.skills_match(segmented, index=index, languages=languages)
        if skill["key"] not in removed  # the seeker removed it (tracking.cv_corrections)
    ]
    contact = bool(CONTACT_RE.search(text))
    stems = tuple(keywords.phrase_key(segmented).split())
    return CVLine(section, kind, text, stems, tuple(dict.fromkeys(found)), _segmented_concepts(segmented), contact)


def cv_lines(*, parsed: dict, text: str, index: keywords.KeywordIndex) -> CVLines:
    """Every non-empty line of the CV with its section, stems, concepts and skills. Skills are found again with
    ``index`` (the one the requirements are read with), and the parsed skills are added to the line they were found
    on. The seeker's corrections count (tracking.cv_corrections.cv_parsed): a removed skill is found on no line, and
    an added one is a line of its own under "Added by you"."""
    sections = parsed.get("sections") or [{"kind": "header", "heading": "", "text": text}]
    removed = set(parsed.get("skills_removed") or ())  # the seeker's corrections (tracking.cv_corrections)
    languages = keywords.text_languages(text) if index.esco_refs is not None else ()
    lines: list[CVLine] = []
    for section in sections:
        for raw in section.get("text", "").splitlines():
            line = raw.strip()
            if line:
                lines.append(
                    cv_line(
                        section.get("heading", ""),
                        section.get("kind", ""),
                        line,
                        index=index,
                        removed=removed,
                        languages=languages,
                    )
                )
    # Sets and a first-line-by-text map, not a scan of every line per parsed skill (skills × lines).
    on_lines = {skill_id for line in lines for skill_id in line.skills}
    first_by_text: dict[str, int] = {}
    for position, line in enumerate(lines):
        first_by_text.setdefault(line.text[:300], position)
    for skill in parsed.get("skills") or []:
        skill_id = skill_identity(skill)
        if skill_id in on_lines:
            continue
        evidence = (skill.get("evidence") or skill.get("name") or "").strip()
        position = first_by_text.get(evidence)
        if position is not None:
            line = lines[position]
            lines[position] = CVLine(
                line.section, line.kind, line.text, line.stems, (*line.skills, skill_id), line.concepts, line.contact
            )
            on_lines.add(skill_id)
        elif skill.get("added_by_you"):
            name = str(skill.get("matched_text") or skill.get("name") or "")
            lines.append(
                CVLine(_("Added by you"), "skills", name, _stems(name), (skill_id,), text_concepts(name), False)
            )
            on_lines.add(skill_id)
    return CVLines(lines, sections=sections)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(keywords.phrase_key(segment(text)).split())


def _contains(stems: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(stems[start : start + width] == phrase for start in range(len(stems) - width + 1))


def _concept_spans(words: list[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, concept) of the table's phrases in the tokens, longest first, left to right."""
    spans: list[tuple[int, int, str]] = []
    first_words = concept_first_words()
    position = 0
    while position < len(words):
        if first_words is not None and words[position].casefold() not in first_words:
            position += 1
            continue
        for width in range(min(MAX_CONCEPT_TOKENS, len(words) - position), 0, -1):
            concept = words_concept(words[position : position + width])
            if concept is not None:
                spans.append((position, position + width, concept))
                position += width
                break
        else:
            position += 1
    return spans


def requirement_skills(requirement: str, *, index: keywords.KeywordIndex, lines: CVLines | None = None) -> list[dict]:
    """The skills a requirement names, read once per match (cached on ``lines``). A "skill" written as a word that
    says how well ("Solid grounding", "Strong SQL") is that word, not the product."""
    cache_key = ("skills", requirement)
    found = lines.cache.get(cache_key) if lines is not None else None
    if found is None:
        found = [
            skill
            for skill in keywords.skills_match(segment(requirement), index=index)
            if keywords.phrase_key(skill["matched_text"]) not in STOP_STEMS
        ]
        if lines is not None:
            lines.cache[cache_key] = found
    return found


def requirement_concepts(
    requirement: str, *, index: keywords.KeywordIndex, lines: CVLines | None = None
) -> list[Concept]:
    """What a requirement line asks for: skills (one concept per skill, or one any-of concept when the line says
    "or"), language-neutral concepts ("maschinelles Lernen"), synonym-table phrases, then the remaining content words,
    in the order written. With the CV's ``lines``, a content word in a script the CV is not written in (a Japanese
    word against an English CV) is left out: it can be neither found nor missed."""
    segmented = segment(requirement)
    skills = requirement_skills(requirement, index=index, lines=lines)
    words = [match.group(0) for match in keywords.token_matches(segmented)]
    stems = [keywords.phrase_key(word) for word in words]
    for skill in skills:
        covered = _stems(skill["matched_text"])
        for start in range(len(stems) - len(covered) + 1):
            if tuple(stems[start : start + len(covered)]) == covered:
                stems[start : start + len(covered)] = [""] * len(covered)
                break
    found: list[tuple[int, Concept]] = []  # (position of the first token, concept)
    for first, end, name in _concept_spans(words):
        if "" in stems[first:end]:
            continue  # a skill the index found there already
        label = " ".join(words[first:end]) if not _CJK_RE.search(words[first]) else "".join(words[first:end])
        if all(name not in concept.concepts for _position, concept in found):
            found.append((first, Concept(label, SKILL_CONCEPT_WEIGHT, concepts=(name,))))
        stems[first:end] = [""] * (end - first)
    position = 0
    while position < len(stems):
        for width in range(min(MAX_SYNONYM_TOKENS, len(stems) - position), 0, -1):
            phrase = tuple(stems[position : position + width])
            group = SYNONYM_PHRASES.get(phrase)
            if group is not None and "" not in phrase:
                found.append((position, Concept(" ".join(phrase), 1, phrases=SYNONYM_GROUPS[group])))
                position += width
                break
        else:
            stem = stems[position]
            if _content_stem(stem, lines) and all(concept.phrases != ((stem,),) for _p, concept in found):
                found.append((position, Concept(words[position], 1, phrases=((stem,),))))
            position += 1
    found.sort(key=lambda pair: pair[0])
    or_positions = [position for position, word in enumerate(words) if word.casefold() in _OR_STEMS]
    if not or_positions:
        skill_concepts = [
            Concept(
                label_unsegmented(skill["matched_text"]),
                SKILL_CONCEPT_WEIGHT,
                skills=(skill_identity(skill),),
                phrases=product_words(skill["matched_text"]),
            )
            for skill in skills
        ]
        return skill_concepts + [concept for _position, concept in found]
    # "Airflow or dbt", "Java or Kotlin": the skills of the line and the words next to an "or" are alternatives.
    neighbours = {position + offset for position in or_positions for offset in (-1, 1)}
    alternatives = [concept for position, concept in found if position in neighbours]
    rest = [concept for position, concept in found if position not in neighbours]
    if not skills and len(alternatives) < 2:
        return [concept for _position, concept in found]
    labels = [label_unsegmented(skill["matched_text"]) for skill in skills]
    labels += [concept.label for concept in alternatives]
    any_of = Concept(
        label=" / ".join(labels),
        weight=SKILL_CONCEPT_WEIGHT if skills or any(concept.concepts for concept in alternatives) else 1,
        skills=tuple(skill_identity(skill) for skill in skills),
        phrases=(
            *(phrase for skill in skills for phrase in product_words(skill["matched_text"])),
            *(phrase for concept in alternatives for phrase in concept.phrases),
        ),
        concepts=tuple(name for concept in alternatives for name in concept.concepts),
    )
    return [any_of, *rest]


_SPACE_NEXT_TO_JAPANESE = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]) (?=\S)|(?<=\S) (?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])"
)


def label_unsegmented(text: str) -> str:
    """A phrase found in ``segment``'s output as the text writes it: "データ 分析" -> "データ分析" (the spaces
    ``segment`` put next to Japanese words go; "SQL" and "Python" next to each other keep theirs)."""
    return _SPACE_NEXT_TO_JAPANESE.sub("", text)


def _content_stem(stem: str, lines: CVLines | None) -> bool:
    if not stem or stem in STOP_STEMS or len(stem) < 2 or any(char.isdigit() for char in stem):
        return False
    if _CJK_RE.search(stem):
        if len(stem) < 2 and not ("\u30a0" <= stem[0] <= "\u30ff"):
            return False
        if all("\u3040" <= char <= "\u309f" for char in stem):
            return False  # particles and endings
        return lines is None or lines.japanese or stem in lines.vocabulary
    return lines is None or not lines.japanese or stem in lines.vocabulary or stem.isascii()


def concept_met_by(concept: Concept, line: CVLine) -> bool:
    return (
        any(skill in line.skills for skill in concept.skills)
        or any(name in line.concepts for name in concept.concepts)
        or any(_contains(line.stems, phrase) for phrase in concept.phrases)
    )


def years_asked(lines: list[str]) -> tuple[int, str] | None:
    """The most years any line asks for ("5+ years", "mindestens 3 Jahre", "3年以上"), with that line."""
    best: tuple[int, str] | None = None
    for line in lines:
        years = years_asked_in(line)
        if years is not None and (best is None or years > best[0]):
            best = (years, line)
    return best
