"""The labelled evaluation set in data/evaluation/: it loads, its annotations are well formed, it meets the issue's
minimums, every pair refers to existing documents, and the tune/check split is fixed and disjoint by posting."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from market.industries import INDUSTRY_CODES
from predictions.evaluation.matching.dataset import (
    LANGUAGES,
    evaluation_set_check,
    evaluation_set_load,
    pairs_of_split,
    posting_split,
)

DATA_DIR = Path(settings.BASE_DIR) / "data" / "evaluation"


@pytest.fixture(scope="module")
def dataset():
    return evaluation_set_load(DATA_DIR)


def test_it_loads_the_set_with_no_problem(dataset) -> None:
    assert evaluation_set_check(dataset) == []
    assert (DATA_DIR / "SOURCE.md").exists()


def test_it_meets_the_issues_minimums_per_language_and_industry(dataset) -> None:
    cvs, postings = dataset.of_kind("cv"), dataset.of_kind("posting")
    cv_languages = Counter(document.language for document in cvs)
    posting_languages = Counter(document.language for document in postings)

    assert len(cvs) >= 40
    assert len(postings) >= 80
    assert len(dataset.pairs) >= 150
    assert set(cv_languages) == set(posting_languages) == set(LANGUAGES)
    for language in ("de", "fr", "es", "ja"):
        assert cv_languages[language] >= 4
        assert posting_languages[language] >= 8
    assert {document.industry for document in cvs} == set(INDUSTRY_CODES)
    assert {document.industry for document in postings} == {*INDUSTRY_CODES, None}


def test_every_pair_refers_to_an_annotated_cv_and_posting_with_a_fit(dataset) -> None:
    for pair in dataset.pairs:
        assert dataset.documents[pair.cv].kind == "cv"
        assert dataset.documents[pair.posting].kind == "posting"
        assert pair.fit in {"strong", "partial", "weak"}
        assert pair.reason.strip()
    fits = Counter(pair.fit for pair in dataset.pairs)
    assert min(fits.values()) >= 40  # every level well represented, or Spearman means little


def test_the_pairs_include_german_and_japanese_postings_against_english_cvs(dataset) -> None:
    def languages(pair) -> tuple[str, str]:
        return dataset.documents[pair.posting].language, dataset.documents[pair.cv].language

    crossed = Counter(languages(pair) for pair in dataset.pairs)
    assert crossed[("de", "en")] >= 5
    assert crossed[("ja", "en")] >= 5
    for language in LANGUAGES:
        posting_pairs = [pair for pair in dataset.pairs if dataset.documents[pair.posting].language == language]
        assert {pair.fit for pair in posting_pairs} == {"strong", "partial", "weak"}, language


def test_the_hard_cases_of_the_issue_are_in_the_set(dataset) -> None:
    nurse = dataset.documents["cv-en-02"]
    assert {"IV therapy", "wound care", "BLS", "ACLS", "telemetry"} <= set(nurse.skills)
    data_scientist = dataset.documents["po-en-01"]
    assert "Bachelor's in Statistics, CS, Mathematics or related field" in data_scientist.must_have
    assert "Compensation: $125,000 – $155,000 + equity" in data_scientist.text
    assert not any("Compensation" in phrase or "bonus" in phrase for phrase in data_scientist.nice_to_have)
    assert dataset.documents["po-en-02"].must_have == ()
    assert "必須要件" in dataset.documents["po-ja-01"].text
    assert "Ihr Profil" in dataset.documents["po-de-01"].text


def test_it_lists_a_pair_to_a_missing_document_and_a_surface_not_in_the_text(tmp_path) -> None:
    copy = tmp_path / "evaluation"
    shutil.copytree(DATA_DIR, copy)
    pairs = copy / "pairs.yaml"
    pairs.write_text(
        pairs.read_text(encoding="utf-8") + '  - {cv: cv-en-99, posting: po-en-01, fit: great, reason: ""}\n',
        encoding="utf-8",
    )
    annotation = copy / "cvs" / "cv-en-01.yaml"
    annotation.write_text(annotation.read_text(encoding="utf-8") + "  Kotlin: Kotlin\n", encoding="utf-8")

    problems = evaluation_set_check(evaluation_set_load(copy))

    assert "pair cv-en-99 × po-en-01: 'cv-en-99' is not an annotated CV" in problems
    assert "pair cv-en-99 × po-en-01: fit 'great' is not one of ('weak', 'partial', 'strong')" in problems
    assert "pair cv-en-99 × po-en-01: needs a one-line reason" in problems
    assert "cv-en-01: skill 'Kotlin' is written 'Kotlin', which is not in the text" in problems


def test_the_split_puts_each_posting_in_one_half_balanced_per_language(dataset) -> None:
    halves = posting_split(dataset)
    tune = pairs_of_split(dataset, "tune")
    check = pairs_of_split(dataset, "check")

    assert set(halves) == {document.id for document in dataset.of_kind("posting")}
    assert {pair.posting for pair in tune}.isdisjoint({pair.posting for pair in check})
    assert len(tune) + len(check) == len(dataset.pairs) == len(pairs_of_split(dataset, "all"))
    for language in LANGUAGES:
        counts = Counter(half for posting, half in halves.items() if dataset.documents[posting].language == language)
        assert abs(counts["tune"] - counts["check"]) <= 1
    assert halves["po-en-01"] == "tune"
    assert halves["po-en-02"] == "check"
    with pytest.raises(ValueError, match="split must be one of"):
        pairs_of_split(dataset, "train")
