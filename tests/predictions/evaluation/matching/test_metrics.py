"""The matching evaluation's metric functions on small hand-made cases: precision and recall, skill names as
canonical labels, requirement phrases, ranks and Spearman's correlation, occupations."""

from __future__ import annotations

import random

import pytest
from scipy.stats import spearmanr

from predictions.evaluation.matching.metrics import (
    Counts,
    counts_sum,
    occupation_correct,
    phrase_similarity,
    phrases_match,
    ranks,
    requirements_compare,
    skill_key,
    skill_keys,
    skills_compare,
    spearman,
)


def test_it_computes_precision_and_recall_from_counts() -> None:
    counts = Counts(correct=3, predicted=4, gold=6)

    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.5)
    assert Counts().precision is None
    assert Counts().recall is None
    assert counts_sum([counts, Counts(1, 1, 2)]) == Counts(4, 5, 8)


def test_it_normalises_skill_names_to_comparable_keys() -> None:
    assert skill_key("Microsoft Excel") == skill_key("Excel") == "excel"
    assert skill_key("Relational database software") == skill_key("relational databases")
    assert skill_key("Adobe Photoshop") == "photoshop"
    assert skill_key("Google Ads") == "google ads"  # Google is part of the product's name
    assert skill_keys("Structure query language SQL") == (
        "structure query language sql",
        {"sql", "structure query language"},
    )
    assert skill_keys("Amazon Web Services AWS software")[1] == {"aws", "amazon web service"}
    assert skill_keys("Python")[1] == frozenset()


def test_it_counts_a_skill_found_by_its_label_a_listed_name_or_its_surface() -> None:
    gold = {"SQL": "SQL", "Excel": "Excel", "IV therapy": "IV therapy", "machine learning": "maschinelles Lernen"}
    predicted = ["Structure query language SQL", "Adobe Presenter", "Microsoft Excel", "maschinelles Lernen", "Python"]

    counts, found, wrong, missed = skills_compare(predicted, gold, aliases={})

    assert counts == Counts(correct=3, predicted=5, gold=4)
    assert found == ["SQL", "Excel", "machine learning"]
    assert wrong == ["Adobe Presenter", "Python"]
    assert missed == ["IV therapy"]


def test_it_does_not_let_an_acronym_in_the_text_vouch_for_a_wrong_skill() -> None:
    counts, _found, wrong, _missed = skills_compare(
        ["Statistical energy analysis SEA software"], {"SEM": "SEA"}, aliases={"SEM": ["search engine marketing"]}
    )

    assert counts == Counts(correct=0, predicted=1, gold=1)
    assert wrong == ["Statistical energy analysis SEA software"]


def test_it_counts_two_spellings_of_one_skill_once_and_prefers_an_unfound_label() -> None:
    aliases = {"SAP ERP": ["SAP"]}
    counts, found, _wrong, _missed = skills_compare(
        ["SAP software", "SAP ERP", "Microsoft Excel", "Excel"],
        {"SAP": "SAP", "SAP ERP": "SAP ERP", "Excel": "Excel"},
        aliases,
    )

    assert counts == Counts(correct=3, predicted=3, gold=3)
    assert found == ["SAP", "SAP ERP", "Excel"]


def test_it_matches_requirement_phrases_one_to_one_within_their_kind() -> None:
    predicted = {
        "must_have": ["Strong Python and SQL.", "Compensation: $125,000 – $155,000"],
        "nice_to_have": ["Sign-on bonus available", "3+ years as a data scientist"],
    }
    gold = {"must_have": ["Strong Python and SQL", "3+ years as a data scientist"], "nice_to_have": []}

    assert requirements_compare(predicted, gold) == Counts(correct=1, predicted=4, gold=2)


def test_it_matches_a_bullet_written_with_its_marker_but_not_a_lone_word() -> None:
    assert (
        phrase_similarity("CPCU designation or progress toward it is a plus", "CPCU designation or progress toward it")
        == 100
    )
    assert phrase_similarity("SQL", "Strong Python and SQL") < 80
    assert phrase_similarity("Requirements", "") == 0.0
    assert phrases_match(["würde", "Erfahrung", "begrüßen"], ["Erfahrung mit Airflow und dbt"]) == []
    assert phrases_match(["a b c", "x y z"], ["x y z", "a b c"]) == [(0, 1), (1, 0)]


def test_it_ranks_ties_at_their_mean_rank() -> None:
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_it_computes_spearman_with_ties_as_worked_by_hand() -> None:
    assert spearman([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ranks [1, 2, 3, 4] and [1.5, 1.5, 3.5, 3.5]: covariance 4, spreads sqrt(5) and 2
    assert spearman([1, 2, 3, 4], [0, 0, 2, 2]) == pytest.approx(4 / (2 * 5**0.5))
    assert spearman([1, 2], [2, 1]) is None
    assert spearman([3, 3, 3], [0, 1, 2]) is None
    with pytest.raises(ValueError, match="differ in length"):
        spearman([1, 2, 3], [1, 2])


def test_it_agrees_with_scipy_on_scores_against_three_level_fits() -> None:
    generator = random.Random(15)
    scores = [generator.randint(0, 100) for _ in range(60)]
    fits = [generator.choice((0, 1, 2)) for _ in range(60)]

    assert spearman(scores, fits) == pytest.approx(spearmanr(scores, fits).statistic)


def test_it_judges_an_occupation_by_soc_prefix_or_isco_group() -> None:
    accepted = {"soc": ["15-2051", "15-2041"], "isco": ["2120"]}

    assert occupation_correct(taxonomy="onet", code="15-2051.01", isco_group=None, **accepted)
    assert not occupation_correct(taxonomy="onet", code="19-4021.00", isco_group=None, **accepted)
    assert occupation_correct(taxonomy="esco", code="http://esco/x", isco_group="2120", **accepted)
    assert not occupation_correct(taxonomy="esco", code="http://esco/y", isco_group="2511", **accepted)
    assert not occupation_correct(taxonomy=None, code=None, isco_group=None, **accepted)


def test_british_and_american_spellings_of_a_skill_are_one_name():
    counts, found, wrong, missed = skills_compare(
        ["financial modelling", "Professional Engineer licence"],
        {"financial modeling": "financial modeling", "Professional Engineer license": "PE license"},
        {},
    )
    assert (counts.correct, wrong, missed) == (2, [], [])
    assert found == ["financial modeling", "Professional Engineer license"]
