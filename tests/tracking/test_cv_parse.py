"""Sections, dates, contact flags, skills and titles: pure functions, plus one index built from market rows."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tracking.cv import keywords
from tracking.cv.sections import contact_flags, cv_sections_split, date_ranges, experience_years

TODAY = date(2025, 6, 15)

ONET_SKILLS = [
    ("Python", "python"),
    ("R", "r"),
    ("Go", "go"),
    ("C", "c"),
    ("C++", "c++"),
    ("C#", "c#"),
    ("JavaScript", "javascript"),
    ("Kubernetes", "kubernetes"),
    ("PostgreSQL", "postgresql"),
    ("Microsoft Excel", "microsoft excel"),
    ("Microsoft Word", "microsoft word"),
    ("Microsoft SQL Server", "microsoft sql server"),
    ("Microsoft .NET Framework", "microsoft .net framework"),
    ("Node.js", "node.js"),
    ("Amazon Web Services AWS software", "amazon web services aws software"),
    ("Adobe Experience Manager (AEM)", "adobe experience manager (aem)"),
    ("Web browser software", "web browser software"),
    ("Project management software", "project management software"),
    ("Accounting software", "accounting software"),
]
TITLES = [
    ("Software Engineer", "reported", "15-1252.00", "Software Developers", "onet"),
    ("Software Developers", "preferred", "15-1252.00", "Software Developers", "onet"),
    ("Data Analyst", "alternate", "15-2051.00", "Data Scientists", "onet"),
    ("Models", "preferred", "41-9012.00", "Models", "onet"),
    ("Registered Nurse (RN)", "alternate", "29-1141.00", "Registered Nurses", "onet"),
]


@pytest.fixture(scope="module")
def index() -> keywords.KeywordIndex:
    return keywords.keyword_index_build(onet_skills=ONET_SKILLS, titles=TITLES)


def _names(matches: list[dict]) -> list[str]:
    return [match["name"] for match in matches]


# ---------------------------------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Jane Doe\nPROFILE\nEngineer.\nWork Experience:\nAcme\nEducation\nMIT\nSkills\nPython\nLanguages\nEnglish",
            ["header", "summary", "experience", "education", "skills", "languages"],
        ),
        (
            "Marie Curie\nExpérience professionnelle\nACME\nFormation\nSorbonne\nCompétences\nPython\nLangues\nAnglais",
            ["header", "experience", "education", "skills", "languages"],
        ),
        (
            "Max Muster\nBerufserfahrung\nACME\nAusbildung\nTU\nKenntnisse\nPython\nSprachen\nEnglisch",
            ["header", "experience", "education", "skills", "languages"],
        ),
        (
            "Ana García\nExperiencia laboral\nACME\nEducación\nUPM\nHabilidades\nPython\nIdiomas\nInglés",
            ["header", "experience", "education", "skills", "languages"],
        ),
        (
            "山田太郎\n職歴\n株式会社ACME\n学歴\n東京大学\nスキル\nPython\n語学\n英語",
            ["header", "experience", "education", "skills", "languages"],
        ),
    ],
    ids=["en", "fr", "de", "es", "ja"],
)
def test_it_splits_sections_by_headings_in_five_languages(text, kinds):
    assert [section["kind"] for section in cv_sections_split(text)] == kinds


def test_it_keeps_the_heading_text_and_line_of_each_section():
    sections = cv_sections_split("Jane Doe\n\n## WORK EXPERIENCE ##\nAcme, engineer\nCertifications\nAWS SAA\n")

    assert sections == [
        {"kind": "header", "heading": "", "text": "Jane Doe", "start_line": 1},
        {"kind": "experience", "heading": "## WORK EXPERIENCE ##", "text": "Acme, engineer", "start_line": 3},
        {"kind": "certifications", "heading": "Certifications", "text": "AWS SAA", "start_line": 5},
    ]


def test_it_does_not_take_a_sentence_mentioning_experience_for_a_heading():
    sections = cv_sections_split("Summary\nI have experience with Python and skills in SQL.")

    assert [section["kind"] for section in sections] == ["summary"]


# ---------------------------------------------------------------------------------------------------------------------
# Years of experience and contact flags
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "months"),
    [
        ("Acme 2018 – 2023", 60),
        ("Acme 03/2019 - present", 75),
        ("Acme seit 2020", 65),
        ("株式会社ACME 2019年4月～現在", 74),
        ("Acme, Jan 2018 – Dec 2020", 35),
        ("Acme, mars 2017 à juin 2019", 27),
        ("Acme, desde 2021", 53),
        ("Acme 2023 – 2018", None),
        ("Acme 2026 – 2027", None),
        ("Python 3.10 - 2020", None),
    ],
)
def test_it_reads_date_ranges_conservatively(line, months):
    ranges = date_ranges(line, today=TODAY)

    assert [last - first for first, last in ranges] == ([] if months is None else [months])


def test_it_sums_overlapping_experience_once():
    sections = cv_sections_split(
        "Experience\nAcme 2015 – 2020\nSide project 2018 – 2019\nBeta 01/2021 - 01/2023\nEducation\nMIT 2010 - 2015"
    )

    assert experience_years(sections, today=TODAY) == 7


def test_it_returns_no_years_without_an_experience_section():
    assert experience_years(cv_sections_split("Education\nMIT 2010 - 2015"), today=TODAY) is None


def test_it_flags_email_and_phone_without_keeping_them():
    assert contact_flags("jane@example.com\n+49 170 1234567") == {"has_email": True, "has_phone": True}
    assert contact_flags("Acme 2018 - 2023\n03/2019 - 05/2021") == {"has_email": False, "has_phone": False}


# ---------------------------------------------------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------------------------------------------------
def test_it_matches_skills_with_synonyms_and_abbreviations(index):
    text = "Deployed on AWS with k8s and Postgres; front-ends in JS; SQL Server reports"

    assert _names(keywords.skills_match(text, index=index)) == [
        "Amazon Web Services AWS software",
        "Kubernetes",
        "PostgreSQL",
        "JavaScript",
        "Microsoft SQL Server",
    ]


def test_it_matches_word_forms_through_stemming(index):
    matches = keywords.skills_match("Tested web browsers for accounting; managing projects", index=index)

    assert _names(matches) == ["Web browser software"]
    assert matches[0]["matched_text"] == "web browsers"
    # Project management is a skill concept (tracking/cv/concepts.py), not O*NET's category of software.
    # PRINCE2 is a project management certification concept of its own.
    assert _names(keywords.skills_match("PRINCE2 Project Management", index=index)) == ["PRINCE2", "project management"]


def test_it_matches_vendor_less_and_parenthetical_names(index):
    text = "Tools: Excel, AEM, Adobe Experience Manager, Microsoft Word, .NET, Node.js, C#, C++"

    assert _names(keywords.skills_match(text, index=index)) == [
        "Microsoft Excel",
        "Adobe Experience Manager (AEM)",
        "Microsoft Word",
        "Microsoft .NET Framework",
        "Node.js",
        "C#",
        "C++",
    ]


def test_it_does_not_match_ordinary_words_that_look_like_skills(index):
    text = "I excel at teamwork and word processing. Go to market with a grade C. r&d. Office work."

    assert keywords.skills_match(text, index=index) == []


def test_it_matches_one_and_two_letter_skills_only_in_a_list_with_their_case(index):
    matches = keywords.skills_match("Languages: Python, R, Go\nr, go", index=index)

    assert _names(matches) == ["Python", "R", "Go"]
    assert matches[1] == {
        "name": "R",
        "label": "R",
        "concept": "r-language",
        "key": "r",
        "taxonomy": "onet",
        "evidence": "Languages: Python, R, Go",
        "matched_text": "R",
    }


def test_it_reports_each_skill_once_with_its_first_evidence(index):
    matches = keywords.skills_match("Python at work\nMore python at home", index=index)

    assert [(match["name"], match["evidence"]) for match in matches] == [("Python", "Python at work")]


# ---------------------------------------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------------------------------------
def test_it_finds_titles_exactly_and_despite_seniority_and_typos(index):
    text = "Jane Doe\nSenior Sofware Engineer\nExperience\nData Analyst, Beta GmbH, 2015 – 2019\n- Modelled churn"
    sections = cv_sections_split(text)

    titles = keywords.titles_match(text=text, sections=sections, index=index)

    assert titles == [
        {
            "title_as_written": "Senior Sofware Engineer",
            "occupation_code": "15-1252.00",
            "occupation_title": "Software Developers",
            "taxonomy": "onet",
            "evidence": "Senior Sofware Engineer",
        },
        {
            "title_as_written": "Data Analyst",
            "occupation_code": "15-2051.00",
            "occupation_title": "Data Scientists",
            "taxonomy": "onet",
            "evidence": "Data Analyst, Beta GmbH, 2015 – 2019",
        },
    ]


def test_it_ignores_bullets_and_lines_where_a_title_is_only_one_word_of_many(index):
    text = "Experience\n- introduced ML models\nWorked with models of churn and pricing"

    assert keywords.titles_match(text=text, sections=cv_sections_split(text), index=index) == []


# ---------------------------------------------------------------------------------------------------------------------
# The cached index over market rows
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_builds_the_index_from_market_rows_and_rebuilds_after_clear(cast):
    from market.models import Occupation, OccupationTitle, Skill
    from market.text import title_normalize

    keywords.keyword_index_clear()
    Skill.objects.create(taxonomy="onet", key="zzfancytool", name="ZZFancyTool")
    occupation = Occupation.objects.create(taxonomy="onet", code="99-9999.00", title="Widget Wranglers")
    OccupationTitle.objects.create(
        occupation=occupation,
        title="Widget Wrangler",
        normalized_title=title_normalize("Widget Wrangler"),
        source="alternate",
    )
    try:
        index = keywords.keyword_index()
        assert keywords.keyword_index() is index  # cached while the fingerprints are unchanged

        assert _names(keywords.skills_match("Used ZZFancyTool daily", index=index)) == ["ZZFancyTool"]
        text = "Widget Wrangler\nExperience"
        assert (
            keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)[0]["occupation_title"]
            == "Widget Wranglers"
        )

        keywords.keyword_index_clear()
        assert keywords.keyword_index() is not index
    finally:
        keywords.keyword_index_clear()


def test_it_matches_a_two_page_cv_quickly(index):
    text = "\n".join(
        f"- Built services in Python, Go and JavaScript on AWS with Kubernetes, PostgreSQL and Excel reports {i}"
        for i in range(120)
    )
    started = time.perf_counter()
    keywords.skills_match(text, index=index)
    keywords.titles_match(text=text, sections=cv_sections_split(text), index=index)

    assert time.perf_counter() - started < 0.5  # a bound against accidental quadratic work, not a benchmark


@pytest.mark.parametrize(
    ("line", "has_phone"),
    [
        ("Tel. 030 1234 5678", True),  # German, national
        ("(614) 555-0147", True),  # North American
        ("+33 6 12 34 56 78", True),  # French mobile, international
        ("電話：０９０－１２３４－５６７８", True),  # Japanese CVs write full-width digits
        ("0034 612 345 678", True),  # Spanish, 00 international prefix
        ("Employee ID 12345678901234567890", False),  # more digits than any phone number
        ("2015 - 2019 - 2023", False),  # dates, not a number
    ],
)
def test_it_recognises_phone_numbers_as_cvs_in_our_languages_write_them(line: str, has_phone: bool) -> None:
    assert contact_flags(f"Jane Doe\n{line}")["has_phone"] is has_phone
