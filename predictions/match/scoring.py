"""CV-to-posting match: a deterministic score from 0 to 100 with the evidence for every point. Pure: no ORM, no I/O.

Weights (points out of 100, kept in ``predictions.match.weights`` so they can be tuned on labelled pairs), after
Huntr and Jobscan (see ../shared/ANCHORS.md):

- must-have requirements 50: qualifications are ⅓–½ of Huntr's score with must-haves weighted most; they are what a
  recruiter screens on, so they carry half the score;
- nice-to-have requirements 15: the same check, worth less because missing them rarely disqualifies;
- job title 15: Jobscan and Huntr both score the title separately; CV titles against the posting title by normalised
  words (seniority dropped) or by the same O*NET/ESCO occupation;
- experience 10: years of the CV's dated roles that do what the requirement names ("3+ years as a data scientist":
  the data-scientist roles, overlaps counted once) against the years it asks for;
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

from datetime import date
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _

from predictions.match.changes import KIND_ORDER, item_changes, one_decimal
from predictions.match.judges import (
    FOREIGN_POSTING,
    Item,
    experience_judge,
    keywords_judge,
    requirements_judge,
    title_judge,
)
from predictions.match.requirements import (
    cv_lines,
    years_asked,
)
from predictions.match.weights import BASE_WEIGHTS, KEYWORDS_MAX_WEIGHT
from tracking.cv import keywords
from tracking.cv.language import language_detect
from tracking.requirements import description_body, requirements_clean

SCORER_VERSION = "match-4"
MAX_CHANGES = 3
BANDS: tuple[tuple[int, str], ...] = ((80, "great"), (60, "good"), (40, "fair"), (0, "poor"))


def component_labels() -> dict[str, str]:
    return {
        "must_have": _("Must-have requirements"),
        "nice_to_have": _("Nice-to-have requirements"),
        "title": _("Job title"),
        "experience": _("Years of experience"),
        "keywords": _("Other skills in the description"),
    }


def _industry_share(industry, component: str, item: Item) -> int | None:
    """For a keyword, the percentage of the industry's US jobs in occupations that use it (None without one)."""
    if industry is None or component != "keywords":
        return None
    return round(100 * industry.skill_weight(item.skill_name)) if item.skill_name else None


def weights_effective(
    judged: list[str], *, base: dict[str, int] | None = None, keywords_max: int = KEYWORDS_MAX_WEIGHT
) -> dict[str, Fraction]:
    """Base weights (``base``, default BASE_WEIGHTS) of the judged components scaled to 100; keywords never above
    ``keywords_max``, the excess shared by the others in proportion to their base weights."""
    base = BASE_WEIGHTS if base is None else base
    total = sum(base[name] for name in judged)
    if not total:
        return {name: Fraction(0) for name in judged}
    weights = {name: Fraction(base[name] * 100, total) for name in judged}
    others = [name for name in judged if name != "keywords"]
    other_total = sum(base[name] for name in others)
    if weights.get("keywords", 0) > keywords_max and other_total:
        excess = weights["keywords"] - keywords_max
        weights["keywords"] = Fraction(keywords_max)
        for name in others:
            weights[name] += excess * base[name] / other_total
    return weights


def _languages_differ(cv_parsed: dict, cv_text: str, posting_description: str) -> bool:
    """Whether the posting is written in another language than the CV (both known: "und" is no language)."""
    cv_language = (cv_parsed.get("language") or {}).get("code") or language_detect(cv_text).code
    posting_language = language_detect(posting_description).code
    return "und" not in (cv_language, posting_language) and cv_language != posting_language


def match_score(
    *,
    cv_readable: bool,
    cv_text: str,
    cv_parsed: dict,
    posting_title: str,
    posting_description: str,
    requirements: dict,
    index: keywords.KeywordIndex,
    industry=None,
    today: date | None = None,
) -> dict:
    """The match of one CV version against one posting, as a plain dict (see the module docstring).

    With the posting's industry profile (market.keyword_databases.IndustryProfile), the keywords judged are the
    ones that industry uses most, and every judged skill says the share of the industry's jobs that use it.

    An unreadable CV (or one with no text) gets ``score: None`` and its ``reason``, never 0. ``today`` (default: the
    local date) ends the roles a CV dates "to present".
    """
    today = today or timezone.localdate()
    result: dict = {"score": None, "band": None, "reason": None, "components": [], "changes": []}
    result["scorer_version"] = SCORER_VERSION
    result["industry"] = industry.code if industry is not None else None
    if not cv_readable or not cv_text.strip():
        result["reason"] = _("We could not read this CV, so it has no match score.")
        return result
    lines = cv_lines(parsed=cv_parsed, text=cv_text, index=index)
    lines.cache[FOREIGN_POSTING] = _languages_differ(cv_parsed, cv_text, posting_description)
    cv_titles = list(cv_parsed.get("titles") or [])
    known = {(title.get("taxonomy"), title.get("occupation_code")) for title in cv_titles}
    for title in keywords.titles_match(text=cv_text, sections=cv_parsed.get("sections") or [], index=index):
        if (title["taxonomy"], title["occupation_code"]) not in known:
            cv_titles.append(title)
    cleaned = requirements_clean(requirements)  # lists stored by an older splitter may hold salaries and benefits
    must, nice = cleaned["must_have"], cleaned["nice_to_have"]
    title_item = title_judge(posting_title=posting_title, cv_titles=cv_titles, lines=lines, index=index)
    experience_item = experience_judge(
        asked=years_asked(must) or years_asked(nice) or years_asked(posting_description.splitlines()),
        cv_years=cv_parsed.get("years_experience"),
        lines=lines,
        index=index,
        today=today,
    )
    items_by_component: dict[str, list[Item]] = {
        "must_have": requirements_judge(must, lines=lines, index=index, today=today),
        "nice_to_have": requirements_judge(nice, lines=lines, index=index, today=today),
        "title": [title_item] if title_item else [],
        "experience": [experience_item] if experience_item else [],
        "keywords": keywords_judge(
            description=description_body(posting_description),
            requirement_lines=must + nice,
            lines=lines,
            index=index,
            industry=industry,
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
                "weight": one_decimal(weight),
                "base": BASE_WEIGHTS[name],
            }
        else:
            note = ""
        result["components"].append(
            {
                "name": name,
                "label": labels[name],
                "base_weight": BASE_WEIGHTS[name],
                "weight": one_decimal(weight),
                "points": one_decimal(points),
                "max_points": one_decimal(weight),
                "judged": name in judged,
                "note": note,
                "items": [
                    {
                        "requirement": item.requirement,
                        "status": item.status,
                        "evidence": item.evidence,
                        "section": item.section,
                        "points": one_decimal(weight * item.earned),
                        "max_points": one_decimal(weight * item.share),
                        "industry_share": _industry_share(industry, name, item),
                    }
                    for item in items
                ],
            }
        )
        for position, item in enumerate(items):
            share = _industry_share(industry, name, item)
            for change in item_changes(name, item, weight * (item.share - item.earned), cv_text, industry_share=share):
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
