"""Issue 15's CV-side failures, each read against the real O*NET 29.2 skills and titles (the index built from the
shipped files, as ``keyword_index`` builds it from the loaded rows) and the shipped skill concepts."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from tracking.cv import keywords
from tracking.cv.concepts import display_label, japanese_titles, skill_label
from tracking.cv.extract import cv_file_read, cv_text_read
from tracking.cv.keyword_index import ordinary_words_load
from tracking.cv.sections import cv_sections_split, experience_years

ONET = Path(settings.BASE_DIR) / "data" / "reference" / "onet_29_2"


def _tab_rows(name: str) -> list[dict[str, str]]:
    with (ONET / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def index() -> keywords.KeywordIndex:
    occupations = {row["O*NET-SOC Code"]: row["Title"] for row in _tab_rows("Occupation_Data.txt")}
    titles = [(title, "preferred", code, title, "onet") for code, title in occupations.items()]
    titles += [
        (row["Reported Job Title"], "reported", row["O*NET-SOC Code"], occupations[row["O*NET-SOC Code"]], "onet")
        for row in _tab_rows("Sample_of_Reported_Titles.txt")
    ]
    titles += [
        (row["Alternate Title"], "alternate", row["O*NET-SOC Code"], occupations[row["O*NET-SOC Code"]], "onet")
        for row in _tab_rows("Alternate_Titles.txt")
    ]
    titles += [(title, "alternate", code, occupations[code], "onet") for title, code in japanese_titles()]
    names = dict.fromkeys(row["Example"] for row in _tab_rows("Technology_Skills.txt"))
    return keywords.keyword_index_build(
        onet_skills=[(name, name.casefold()) for name in names],
        titles=titles,
        ordinary_words=ordinary_words_load(),
    )


def _labels(text: str, index: keywords.KeywordIndex) -> list[str]:
    return [skill["label"] for skill in keywords.skills_match(text, index=index)]


# ---------------------------------------------------------------------------------------------------------------------
# Words that are not skills
# ---------------------------------------------------------------------------------------------------------------------
def test_it_reads_no_skill_from_a_present_date(index):
    assert _labels("Data Analyst, Acme Corp (2019 – Present)\nPresent: leading the team", index) == []


def test_it_reads_no_product_from_a_verb(index):
    assert _labels("- Cut holding costs 12% by reducing stock-outs across 40 stores", index) == []
    assert _labels("Reduce churn by presenting weekly findings", index) == []


def test_it_reads_an_activity_as_no_software_category(index):
    assert "Statistical analysis software" not in [
        skill["name"] for skill in keywords.skills_match("- statistical analysis of survey data", index=index)
    ]


def test_it_still_reads_an_all_capitals_product_written_as_one(index):
    assert [skill["name"] for skill in keywords.skills_match("Tools: REDUCE, Maple", index=index)][:1] == ["REDUCE"]


def test_it_reads_a_product_without_the_maker_onet_writes_in_front(index):
    # O*NET writes "StataCorp Stata", "Dassault Systemes SolidWorks", "ESRI ArcGIS Desktop"; CVs write the product.
    found = keywords.skills_match(
        "- Cleaned survey data in R and Stata; drew parts in SolidWorks; maps in ArcGIS", index=index
    )
    labels = [skill["label"] for skill in found]
    assert "Stata" in labels
    assert "SolidWorks" in labels
    assert {skill["name"] for skill in found} >= {"StataCorp Stata", "Dassault Systemes SolidWorks"}


def test_it_reads_a_product_named_by_an_ordinary_word_only_as_a_listed_name(index):
    # "SunGard Frontier" is a product; "frontier" is an ordinary word (wordfreq), so only a list names it.
    assert "Frontier" not in _labels("Pushed the Frontier of our analytics, then moved to Canopy Street", index)
    assert "Frontier" in _labels("Tools: Excel, Frontier, Bloomberg", index)


# ---------------------------------------------------------------------------------------------------------------------
# One skill, one label
# ---------------------------------------------------------------------------------------------------------------------
def test_it_collapses_onets_variant_spellings_into_one_skill_labelled_as_cvs_write_it(index):
    found = keywords.skills_match(
        "Skills: Structure query language SQL\nStructured query language SQL, SQL, Amazon Web Services AWS software",
        index=index,
    )

    assert [skill["label"] for skill in found] == ["SQL", "AWS"]
    assert found[0]["evidence"] == "Skills: Structure query language SQL"


def test_it_labels_an_onet_name_that_ends_with_its_own_acronym_by_the_acronym(index):
    found = keywords.skills_match("- Led failure mode and effects analysis (FMEA) workshops", index=index)

    assert [skill["label"] for skill in found] == ["FMEA"]
    assert [
        display_label(name)
        for name in (
            "Failure mode and effects analysis FMEA software",
            "Failure mode effects and criticality analysis FMECA software",
            "Extensible markup language XML",
            "Database management system DBMS",
            "Single sign-on SSO",
        )
    ] == ["FMEA", "FMECA", "XML", "DBMS", "SSO"]


def test_it_keeps_a_vendors_name_whose_last_word_only_looks_like_an_acronym():
    assert display_label("Scientific Software Group DTM") == "Scientific Software Group DTM"
    assert display_label("Apache Subversion SVN") == "Apache Subversion SVN"


def test_it_shows_a_skill_stored_with_an_older_label_by_todays_label():
    stored = {
        "name": "Failure mode and effects analysis FMEA software",
        "label": "Failure mode and effects analysis FMEA",
        "taxonomy": "onet",
        "key": "failure mode and effects analysis fmea software",
        "concept": "",
    }

    assert skill_label(stored, "de") == "FMEA"


@pytest.mark.parametrize(
    "written",
    ["machine learning", "maschinelles Lernen", "apprentissage automatique", "aprendizaje automático", "機械学習"],
)
def test_it_reads_machine_learning_in_five_languages_as_one_concept(index, written):
    found = keywords.skills_match(f"Projects: {written} for demand forecasting", index=index)

    # Demand forecasting is a supply-chain skill concept of its own (demand planning).
    assert [(skill["concept"], skill["taxonomy"]) for skill in found] == [
        ("machine-learning", "esco"),
        ("demand-planning", "cvplus"),
    ]


def test_it_reads_statistics_sql_and_python_across_languages_as_the_same_skills(index):
    english = keywords.skills_match("Statistics, SQL, Python", index=index)
    japanese = keywords.skills_match("統計学、SQL、Pythonを用いた分析", index=index)

    assert [(skill["taxonomy"], skill["key"]) for skill in japanese] == [
        (skill["taxonomy"], skill["key"]) for skill in english
    ]


def test_it_labels_a_concept_in_the_users_language(index):
    [skill] = keywords.skills_match("machine learning", index=index)

    assert [skill_label(skill, language) for language in ("en", "de", "fr", "es", "ja")] == [
        "machine learning",
        "maschinelles Lernen",
        "apprentissage automatique",
        "aprendizaje automático",
        "機械学習",
    ]


def test_it_finds_a_german_label_inside_a_compound_and_not_its_generic_head(index):
    assert _labels("Versorgungsdatenanalysen und Wundversorgung", index) == ["data analysis", "wound care"]
    assert _labels("Marktanalyse und Analyse", index) == []


# ---------------------------------------------------------------------------------------------------------------------
# A nurse's DOCX, a research assistant, a Japanese CV
# ---------------------------------------------------------------------------------------------------------------------
def _nurse_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Maria Lopez, RN", level=0)
    document.add_paragraph("Registered Nurse · maria.lopez@example.com · 555-010-2030")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Registered Nurse, St. Mary's Hospital — Cardiac Step-Down Unit (2018 – Present)")
    for bullet in (
        "Provide IV therapy, including peripheral IV insertion, for a 5-patient telemetry caseload",
        "Performed wound care and dressing changes for post-surgical patients",
        "Monitored cardiac telemetry and escalated arrhythmias to the rapid response team",
    ):
        document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Certifications", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "BLS", "American Heart Association, 2024"
    table.cell(1, 0).text, table.cell(1, 1).text = "ACLS", "American Heart Association, 2024"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_nurses_docx_clinical_skills(index):
    extraction = cv_file_read(data=_nurse_docx(), filename="maria.docx")
    assert extraction.ok

    found = {skill["label"]: skill["evidence"] for skill in keywords.skills_match(extraction.text, index=index)}

    assert {"IV therapy", "wound care", "BLS", "ACLS", "telemetry monitoring"} <= set(found)
    assert found["wound care"] == "Performed wound care and dressing changes for post-surgical patients"


def test_it_reads_a_research_assistant_in_statistics_as_a_statistical_assistant(index):
    text = "Sam Lee\nExperience\nResearch Assistant, Department of Statistics, 2021 – 2023\n- Survey sampling in R"
    titles = keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)

    assert [title["occupation_title"] for title in titles] == ["Statistical Assistants"]


def test_it_reads_a_research_assistant_in_a_lab_as_a_biological_technician(index):
    text = "Sam Lee\nExperience\nResearch Assistant, 2021 – 2023\n- Cultured cells; biological assays; PCR"
    titles = keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)

    assert [title["occupation_title"] for title in titles] == ["Biological Technicians"]


JAPANESE_CV = """職務経歴書
山田 花子
データサイエンティスト

職務経歴
2019年4月～現在 株式会社サンプル データサイエンティスト
・機械学習モデルによる需要予測を開発
・統計学の知識を活かしA/Bテストを設計
2016年4月～2019年3月 株式会社テスト データアナリスト

スキル
Python、SQL、統計学、機械学習
"""


def test_it_reads_a_japanese_cvs_title_skills_and_years(index):
    sections = cv_sections_split(JAPANESE_CV)
    titles = keywords.titles_match(text=JAPANESE_CV, sections=sections, index=index)
    found = keywords.skills_match(JAPANESE_CV, index=index)

    assert titles[0]["title_as_written"] == "データサイエンティスト"
    assert titles[0]["occupation_title"] == "Data Scientists"
    assert {"statistics", "machine-learning", "python", "sql"} <= {skill["concept"] for skill in found}
    evidence = {skill["concept"]: skill["evidence"] for skill in found}
    assert evidence["machine-learning"] == "・機械学習モデルによる需要予測を開発"
    assert experience_years(sections, today=date(2025, 6, 1)) == 9


GERMAN_HEADLINE_CV = """Katrin Hoffmann, Projektmanagement, München, katrin.hoffmann@example.de, +49 170 1234567

Berufserfahrung
03/2019 – heute Projektleiterin, Stadtwerke Beispiel GmbH
- Einführung von Jira und Confluence
"""


def test_it_quotes_the_part_of_a_headline_it_read_a_skill_from_never_the_contact_details(index):
    evidence = {skill["label"]: skill["evidence"] for skill in keywords.skills_match(GERMAN_HEADLINE_CV, index=index)}

    assert evidence["project management"] == "Projektmanagement"
    assert evidence["Atlassian JIRA"] == "- Einführung von Jira und Confluence"
    assert not any("@" in line or "170" in line for line in evidence.values())


def test_it_quotes_the_title_line_a_skill_was_read_from_not_the_contact_line_below_it(index):
    text = (
        "Katrin Hoffmann\nSenior Projektmanagerin | Projektmanagement & Prozessoptimierung\n"
        "Lindenstraße 12, 80331 München · katrin.hoffmann@example.de · +49 170 1234567\n"
    )
    evidence = {skill["label"]: skill["evidence"] for skill in keywords.skills_match(text, index=index)}

    assert evidence["project management"] == "Senior Projektmanagerin | Projektmanagement & Prozessoptimierung"
    assert not any("@" in line for line in evidence.values())


# ---------------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01\x02\ufffd" * 1000,
        "Python, SQL, 機械学習, Datenanalyse " * 150_000,  # ~5 MB
        "".join(chr(code) for code in range(1, 0x3100)) * 3,
        "機" * 200_000,
    ],
    ids=["empty", "binary", "huge", "every-character", "one-long-japanese-word"],
)
def test_it_never_crashes_on_bad_text(index, text):
    skills = keywords.skills_match(text, index=index)
    titles = keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)

    assert isinstance(skills, list)
    assert isinstance(titles, list)
    if text.startswith("Python"):
        assert {skill["label"] for skill in skills} == {"Python", "SQL", "machine learning", "data analysis"}


def test_it_refuses_empty_and_binary_files_with_a_reason():
    assert not cv_file_read(data=b"", filename="empty.txt").ok
    assert not cv_file_read(data=bytes(range(256)) * 100, filename="junk.bin").ok
    assert not cv_text_read("   ").ok


@pytest.mark.django_db
def test_it_reads_a_german_title_as_the_occupation_esco_labels_it_for(cast):
    from market.models import Occupation

    keywords.keyword_index_clear()
    Occupation.objects.create(
        taxonomy="onet",
        code="99-9998.00",
        title="Widget Scientists",
        label_de="Widgetwissenschaftler/Widgetwissenschaftlerin",
        label_fr="scientifique des widgets",
    )
    try:
        index = keywords.keyword_index()
        for written in ("Widgetwissenschaftlerin", "Scientifique des widgets"):
            text = f"Alex Example\n{written}\nErfahrung"
            [title] = keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)

            assert (title["title_as_written"], title["occupation_code"]) == (written, "99-9998.00")
    finally:
        keywords.keyword_index_clear()
