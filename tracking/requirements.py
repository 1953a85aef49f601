"""Splits a posting's requirements into must-have and nice-to-have from its wording. Pure functions, no ORM."""

from __future__ import annotations

import re

NICE_MARKERS = re.compile(
    r"\b(nice[- ]to[- ]have|preferred|preferably|bonus|a plus|is a plus|plus if|desirable|ideally|"
    r"good to have|optional|would be great|wünschenswert|von vorteil|souhaité|un plus|deseable|valorable|歓迎)\b",
    re.IGNORECASE,
)
MUST_MARKERS = re.compile(
    r"\b(required|requirements?|must|mandatory|essential|you have|you bring|qualifications|minimum|at least|"
    r"erforderlich|voraussetzung|muss|requis|obligatoire|imprescindible|requisitos|必須)\b",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d+[.)])\s+")
MAX_ITEMS = 60


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def requirements_split(description: str) -> dict[str, list[str]]:
    """Returns {"must_have": [...], "nice_to_have": [...]}.

    A heading ("Requirements", "Nice to have") sets the kind of the bullets under it; a bullet's own wording
    ("… is a plus", "… required") overrides the heading. Bullets under no recognised heading are must-haves only when
    their own wording says so.
    """
    must: list[str] = []
    nice: list[str] = []
    section: str | None = None
    for line in _lines(description):
        is_bullet = bool(BULLET.match(line))
        item = BULLET.sub("", line).strip()
        looks_like_heading = not is_bullet and len(item) <= 40 and not re.search(r"[.!?](\s|$)", item)
        if looks_like_heading:
            if NICE_MARKERS.search(item):
                section = "nice"
                continue
            if MUST_MARKERS.search(item):
                section = "must"
                continue
            section = None
            continue
        sentences = [item] if is_bullet else re.split(r"(?<=[.;!?])\s+", item)
        for sentence in sentences:
            sentence = sentence.strip(" .;")
            if not sentence or len(sentence) > 300:
                continue
            if NICE_MARKERS.search(sentence):
                nice.append(sentence)
            elif MUST_MARKERS.search(sentence) or (is_bullet and section == "must"):
                must.append(sentence)
            elif is_bullet and section == "nice":
                nice.append(sentence)
    return {"must_have": must[:MAX_ITEMS], "nice_to_have": nice[:MAX_ITEMS]}
