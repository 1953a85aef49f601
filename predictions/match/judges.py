"""Judging a CV against each part of a posting for the match score (``predictions.match.scoring``). Pure: no ORM, no
I/O.

A requirement is met when all its skills and at least three quarters of its concept weight are found in the CV, partly
met when anything is found, else missing. A degree requirement is judged against the CV's degrees
(``predictions.match.degrees``) and a requirement of years against its dated roles (``predictions.match.roles``): the
evidence is the degree or role line, never a contact line. Each judged item carries the share of its component it is
worth and the share it earned, as exact fractions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

from predictions.match import occupations
from predictions.match.concepts import segment
from predictions.match.degrees import Degree, degree_level, degree_read, degree_status, degree_words_drop
from predictions.match.requirements import (
    CONTACT_RE,
    SKILL_CONCEPT_WEIGHT,
    STOP_STEMS,
    YEARS_RE,
    Concept,
    CVLine,
    CVLines,
    concept_met_by,
    cv_line,
    label_unsegmented,
    requirement_concepts,
    requirement_skills,
    skill_identity,
    text_concepts,
)
from predictions.match.roles import DatedRole, dated_roles, years_asked_in, years_covered
from predictions.match.weights import MET_COVERAGE, STATUS_CREDIT
from tracking.cv import keywords

MAX_KEYWORDS = 15
FOREIGN_POSTING = "foreign_posting"  # CVLines.cache: the posting is written in another language than the CV
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
    earned_share: Fraction | None = None  # years: the share of the years asked that the roles show
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


_DEGREE_FILLER = frozenset(keywords.phrase_key(word) for word in "science arts of in en univers university".split())


def _subjects(text: str, concepts: tuple[str, ...] | None = None) -> frozenset[str]:
    """A degree line's subjects: its concepts ("Statistik" -> statistics; ``concepts`` when the line's are known)
    and its other content stems."""
    text = degree_words_drop(text)
    names = set(text_concepts(text) if concepts is None else concepts)
    stems = keywords.phrase_key(segment(text)).split()
    names |= {stem for stem in stems if stem not in STOP_STEMS and stem.isalpha() and len(stem) > 2 - stem.isascii()}
    return frozenset(names - _DEGREE_FILLER)


def cv_degrees(lines: CVLines) -> list[Degree]:
    """The degrees of the education sections (of every line when the CV has none), in the CV's order; read once per
    match (cached on ``lines``)."""
    found = lines.cache.get("degrees")
    if found is None:
        chosen = [line for line in lines if line.kind == "education"] or [line for line in lines if not line.contact]
        held = [
            degree_read(line.text, subjects=_subjects(line.text, line.concepts))
            for line in chosen
            if degree_level(line.text) is not None
        ]
        found = lines.cache["degrees"] = [degree for degree in held if degree is not None]
    return found


def degree_judge(requirement: str, *, lines: CVLines) -> Item:
    asked = degree_read(requirement, subjects=_subjects(requirement))
    status, shown = degree_status(asked, cv_degrees(lines))
    evidence = " | ".join(degree.text for degree in shown) if shown else _("missing")
    return Item(requirement, status, evidence, section=_section_of(lines, shown[0].text) if shown else "")


def _section_of(lines: CVLines, text: str) -> str:
    return next((line.section for line in lines if line.text == text), "")


def _roles_read(lines: CVLines, *, index: keywords.KeywordIndex, today: date) -> list[tuple[DatedRole, list[CVLine]]]:
    """The CV's dated roles with their lines read for skills and concepts, once per CV and day (cached on ``lines``)."""
    key = ("roles", today)
    found = lines.cache.get(key)
    if found is None:
        found = lines.cache[key] = [
            (role, [cv_line("", "experience", text, index=index) for text in role.context.splitlines()])
            for role in dated_roles(lines.sections, today=today)
        ]
    return found


def relevant_roles(requirement: str, *, lines: CVLines, index: keywords.KeywordIndex, today: date) -> list[DatedRole]:
    """The dated roles that do what a requirement of years asks ("as a data scientist", "of Python"): those meeting
    three quarters of its concept weight; every role when it names nothing but years."""
    roles = _roles_read(lines, index=index, today=today)
    concepts = requirement_concepts(YEARS_RE.sub(" ", requirement), index=index, lines=lines)
    if not concepts:
        return [role for role, _role_lines in roles]
    total = sum(concept.weight for concept in concepts)
    relevant = []
    for role, role_lines in roles:
        found = sum(c.weight for c in concepts if any(concept_met_by(c, line) for line in role_lines))
        if Fraction(found, total) >= MET_COVERAGE:
            relevant.append(role)
    return relevant


def _words_only_foreign(concepts: list[Concept], lines: CVLines) -> bool:
    """The line names its field only in words of another language than the CV's ("Netzplanung" against a French
    CV): nothing can be compared, so no role is shown not to be relevant. A skill or a language-neutral concept can
    be compared in any language."""
    return bool(lines.cache.get(FOREIGN_POSTING)) and not any(
        concept.skills or concept.concepts for concept in concepts
    )


def years_judge(requirement: str, *, years: int, lines: CVLines, index: keywords.KeywordIndex, today: date) -> Item:
    """A requirement of years against the relevant dated roles; ``earned_share`` is the share of the years found.

    When no dated role shows what the line names but the CV shows it elsewhere (Python only in the skills section),
    every dated role is counted and the item is at most partly met, at most half earned: the CV does not say for how
    long. So too when the line names its field only in words of another language than the CV's.
    """
    if not _roles_read(lines, index=index, today=today):
        message = _("Your CV has no dated roles, so its years of experience cannot be counted.")
        item = Item(requirement, MISSING, message)
        item.undated = True
        return item
    roles = relevant_roles(requirement, lines=lines, index=index, today=today)
    cap = Fraction(1)
    elsewhere: list[CVLine] = []
    if not roles:
        concepts = requirement_concepts(YEARS_RE.sub(" ", requirement), index=index, lines=lines)
        elsewhere = _evidence(concepts, lines)[0] if concepts else []
        if not elsewhere and not _words_only_foreign(concepts, lines):
            return Item(requirement, MISSING, _("None of your dated roles shows it."))
        roles, cap = [role for role, _role_lines in _roles_read(lines, index=index, today=today)], Fraction(1, 2)
    held = years_covered(roles, today=today)
    earned = min(Fraction(held, years), cap)
    status = MET if earned == 1 else PARTIAL if held * 2 >= years and held > 0 else MISSING
    evidence = " | ".join([*(role.line for role in roles[:2]), *(line.text for line in elsewhere[:1])])
    item = Item(requirement, status, evidence, section=_section_of(lines, roles[0].line.split(" · ")[-1]))
    item.earned_share = earned
    return item


def requirement_judge(
    requirement: str, *, lines: CVLines, index: keywords.KeywordIndex, today: date | None = None
) -> Item:
    years = years_asked_in(requirement)
    if degree_level(requirement) is not None and years is None:
        return degree_judge(requirement, lines=lines)
    if years is not None and today is not None:
        return years_judge(requirement, years=years, lines=lines, index=index, today=today)
    concepts = requirement_concepts(requirement, index=index, lines=lines)
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


def requirements_judge(requirements: list[str], *, lines: CVLines, index, today: date | None = None) -> list[Item]:
    items = [requirement_judge(text, lines=lines, index=index, today=today) for text in requirements if text.strip()]
    scored = [item for item in items if item.status != NOT_SCORED]
    for item in scored:
        item.share = Fraction(1, len(scored))
        item.earned = item.share * STATUS_CREDIT[item.status]
    return items


def _title_words(title: str) -> tuple[str, ...]:
    words = keywords.title_tokens(title)
    content = [word for word in words if word not in keywords.SENIORITY_WORDS and word not in keywords.TITLE_STOP_WORDS]
    return tuple(dict.fromkeys(keywords.word_stem(word) for word in content if len(word) > 1 and not word.isdigit()))


_HEADLINE_PARTS = re.compile(r"\s[·|•/]\s|\s{2,}|\t")


def _title_evidence(title: dict) -> str:
    """The line a CV title was read from, or the title alone when that line is a contact line."""
    evidence = title.get("evidence") or title["title_as_written"]
    return title["title_as_written"] if CONTACT_RE.search(evidence) else evidence


def title_judge(*, posting_title: str, cv_titles: list[dict], lines: CVLines, index) -> Item | None:
    """Met when one CV title (or headline line) holds every word of the posting title, seniority aside, or names the
    same occupation (O*NET's or ESCO's, through their crosswalk); partly met when it holds at least half of them or
    names an occupation of the same SOC broad group. None when the title has no words to compare."""
    wanted = _title_words(posting_title)
    if not wanted:
        return None
    posting_codes = [
        (ref["taxonomy"], ref["occupation_code"])
        for ref in keywords.titles_match(text=posting_title, sections=[], index=index)
    ]
    candidates = [(title["title_as_written"], _title_evidence(title)) for title in cv_titles]
    known_concepts: dict[str, tuple[str, ...]] = {}
    headline = [line for line in lines if line.kind == "header"][: keywords.HEADLINE_LINES]
    for line in headline:
        # "Data Scientist · jane@example.com · Boston": the parts of a contact line that are not contact details.
        parts = [part.strip() for part in _HEADLINE_PARTS.split(line.text)] if line.contact else [line.text]
        candidates += [(part, part) for part in parts if part and not CONTACT_RE.search(part)]
        known_concepts[line.text] = line.concepts
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
    related: dict | None = None
    for title in cv_titles:
        found = occupations.relation(posting_codes, [(title.get("taxonomy", ""), title.get("occupation_code", ""))])
        if found == occupations.SAME:
            item.status, item.evidence = MET, _title_evidence(title)
            item.earned = Fraction(1)
            return item
        if found == occupations.RELATED and related is None:
            related = title
    # "データサイエンティスト" or "Científico de datos" against "Data Scientist": the same concept in another language.
    wanted_concepts = set(text_concepts(posting_title))
    for written, evidence in candidates if wanted_concepts else ():
        held = known_concepts[written] if written in known_concepts else text_concepts(written)
        if wanted_concepts <= set(held):
            item.status, item.evidence, item.earned = MET, evidence, Fraction(1)
            return item
    if best is not None and best[0] * 2 >= len(wanted) and best[0] > 0:
        item.status, item.evidence, item.earned = PARTIAL, candidates[best[1]][1], Fraction(1, 2)
    elif related is not None:  # a neighbouring occupation: Electronics Engineers for an Electrical Engineer posting
        item.status, item.evidence, item.earned = PARTIAL, _title_evidence(related), Fraction(1, 2)
    return item


def experience_judge(
    *, asked: tuple[int, str] | None, cv_years: int | None, lines: CVLines, index, today: date
) -> Item | None:
    """The most years the posting asks for against the CV's relevant dated roles (all of them when the line names
    nothing else); the CV parser's ``cv_years`` only when no role line can be read."""
    if asked is None:
        return None
    years, line = asked
    if _roles_read(lines, index=index, today=today) or cv_years is None:
        item = years_judge(line, years=years, lines=lines, index=index, today=today)
        item.share = Fraction(1)
        item.earned = item.earned_share or Fraction(0)
        return item
    item = Item(line, MISSING, _("missing"), share=Fraction(1))
    item.earned = min(Fraction(cv_years, years), Fraction(1))
    item.evidence = _("Your dated roles add up to %(years)s years.") % {"years": cv_years}
    item.status = MET if cv_years >= years else PARTIAL if cv_years * 2 >= years else MISSING
    return item


def keywords_judge(
    *, description: str, requirement_lines: list[str], lines: CVLines, index, industry=None
) -> list[Item]:
    """Skills in the description that no requirement line names, each once, at most MAX_KEYWORDS: with an industry
    profile (market.keyword_databases.IndustryProfile), the ones its industry uses most, else the first written."""
    named = {
        skill_identity(skill)
        for text in requirement_lines
        for skill in requirement_skills(text, index=index, lines=lines)
    }
    extra = [skill for skill in keywords.skills_match(description, index=index) if skill_identity(skill) not in named]
    if industry is not None:
        extra.sort(key=lambda skill: -industry.skill_weight(skill["name"]))  # stable: ties keep document order
    items = []
    for skill in extra[:MAX_KEYWORDS]:
        label = label_unsegmented(skill["matched_text"])
        concept = Concept(label, SKILL_CONCEPT_WEIGHT, skills=(skill_identity(skill),))
        met = lines.meeting(concept)
        holder = lines[met[0]] if met else None
        share = Fraction(1, min(len(extra), MAX_KEYWORDS))
        if holder is None:
            item = Item(label, MISSING, _("missing"), share=share, missing=(concept,))
        else:
            item = Item(label, MET, holder.text, holder.section, share=share, earned=share)
        item.skill_name = skill["name"]
        items.append(item)
    return items
