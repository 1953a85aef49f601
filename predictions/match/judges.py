"""Judging a CV against each part of a posting for the match score (``predictions.match.scoring``). Pure: no ORM, no
I/O.

A requirement is met when all its skills and at least three quarters of its concept weight are found in the CV, partly
met when anything is found, else missing. Each judged item carries the share of its component it is worth and the
share it earned, as exact fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from predictions.match.requirements import (
    SKILL_CONCEPT_WEIGHT,
    Concept,
    CVLine,
    CVLines,
    requirement_concepts,
    skill_identity,
)
from tracking.cv import keywords

MAX_KEYWORDS = 15
MET_COVERAGE = Fraction(3, 4)
MET, PARTIAL, MISSING, NOT_SCORED = "met", "partial", "missing", "not_scored"


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
    skill_name: str = ""  # keywords: the O*NET (or ESCO) name of the skill judged


def _evidence(concepts: list[Concept], lines: CVLines) -> tuple[list[CVLine], list[Concept]]:
    """Up to two CV lines that meet the most concept weight (earliest first on ties), and the concepts none meets."""
    chosen: list[CVLine] = []
    remaining = list(concepts)
    while remaining and len(chosen) < 2:
        weights: dict[int, int] = {}
        for concept in remaining:
            for position in lines.meeting(concept):
                weights[position] = weights.get(position, 0) + concept.weight
        if not weights:
            break
        best_weight = max(weights.values())
        best = min(position for position, weight in weights.items() if weight == best_weight)
        chosen.append(lines[best])
        remaining = [concept for concept in remaining if not lines.meets(concept, best)]
    unmet = [concept for concept in remaining if not lines.meeting(concept)]
    return chosen, unmet


def requirement_judge(requirement: str, *, lines: CVLines, index: keywords.KeywordIndex) -> Item:
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
    has_skills_section = "skills" in lines.kinds
    placement: list[tuple[str, str]] = []
    for concept in concepts:
        if not concept.skills or concept in unmet or not has_skills_section:
            continue
        holders = [lines[position] for position in lines.meeting(concept)]
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


def requirements_judge(requirements: list[str], *, lines: CVLines, index) -> list[Item]:
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


def title_judge(*, posting_title: str, cv_titles: list[dict], lines: CVLines, index) -> Item | None:
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


def keywords_judge(
    *, description: str, requirement_lines: list[str], lines: CVLines, index, industry=None
) -> list[Item]:
    """Skills in the description that no requirement line names, each once, at most MAX_KEYWORDS: with an industry
    profile (market.keyword_databases.IndustryProfile), the ones its industry uses most, else the first written."""
    named = {skill_identity(skill) for text in requirement_lines for skill in keywords.skills_match(text, index=index)}
    extra = [skill for skill in keywords.skills_match(description, index=index) if skill_identity(skill) not in named]
    if industry is not None:
        extra.sort(key=lambda skill: -industry.skill_weight(skill["name"]))  # stable: ties keep document order
    items = []
    for skill in extra[:MAX_KEYWORDS]:
        concept = Concept(skill["matched_text"], SKILL_CONCEPT_WEIGHT, skills=(skill_identity(skill),))
        met = lines.meeting(concept)
        holder = lines[met[0]] if met else None
        share = Fraction(1, min(len(extra), MAX_KEYWORDS))
        if holder is None:
            item = Item(skill["matched_text"], MISSING, _("missing"), share=share, missing=(concept,))
        else:
            item = Item(skill["matched_text"], MET, holder.text, holder.section, share=share, earned=share)
        item.skill_name = skill["name"]
        items.append(item)
    return items
