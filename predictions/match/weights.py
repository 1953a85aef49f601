"""The match score's weights, in one place so that they can be tuned on labelled CV × posting pairs
(``predictions.match.scoring`` explains each; the evaluation set in data/evaluation/ is where they are checked).

Points out of 100 per component, the credit a judged item earns by status, and how much of a requirement's concept
weight must be found for it to be met.
"""

from __future__ import annotations

from fractions import Fraction

BASE_WEIGHTS: dict[str, int] = {"must_have": 50, "nice_to_have": 15, "title": 15, "experience": 10, "keywords": 10}
KEYWORDS_MAX_WEIGHT = 20  # the keywords part never takes more than this, however many are stuffed in
STATUS_CREDIT: dict[str, Fraction] = {"met": Fraction(1), "partial": Fraction(1, 2), "missing": Fraction(0)}
MET_COVERAGE = Fraction(3, 4)  # share of a requirement's concept weight that meets it
