"""CV-to-posting match: a deterministic score from 0 to 100 with the evidence for every point. Pure: no ORM, no I/O.

Weights (points out of 100), after Huntr and Jobscan (see ../shared/ANCHORS.md):

- must-have requirements 50: qualifications are ⅓–½ of Huntr's score with must-haves weighted most; they are what a
  recruiter screens on, so they carry half the score;
- nice-to-have requirements 15: the same check, worth less because missing them rarely disqualifies;
- job title 15: Jobscan and Huntr both score the title separately; CV titles against the posting title by normalised
  words (seniority dropped) or by the same O*NET/ESCO occupation;
- experience 10: years of dated roles in the CV against the years a requirement asks for ("5+ years");
- keywords 10: skills named in the description beyond the requirement lists. Each counts once however often it is
  written, at most ``MAX_KEYWORDS`` are judged, and the component never exceeds ``KEYWORDS_MAX_WEIGHT`` (Huntr keeps
  keywords under 20 %) so keyword stuffing cannot dominate.

A component with nothing to judge (no nice-to-haves, no years asked) gives its weight to the others in proportion to
theirs, and says so in its ``note``. Arithmetic is exact (``Fraction``) and rounded once, half up, so the same inputs
give the same score in every process; every list in the result is in document order or explicitly sorted.

A requirement line is split into concepts: skills the keyword index finds in it (all alternatives of an "A or B"
line form one concept), phrases from the index's synonym table ("ML" ~ "machine learning") and the remaining content
words, stemmed ("managed" ~ "manage"). A concept is met by a CV line holding the same skill or the same stems. Skills
count double. A requirement is met when all its skills and at least three quarters of its weight are found, partly
met when anything is found, else missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from tracking.cv import keywords

SCORER_VERSION = "match-1"
BASE_WEIGHTS: dict[str, int] = {"must_have": 50, "nice_to_have": 15, "title": 15, "experience": 10, "keywords": 10}
KEYWORDS_MAX_WEIGHT = 20
MAX_KEYWORDS = 15
MAX_CHANGES = 3
SKILL_CONCEPT_WEIGHT = 2
MET_COVERAGE = Fraction(3, 4)
BANDS: tuple[tuple[int, str], ...] = ((80, "great"), (60, "good"), (40, "fair"), (0, "poor"))
MET, PARTIAL, MISSING, NOT_SCORED = "met", "partial", "missing", "not_scored"

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
YEARS_RE = re.compile(
    rf"(?:at\s+least|minimum(?:\s+of)?|min\.?|over)?\s*\b{_NUMBER}\s*\+?\s*(?:(?:-|–|to)\s*\d{{1,2}}\s*)?\+?\s*"
    r"(?:years?|yrs?)\b",
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


# ---------------------------------------------------------------------------------------------------------------------
# Reading the CV and the requirements
# ---------------------------------------------------------------------------------------------------------------------
def _skill_id(skill: dict) -> tuple[str, str]:
    return (skill["taxonomy"], skill["key"])


def cv_lines(*, parsed: dict, text: str, index: keywords.KeywordIndex) -> list[CVLine]:
    """Every non-empty line of the CV with its section, stems and skills. Skills are found again with ``index`` (the
    one the requirements are read with), and the parsed skills are added to the line they were found on."""
    sections = parsed.get("sections") or [{"kind": "header", "heading": "", "text": text}]
    lines: list[CVLine] = []
    for section in sections:
        for raw in section.get("text", "").splitlines():
            line = raw.strip()
            if not line:
                continue
            found = [_skill_id(skill) for skill in keywords.skills_match(line, index=index)]
            lines.append(CVLine(section.get("heading", ""), section.get("kind", ""), line, _stems(line), tuple(found)))
    for skill in parsed.get("skills") or []:
        skill_id = _skill_id(skill)
        if any(skill_id in line.skills for line in lines):
            continue
        evidence = (skill.get("evidence") or skill.get("name") or "").strip()
        for position, line in enumerate(lines):
            if line.text[:300] == evidence:
                lines[position] = CVLine(line.section, line.kind, line.text, line.stems, (*line.skills, skill_id))
                break
    return lines


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
            Concept(skill["matched_text"], SKILL_CONCEPT_WEIGHT, skills=(_skill_id(skill),)) for skill in skills
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
        skills=tuple(_skill_id(skill) for skill in skills),
        phrases=tuple(phrase for concept in alternatives for phrase in concept.phrases),
    )
    return [any_of, *rest]


def _surface(text: str, stem: str) -> str:
    """The word as the posting writes it, for a message ("managed" rather than its stem "manag")."""
    for word in re.findall(r"[\w+#.]+", text):
        if keywords.phrase_key(word) == stem:
            return word
    return stem


def _concept_met_by(concept: Concept, line: CVLine) -> bool:
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


# ---------------------------------------------------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class Item:
    requirement: str
    status: str
    evidence: str
    section: str = ""
    share: Fraction = Fraction(0)  # the part of its component this item is worth, 0..1
    earned: Fraction = Fraction(0)  # the part of the component it earned
    missing: tuple[Concept, ...] = ()
    placement: tuple[tuple[str, str], ...] = ()  # (skill name, section) found only outside the skills section
    undated: bool = False  # experience: the CV has no dated roles


def _evidence(concepts: list[Concept], lines: list[CVLine]) -> tuple[list[CVLine], list[Concept]]:
    """Up to two CV lines that meet the most concept weight (earliest first on ties), and the concepts none meets."""
    chosen: list[CVLine] = []
    remaining = list(concepts)
    while remaining and len(chosen) < 2:
        best: tuple[int, int] | None = None
        for position, line in enumerate(lines):
            weight = sum(concept.weight for concept in remaining if _concept_met_by(concept, line))
            if weight and (best is None or weight > best[0]):
                best = (weight, position)
        if best is None:
            break
        line = lines[best[1]]
        chosen.append(line)
        remaining = [concept for concept in remaining if not _concept_met_by(concept, line)]
    unmet = [concept for concept in remaining if not any(_concept_met_by(concept, line) for line in lines)]
    return chosen, unmet


def requirement_judge(requirement: str, *, lines: list[CVLine], index: keywords.KeywordIndex) -> Item:
    concepts = requirement_concepts(requirement, index=index)
    if not concepts:
        return Item(requirement, NOT_SCORED, _("Nothing to compare beyond the years asked (see Experience)."))
    chosen, unmet = _evidence(concepts, lines)
    total = sum(concept.weight for concept in concepts)
    found = total - sum(concept.weight for concept in unmet)
    skills_all_found = not any(concept.skills for concept in unmet)
    if found == 0:
        status = MISSING
    elif skills_all_found and Fraction(found, total) >= MET_COVERAGE:
        status = MET
    else:
        status = PARTIAL
    evidence = " | ".join(line.text for line in chosen) if chosen else _("missing")
    has_skills_section = any(line.kind == "skills" for line in lines)
    placement: list[tuple[str, str]] = []
    for concept in concepts:
        if not concept.skills or concept in unmet or not has_skills_section:
            continue
        holders = [line for line in lines if _concept_met_by(concept, line)]
        if holders and all(line.kind != "skills" for line in holders):
            placement.append((concept.label, holders[0].section or holders[0].kind))
    return Item(
        requirement=requirement,
        status=status,
        evidence=evidence,
        section=" | ".join(dict.fromkeys(line.section for line in chosen)),
        missing=tuple(unmet),
        placement=tuple(placement),
    )


def _requirements_component(requirements: list[str], *, lines: list[CVLine], index) -> list[Item]:
    items = [requirement_judge(text, lines=lines, index=index) for text in requirements if text.strip()]
    scored = [item for item in items if item.status != NOT_SCORED]
    for item in scored:
        item.share = Fraction(1, len(scored))
        item.earned = item.share * {MET: 1, PARTIAL: Fraction(1, 2), MISSING: 0}[item.status]
    return items


def _title_words(title: str) -> tuple[str, ...]:
    words = keywords.title_tokens(title)
    content = [word for word in words if word not in keywords.SENIORITY_WORDS and word not in keywords.TITLE_STOP_WORDS]
    return tuple(dict.fromkeys(keywords.word_stem(word) for word in content if len(word) > 1 and not word.isdigit()))


def title_judge(*, posting_title: str, cv_titles: list[dict], lines: list[CVLine], index) -> Item | None:
    """Met when one CV title (or headline line) holds every word of the posting title, seniority aside, or names the
    same occupation; partly met when it holds at least half of them. None when the title has no words to compare."""
    wanted = _title_words(posting_title)
    if not wanted:
        return None
    posting_codes = [
        (ref["taxonomy"], ref["occupation_code"])
        for ref in keywords.titles_match(text=posting_title, sections=[], index=index)
    ]
    candidates = [
        (title["title_as_written"], title.get("evidence") or title["title_as_written"]) for title in cv_titles
    ]
    candidates += [(line.text, line.text) for line in lines if line.kind == "header"][: keywords.HEADLINE_LINES]
    best: tuple[int, int] | None = None
    for position, (written, _evidence_line) in enumerate(candidates):
        have = set(_title_words(written))
        count = sum(1 for word in wanted if word in have)
        if best is None or count > best[0]:
            best = (count, position)
    item = Item(posting_title, MISSING, _("missing"), share=Fraction(1))
    if best is not None and best[0] == len(wanted):
        item.status, item.evidence, item.earned = MET, candidates[best[1]][1], Fraction(1)
        return item
    for title in cv_titles:
        if (title.get("taxonomy"), title.get("occupation_code")) in posting_codes:
            item.status, item.evidence = MET, title.get("evidence") or title["title_as_written"]
            item.earned = Fraction(1)
            return item
    if best is not None and best[0] * 2 >= len(wanted) and best[0] > 0:
        item.status, item.evidence, item.earned = PARTIAL, candidates[best[1]][1], Fraction(1, 2)
    return item


def experience_judge(*, asked: tuple[int, str] | None, cv_years: int | None) -> Item | None:
    if asked is None:
        return None
    years, line = asked
    item = Item(line, MISSING, _("missing"), share=Fraction(1))
    if cv_years is None:
        item.evidence = _("Your CV has no dated roles, so its years of experience cannot be counted.")
        item.undated = True
        return item
    item.earned = min(Fraction(cv_years, years), Fraction(1))
    item.evidence = _("Your dated roles add up to %(years)s years.") % {"years": cv_years}
    item.status = MET if cv_years >= years else PARTIAL if cv_years * 2 >= years else MISSING
    return item


def keywords_judge(*, description: str, requirement_lines: list[str], lines: list[CVLine], index) -> list[Item]:
    """Skills in the description that no requirement line names, each once, at most MAX_KEYWORDS."""
    named = {_skill_id(skill) for text in requirement_lines for skill in keywords.skills_match(text, index=index)}
    extra = [skill for skill in keywords.skills_match(description, index=index) if _skill_id(skill) not in named]
    items = []
    for skill in extra[:MAX_KEYWORDS]:
        concept = Concept(skill["matched_text"], SKILL_CONCEPT_WEIGHT, skills=(_skill_id(skill),))
        holder = next((line for line in lines if _concept_met_by(concept, line)), None)
        share = Fraction(1, min(len(extra), MAX_KEYWORDS))
        if holder is None:
            items.append(Item(skill["matched_text"], MISSING, _("missing"), share=share, missing=(concept,)))
        else:
            items.append(Item(skill["matched_text"], MET, holder.text, holder.section, share=share, earned=share))
    return items


# ---------------------------------------------------------------------------------------------------------------------
# Weights, changes and the result
# ---------------------------------------------------------------------------------------------------------------------
def component_labels() -> dict[str, str]:
    return {
        "must_have": _("Must-have requirements"),
        "nice_to_have": _("Nice-to-have requirements"),
        "title": _("Job title"),
        "experience": _("Years of experience"),
        "keywords": _("Other skills in the description"),
    }


def weights_effective(judged: list[str]) -> dict[str, Fraction]:
    """Base weights of the judged components scaled to 100; keywords never above KEYWORDS_MAX_WEIGHT, the excess
    shared by the others in proportion to their base weights."""
    total = sum(BASE_WEIGHTS[name] for name in judged)
    weights = {name: Fraction(BASE_WEIGHTS[name] * 100, total) for name in judged}
    others = [name for name in judged if name != "keywords"]
    if weights.get("keywords", 0) > KEYWORDS_MAX_WEIGHT and others:
        excess = weights["keywords"] - KEYWORDS_MAX_WEIGHT
        weights["keywords"] = Fraction(KEYWORDS_MAX_WEIGHT)
        other_total = sum(BASE_WEIGHTS[name] for name in others)
        for name in others:
            weights[name] += excess * BASE_WEIGHTS[name] / other_total
    return weights


def _one_decimal(value: Fraction) -> float:
    return float(round(value, 1))


def _change(kind: str, message: str, gain: Fraction, component: str, item: Item, skills: list[str]) -> dict:
    return {
        "kind": kind,
        "message": message,
        "gain": _one_decimal(gain),
        "component": component,
        "requirement": item.requirement,
        "skills": skills,
        "_gain": gain,
    }


def _item_changes(component: str, item: Item, gain: Fraction, cv_text: str) -> list[dict]:
    changes = []
    if gain > 0 and component in ("must_have", "nice_to_have", "keywords") and item.missing:
        what = ", ".join(concept.label for concept in item.missing)
        skills = [concept.label for concept in item.missing if concept.skills]
        if component == "must_have":
            message = _(
                "The posting requires %(what)s; your CV does not mention it — a gap to close, do not add it unless "
                "you have the experience."
            )
        elif component == "nice_to_have":
            message = _(
                "The posting would value %(what)s; your CV does not mention it — a gap to close, do not add it unless "
                "you have the experience."
            )
        else:
            message = _(
                "The description mentions %(what)s; your CV does not — add it only if you have used it, otherwise "
                "it is a gap to close."
            )
        changes.append(_change("gap", message % {"what": what}, gain, component, item, skills))
    elif gain > 0 and component == "title":
        message = _(
            "The posting's title is “%(title)s”; none of your CV's titles matches it. Use its wording in your headline "
            "only if it describes roles you have held — otherwise it is a gap to close."
        ) % {"title": item.requirement}
        changes.append(_change("gap", message, gain, component, item, []))
    elif gain > 0 and component == "experience":
        claim = YEARS_RE.search(cv_text)
        if item.undated:
            if claim:
                message = _(
                    "Your CV says “%(claim)s” but gives no dates for its roles: add the start and end month and year "
                    "of each role so your experience can be counted."
                ) % {"claim": claim.group(0).strip()}
                changes.append(_change("fact", message, gain, component, item, []))
            else:
                message = _(
                    "Your CV gives no dates for its roles: add the start and end month and year of each role so your "
                    "experience can be counted."
                )
                changes.append(_change("dates", message, gain, component, item, []))
        else:
            message = _(
                "The posting asks for “%(asked)s”; your dated roles fall short — a gap to close, never stretch dates."
            ) % {"asked": item.requirement}
            changes.append(_change("gap", message, gain, component, item, []))
    for skill, section in item.placement:
        message = _(
            "Your CV mentions %(skill)s in %(section)s but not in your skills section: add it to your skills section."
        ) % {"skill": skill, "section": section}
        changes.append(_change("placement", message, Fraction(0), component, item, [skill]))
    return changes


KIND_ORDER = {"fact": 0, "dates": 1, "gap": 2, "placement": 3}


def match_score(
    *,
    cv_readable: bool,
    cv_text: str,
    cv_parsed: dict,
    posting_title: str,
    posting_description: str,
    requirements: dict,
    index: keywords.KeywordIndex,
) -> dict:
    """The match of one CV version against one posting, as a plain dict (see the module docstring).

    An unreadable CV (or one with no text) gets ``score: None`` and its ``reason``, never 0.
    """
    result: dict = {"score": None, "band": None, "reason": None, "components": [], "changes": []}
    result["scorer_version"] = SCORER_VERSION
    if not cv_readable or not cv_text.strip():
        result["reason"] = _("We could not read this CV, so it has no match score.")
        return result
    lines = cv_lines(parsed=cv_parsed, text=cv_text, index=index)
    cv_titles = list(cv_parsed.get("titles") or [])
    known = {(title.get("taxonomy"), title.get("occupation_code")) for title in cv_titles}
    for title in keywords.titles_match(text=cv_text, sections=cv_parsed.get("sections") or [], index=index):
        if (title["taxonomy"], title["occupation_code"]) not in known:
            cv_titles.append(title)
    must = [str(text) for text in (requirements or {}).get("must_have") or []]
    nice = [str(text) for text in (requirements or {}).get("nice_to_have") or []]
    title_item = title_judge(posting_title=posting_title, cv_titles=cv_titles, lines=lines, index=index)
    experience_item = experience_judge(
        asked=years_asked(must) or years_asked(nice) or years_asked(posting_description.splitlines()),
        cv_years=cv_parsed.get("years_experience"),
    )
    items_by_component: dict[str, list[Item]] = {
        "must_have": _requirements_component(must, lines=lines, index=index),
        "nice_to_have": _requirements_component(nice, lines=lines, index=index),
        "title": [title_item] if title_item else [],
        "experience": [experience_item] if experience_item else [],
        "keywords": keywords_judge(
            description=posting_description, requirement_lines=must + nice, lines=lines, index=index
        ),
    }
    judged = [name for name, items in items_by_component.items() if any(item.share for item in items)]
    if not [name for name in judged if name != "keywords"]:
        result["reason"] = _("This posting lists nothing we can compare with a CV.")
        return result
    weights = weights_effective(judged)
    labels = component_labels()
    total = Fraction(0)
    changes: list[dict] = []
    for order, (name, items) in enumerate(items_by_component.items()):
        weight = weights.get(name, Fraction(0))
        points = weight * sum((item.earned for item in items), Fraction(0))
        total += points
        if name not in judged:
            note = _("Nothing to judge here: its %(weight)s points went to the other parts.") % {
                "weight": BASE_WEIGHTS[name]
            }
        elif weight != BASE_WEIGHTS[name]:
            note = _("Weighted %(weight)s instead of %(base)s because other parts had nothing to judge.") % {
                "weight": _one_decimal(weight),
                "base": BASE_WEIGHTS[name],
            }
        else:
            note = ""
        result["components"].append(
            {
                "name": name,
                "label": labels[name],
                "base_weight": BASE_WEIGHTS[name],
                "weight": _one_decimal(weight),
                "points": _one_decimal(points),
                "max_points": _one_decimal(weight),
                "judged": name in judged,
                "note": note,
                "items": [
                    {
                        "requirement": item.requirement,
                        "status": item.status,
                        "evidence": item.evidence,
                        "section": item.section,
                        "points": _one_decimal(weight * item.earned),
                        "max_points": _one_decimal(weight * item.share),
                    }
                    for item in items
                ],
            }
        )
        for position, item in enumerate(items):
            for change in _item_changes(name, item, weight * (item.share - item.earned), cv_text):
                change["_order"] = (order, position)
                changes.append(change)
    changes.sort(key=lambda change: (-change["_gain"], KIND_ORDER[change["kind"]], change["_order"]))
    seen: set[str] = set()
    for change in changes:
        if change["message"] in seen or len(result["changes"]) == MAX_CHANGES:
            continue
        seen.add(change["message"])
        result["changes"].append({key: value for key, value in change.items() if not key.startswith("_")})
    score = int(total + Fraction(1, 2))
    result["score"] = min(max(score, 0), 100)
    result["band"] = next(name for threshold, name in BANDS if result["score"] >= threshold)
    return result
