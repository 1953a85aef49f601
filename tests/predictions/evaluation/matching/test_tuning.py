"""The weight tuning (predictions.evaluation.matching.tuning): rescoring a judged match gives the match's own score
with the current weights, and the coordinate search only moves a weight that raises Spearman on the pairs it is
given. Pure: a small keyword index, no database."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from predictions.evaluation.matching.dataset import Document, EvaluationSet, Pair
from predictions.evaluation.matching.tuning import (
    JudgedPair,
    coordinate_search,
    judged_pair,
    pair_rescore,
    spearman_of,
    weights_current,
)
from tests.predictions.match import samples
from tests.predictions.match.test_match_languages import index, match  # noqa: F401 - index is a fixture


def _pair(fit_value: int, *, must_met: float, title: float) -> JudgedPair:
    return JudgedPair(
        cv="cv",
        posting="po",
        fit_value=fit_value,
        split="tune",
        cross_language=False,
        posting_language="en",
        judged=("must_have", "title"),
        met={"must_have": must_met},
        partial={"must_have": 0.0},
        earned={"title": title},
    )


@pytest.mark.parametrize("cv", [samples.CV_EN, samples.CV_JA])
def test_it_rescores_a_match_to_its_own_score_with_the_current_weights(index, cv):  # noqa: F811
    result = match(samples.POSTING_EN, cv, index)
    dataset = EvaluationSet(
        documents={"cv": _document("cv", "cv"), "po": _document("po", "posting")}, pairs=[], skill_aliases={}
    )

    judged = judged_pair(Pair(cv="cv", posting="po", fit="strong", reason=""), result, dataset=dataset, split="tune")

    assert abs(pair_rescore(judged, weights_current()) - result["score"]) <= 1


def test_it_moves_a_weight_only_when_spearman_on_the_pairs_rises():
    # The judged fit follows the title, not the must-haves: the search must raise the title's weight.
    pairs = [_pair(3, must_met=0.2, title=1.0), _pair(2, must_met=0.5, title=0.5), _pair(1, must_met=0.9, title=0.0)]
    start = weights_current()

    tuned, score = coordinate_search(pairs, start)

    assert spearman_of(pairs, start) < 0
    assert score == spearman_of(pairs, tuned) == pytest.approx(1.0)
    assert tuned.base["title"] > start.base["title"] or tuned.base["must_have"] < start.base["must_have"]


def test_it_keeps_the_weights_when_nothing_gains_enough():
    pairs = [_pair(3, must_met=1.0, title=1.0), _pair(2, must_met=0.5, title=0.5), _pair(1, must_met=0.0, title=0.0)]
    start = replace(weights_current(), partial_credit=Fraction(1, 2))

    assert coordinate_search(pairs, start) == (start, pytest.approx(1.0))


def _document(document_id: str, kind: str) -> Document:
    return Document(
        id=document_id,
        kind=kind,
        language="en",
        industry="technology",
        text="",
        title="",
        titles=(),
        occupation_soc=(),
        occupation_isco=(),
        years_experience=None,
        degrees=(),
        skills={},
    )
