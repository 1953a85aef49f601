"""ESCO's skill labels as a second extraction vocabulary, and ESCO's alternative occupation labels for non-English
titles (issue 15, recall). Pure: the index is built from a few O*NET names plus the shipped vocabulary files."""

from __future__ import annotations

import pytest

from tracking.cv import keywords
from tracking.cv.keyword_index import esco_alternative_labels, ordinary_words_load
from tracking.cv.skill_vocabulary import label_stems


@pytest.fixture(scope="module")
def index() -> keywords.KeywordIndex:
    titles = [
        ("Disponent", "esco_alt", "esco:dispatcher", "dispatcher", "esco"),
        ("analyste financier", "esco_alt", "esco:analyst", "financial analyst", "esco"),
        ("ingeniero de calidad", "esco_alt", "esco:quality", "quality engineer", "esco"),
    ]
    return keywords.keyword_index_build(
        onet_skills=[("Python", "python"), ("Microsoft Excel", "excel")],
        titles=titles,
        ordinary_words=ordinary_words_load(),
        esco_vocabulary=True,
    )


def _esco(text: str, index: keywords.KeywordIndex, languages: tuple[str, ...]) -> dict[str, str]:
    return {
        skill["matched_text"]: skill["name"]
        for skill in keywords.skills_match(text, index=index, languages=languages)
        if skill["taxonomy"] == "esco"
    }


# ---------------------------------------------------------------------------------------------------------------------
# Skills found
# ---------------------------------------------------------------------------------------------------------------------
def test_it_reads_english_methods_written_as_list_items(index):
    found = _esco("Skills: classroom management, email marketing, Python", index, ("en",))

    assert found == {"classroom management": "classroom management", "email marketing": "email marketing"}


def test_it_reads_an_item_joined_by_a_conjunction(index):
    found = _esco("- Lesson planning and classroom management", index, ("en",))

    assert "classroom management" in found.values()


def test_it_reads_spanish_labels_singular_and_plural_under_one_english_name(index):
    singular = _esco("Competencias: auditoría interna, Excel", index, ("en", "es"))
    plural = _esco("Competencias: auditorías internas, Excel", index, ("en", "es"))

    assert list(singular.values()) == ["internal auditing"]
    assert list(plural.values()) == ["internal auditing"]


def test_it_reads_french_labels_in_a_french_cv(index):
    text = "J'ai travaillé comme cheffe de projet dans une entreprise.\nCompétences : gestion de projets, Python"

    assert _esco(text, index, ("en", "fr")) == {"gestion de projets": "project management"}


def test_it_reads_german_labels_with_their_adjective_endings(index):
    assert label_stems("inkrementelle Entwicklung", "de") == label_stems("inkrementeller Entwicklungen", "de")
    found = _esco("Kenntnisse: inkrementelle Entwicklung, Python", index, ("en", "de"))

    assert found == {"inkrementelle Entwicklung": "Incremental development"}


def test_it_detects_the_language_when_none_is_given(index):
    text = (
        "He trabajado cinco años en el departamento de auditoría de una empresa de distribución.\n"
        "Competencias: auditoría interna, Excel"
    )

    assert "internal auditing" in {skill["name"] for skill in keywords.skills_match(text, index=index)}


# ---------------------------------------------------------------------------------------------------------------------
# Words that must not become skills
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "I led the supply chain team and improved customer satisfaction across the company.",
        "Our team of five works in international trade and reports to the board.",
        "M.Sc. Mechanical Engineering, Technische Universität München",
        "Logistics, Mathematics, Communication, Electricity",
        "Teamwork, English, Spanish",
    ],
)
def test_it_reads_no_esco_skill_from_prose_degrees_disciplines_or_soft_skills(index, text):
    assert _esco(text, index, ("en",)) == {}


def test_a_product_of_the_keyword_index_is_not_also_read_as_an_esco_label(index):
    skills = keywords.skills_match("Skills: Microsoft Excel, Python", index=index, languages=("en",))

    assert [skill["taxonomy"] for skill in skills] == ["onet", "onet"]


def test_without_the_vocabulary_the_index_reads_no_esco_label():
    bare = keywords.keyword_index_build(onet_skills=[("Python", "python")], titles=[])

    found = keywords.skills_match("Skills: incremental development, Python", index=bare)

    assert [skill["name"] for skill in found] == ["Python"]


# ---------------------------------------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "occupation"),
    [
        ("Analyste financier H/F", "financial analyst"),
        ("Analyste financier (H/F)", "financial analyst"),
        ("Ingeniero/a de Calidad – Automoción", "quality engineer"),
        ("Disponent (m/w/d) Nahverkehr", "dispatcher"),
        ("Disponent Logistik", "dispatcher"),
    ],
)
def test_it_reads_a_title_past_gender_markers_and_a_trailing_specialty(index, title, occupation):
    found = keywords.titles_match(text=title, sections=[], index=index)

    assert [item["occupation_title"] for item in found] == [occupation]


def test_it_reads_no_title_from_a_title_word_followed_by_a_phrase(index):
    assert keywords.titles_match(text="Disponent of the week award", sections=[], index=index) == []


def test_the_shipped_alternative_labels_hold_titles_cvs_write():
    labels = {label for _uri, found in esco_alternative_labels() for label in found}

    assert {"Disponent", "Kreditanalyst"} <= labels
