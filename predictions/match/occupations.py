"""Whether two occupations found for job titles are the same, across O*NET and ESCO.

A title is read as an O*NET occupation or as an ESCO one ("Electrical Engineer III" as ESCO's "electrical engineer",
"Ingénieur électricien" as O*NET's Electrical Engineers): the crosswalk shipped in
``data/reference/esco_multilingual/onet_esco_crosswalk.csv`` (see its SOURCE.md) says when they are one occupation.
Two O*NET occupations of one SOC broad occupation (the first five digits: 17-2071 Electrical and 17-2072 Electronics
Engineers) are related, not the same. Reads one shipped file once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

CROSSWALK_PATH = (
    Path(__file__).resolve().parents[2] / "data" / "reference" / "esco_multilingual" / "onet_esco_crosswalk.csv"
)
SAME, RELATED = "same", "related"
BROAD_CHARS = len("17-207")  # an SOC code's broad occupation

Occupation = tuple[str, str]  # (taxonomy, code)


@lru_cache(maxsize=1)
def _crosswalk(path: Path = CROSSWALK_PATH) -> dict[Occupation, frozenset[Occupation]]:
    pairs: dict[Occupation, set[Occupation]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                onet, esco = ("onet", row["onet_code"].strip()), ("esco", row["esco_uri"].strip())
                pairs.setdefault(onet, set()).add(esco)
                pairs.setdefault(esco, set()).add(onet)
    except FileNotFoundError:
        return {}
    return {occupation: frozenset(others) for occupation, others in pairs.items()}


def identities(occupation: Occupation) -> frozenset[Occupation]:
    """The occupation and the ones the crosswalk makes it equal to (an ESCO occupation's O*NET ones and back)."""
    return frozenset({occupation, *_crosswalk().get(occupation, ())})


def _broad(occupation: Occupation) -> str:
    taxonomy, code = occupation
    return code[:BROAD_CHARS] if taxonomy == "onet" and len(code) >= BROAD_CHARS else ""


def relation(first: Iterable[Occupation], second: Iterable[Occupation]) -> str | None:
    """SAME when an occupation of ``first`` is one of ``second`` (through the crosswalk), RELATED when two share an
    SOC broad occupation, else None."""
    left = frozenset(identity for occupation in first for identity in identities(occupation))
    right = frozenset(identity for occupation in second for identity in identities(occupation))
    if left & right:
        return SAME
    broad = {_broad(occupation) for occupation in left} - {""}
    if broad & {_broad(occupation) for occupation in right}:
        return RELATED
    return None
