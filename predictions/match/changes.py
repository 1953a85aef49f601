"""The changes a match result suggests, each with the points it would gain (``predictions.match.scoring``).

Missing skills, titles and years are reported as gaps to close, never as words to add: a suggestion only asks the
user to write down what the CV already shows (dates, a skill's place in the skills section) or what they truly have.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from predictions.match.judges import Item
from predictions.match.requirements import YEARS_RE

KIND_ORDER = {"fact": 0, "dates": 1, "gap": 2, "placement": 3}


def one_decimal(value: Fraction) -> float:
    return float(round(value, 1))


def _change(kind: str, message: str, gain: Fraction, component: str, item: Item, skills: list[str]) -> dict:
    return {
        "kind": kind,
        "message": message,
        "gain": one_decimal(gain),
        "component": component,
        "requirement": item.requirement,
        "skills": skills,
        "_gain": gain,
    }


def item_changes(
    component: str, item: Item, gain: Fraction, cv_text: str, *, industry_share: int | None = None
) -> list[dict]:
    """The changes that would earn an item's missing points; `industry_share` (a keyword's share of the posting's
    industry's jobs, in %) is named in the advice when known."""
    changes = []
    if gain > 0 and component in ("must_have", "nice_to_have") and item.status in ("missing", "partial"):
        # The requirement in its own words: its leftover words ("Solid, grounding") are not a phrase to show.
        skills = [concept.label for concept in item.missing if concept.skills or concept.concepts]
        if component == "must_have" and item.status == "missing":
            message = _(
                "The posting asks for: %(requirement)s. Your CV does not show it — a gap to close, do not add it "
                "unless you have the experience."
            )
        elif component == "must_have":
            message = _(
                "The posting asks for: %(requirement)s. Your CV shows only part of it — a gap to close, do not add "
                "what you do not have."
            )
        elif item.status == "missing":
            message = _(
                "The posting would value: %(requirement)s. Your CV does not show it — a gap to close, do not add it "
                "unless you have the experience."
            )
        else:
            message = _(
                "The posting would value: %(requirement)s. Your CV shows only part of it — a gap to close, do not "
                "add what you do not have."
            )
        message = message % {"requirement": item.requirement}
        changes.append(_change("gap", message, gain, component, item, skills))
    elif gain > 0 and component == "keywords" and item.missing:
        what = ", ".join(concept.label for concept in item.missing)
        skills = [concept.label for concept in item.missing if concept.skills]
        if industry_share:
            message = _(
                "The description mentions %(what)s, which %(share)s%% of this industry's jobs use; your CV does not — "
                "add it only if you have used it, otherwise it is a gap to close."
            )
        else:
            message = _(
                "The description mentions %(what)s; your CV does not — add it only if you have used it, otherwise "
                "it is a gap to close."
            )
        changes.append(_change("gap", message % {"what": what, "share": industry_share}, gain, component, item, skills))
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
