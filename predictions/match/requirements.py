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

from tracking.cv import keywords

SKILL_CONCEPT_WEIGHT = 2

# Requirement boilerplate and English function words: they say how much, not what.
_STOP_WORDS = (
    "a an and or either nor the of in on at to for with by from as is are be been being we you your our their it its "
    "this that these those etc e.g eg i.e ie such including include includes like using use used via into within "
    "plus bonus nice have has having must should would could can will required require requirement requirements "
    "preferred preferably prefer ideally desirable optional essential mandatory minimum least strong solid good "
    "great excellent proven demonstrated deep broad basic advanced ability able skill skills knowledge "
    "experience experienced experiences expertise proficiency proficient familiarity familiar understanding "
    "working work hands-on hands background year years yrs track record some any all other related relevant "
    "similar equivalent degree level one two three four five six seven eight nine ten more than"
)
STOP_STEMS = frozenset(keywords.phrase_key(word) for word in _STOP_WORDS.split())
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10}  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
# Possessive ``*+``/``++`` runs of spaces: a run is always taken whole (what follows it is never a space), and the
# old pattern's adjacent ``\s*`` (a leading one, then ones split by optional tokens) retried every split of a long run
# of blanks from every position in it, quadratic and worse (10,000 spaces took 3 s).
YEARS_RE = re.compile(
    rf"(?:(?:at\s++least|minimum(?:\s++of)?|min\.?|over)\s*+)?\b{_NUMBER}\s*+(?:\+\s*+)?"
    r"(?:(?:-|–|to)\s*+\d{1,2}\s*+)?(?:\+\s*+)?(?:years?|yrs?)\b",
    re.IGNORECASE,
)
_OR_STEMS = frozenset({"or", "either"})


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


@dataclass(frozen=True)
class Concept:
    label: str  # as the posting writes it, for messages
    weight: int
    skills: tuple[tuple[str, str], ...] = ()  # any of these skills meets it
    phrases: tuple[tuple[str, ...], ...] = ()  # or any of these stem sequences


def skill_identity(skill: dict) -> tuple[str, str]:
    return (skill["taxonomy"], skill["key"])


class CVLines(Sequence[CVLine]):
    """The CV's lines, read-only, with the positions of the lines holding each skill and each stem.

    Judging a concept reads only the lines that can meet it. Without the index every concept of every requirement
    scanned every line (requirements × concepts × lines: a 100,000-character CV against 120 long requirements took
    ~8 s); with it the work per requirement is bounded by the stems its concepts share with the CV.
    """

    def __init__(self, lines: list[CVLine]) -> None:
        self._lines = tuple(lines)
        self._by_skill: dict[tuple[str, str], list[int]] = {}
        self._by_stem: dict[str, list[int]] = {}
        for position, line in enumerate(self._lines):
            for skill in dict.fromkeys(line.skills):
                self._by_skill.setdefault(skill, []).append(position)
            for stem in dict.fromkeys(line.stems):
                self._by_stem.setdefault(stem, []).append(position)
        self._meeting: dict[Concept, tuple[tuple[int, ...], frozenset[int]]] = {}
        self.kinds = frozenset(line.kind for line in self._lines)

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
            for phrase in concept.phrases:
                candidates = self._by_stem.get(phrase[0], ()) if phrase else range(len(self._lines))
                positions.update(p for p in candidates if _contains(self._lines[p].stems, phrase))
            found = self._meeting[concept] = (tuple(sorted(positions)), frozenset(positions))
        return found

    def meeting(self, concept: Concept) -> tuple[int, ...]:
        """Positions of the lines that meet ``concept`` (as ``concept_met_by`` judges one line), in document order."""
        return self._met(concept)[0]

    def meets(self, concept: Concept, position: int) -> bool:
        return position in self._met(concept)[1]


def cv_lines(*, parsed: dict, text: str, index: keywords.KeywordIndex) -> CVLines:
    """Every non-empty line of the CV with its section, stems and skills. Skills are found again with ``index`` (the
    one the requirements are read with), and the parsed skills are added to the line they were found on. The seeker's
    corrections count (tracking.cv_corrections.cv_parsed): a removed skill is found on no line, and an added one is
    a line of its own under "Added by you"."""
    sections = parsed.get("sections") or [{"kind": "header", "heading": "", "text": text}]
    removed = set(parsed.get("skills_removed") or ())  # the seeker's corrections (tracking.cv_corrections)
    lines: list[CVLine] = []
    for section in sections:
        for raw in section.get("text", "").splitlines():
            line = raw.strip()
            if not line:
                continue
            found = [
                skill_identity(skill)
                for skill in keywords.skills_match(line, index=index)
                if skill["key"] not in removed
            ]
            lines.append(CVLine(section.get("heading", ""), section.get("kind", ""), line, _stems(line), tuple(found)))
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
            lines[position] = CVLine(line.section, line.kind, line.text, line.stems, (*line.skills, skill_id))
            on_lines.add(skill_id)
        elif skill.get("added_by_you"):
            name = str(skill.get("matched_text") or skill.get("name") or "")
            lines.append(CVLine(_("Added by you"), "skills", name, _stems(name), (skill_id,)))
            on_lines.add(skill_id)
    return CVLines(lines)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(keywords.phrase_key(text).split())


def _contains(stems: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(stems[start : start + width] == phrase for start in range(len(stems) - width + 1))


def requirement_concepts(requirement: str, *, index: keywords.KeywordIndex) -> list[Concept]:
    """What a requirement line asks for: skills (one concept per skill, or one any-of concept when the line says
    "or"), synonym-table phrases, then the remaining content words, in the order written."""
    skills = keywords.skills_match(requirement, index=index)
    stems = list(_stems(requirement))
    for skill in skills:
        covered = _stems(skill["matched_text"])
        for start in range(len(stems) - len(covered) + 1):
            if tuple(stems[start : start + len(covered)]) == covered:
                stems[start : start + len(covered)] = [""] * len(covered)
                break
    words: list[tuple[int, Concept]] = []  # (position of the first token, concept)
    position = 0
    while position < len(stems):
        for width in range(min(MAX_SYNONYM_TOKENS, len(stems) - position), 0, -1):
            phrase = tuple(stems[position : position + width])
            group = SYNONYM_PHRASES.get(phrase)
            if group is not None and "" not in phrase:
                words.append((position, Concept(" ".join(phrase), 1, phrases=SYNONYM_GROUPS[group])))
                position += width
                break
        else:
            stem = stems[position]
            if stem and stem not in STOP_STEMS and len(stem) > 1 and not any(char.isdigit() for char in stem):
                if all(concept.phrases != ((stem,),) for _position, concept in words):
                    words.append((position, Concept(_surface(requirement, stem), 1, phrases=((stem,),))))
            position += 1
    or_positions = [position for position, stem in enumerate(stems) if stem in _OR_STEMS]
    if not or_positions:
        skill_concepts = [
            Concept(skill["matched_text"], SKILL_CONCEPT_WEIGHT, skills=(skill_identity(skill),)) for skill in skills
        ]
        return skill_concepts + [concept for _position, concept in words]
    # "Airflow or dbt", "Java or Kotlin": the skills of the line and the words next to an "or" are alternatives.
    neighbours = {position + offset for position in or_positions for offset in (-1, 1)}
    alternatives = [concept for position, concept in words if position in neighbours]
    rest = [concept for position, concept in words if position not in neighbours]
    if not skills and len(alternatives) < 2:
        return [concept for _position, concept in words]
    labels = [skill["matched_text"] for skill in skills] + [concept.label for concept in alternatives]
    any_of = Concept(
        label=" / ".join(labels),
        weight=SKILL_CONCEPT_WEIGHT if skills else 1,
        skills=tuple(skill_identity(skill) for skill in skills),
        phrases=tuple(phrase for concept in alternatives for phrase in concept.phrases),
    )
    return [any_of, *rest]


def _surface(text: str, stem: str) -> str:
    """The word as the posting writes it, for a message ("managed" rather than its stem "manag")."""
    for word in re.findall(r"[\w+#.]+", text):
        if keywords.phrase_key(word) == stem:
            return word
    return stem


def concept_met_by(concept: Concept, line: CVLine) -> bool:
    return any(skill in line.skills for skill in concept.skills) or any(
        _contains(line.stems, phrase) for phrase in concept.phrases
    )


def years_asked(lines: list[str]) -> tuple[int, str] | None:
    """The most years any line asks for ("5+ years", "at least five years", "3-5 years" -> 3), with that line."""
    best: tuple[int, str] | None = None
    for line in lines:
        for match in YEARS_RE.finditer(line):
            value = match.group(1).casefold()
            years = int(value) if value.isdigit() else _NUMBER_WORDS[value]
            if 0 < years <= 40 and (best is None or years > best[0]):
                best = (years, line)
    return best
