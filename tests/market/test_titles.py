"""market.titles: posting titles cut to the words that name the occupation, in the five languages."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings

from market.titles import title_clean, title_parts
from tests.watchdog import waiting_bound

REFERENCE = Path(settings.BASE_DIR) / "data" / "reference"
SURVEY_FILES = (
    REFERENCE / "aijobs_salaries" / "salaries_snapshot_2023-12-31.csv",
    REFERENCE / "aijobs_salaries" / "devops_salaries_snapshot_2022-02-27.csv",
    REFERENCE / "infosec_salaries" / "salaries_snapshot_2023-12-31.csv",
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # en: specialty, shift, location, requisition id, alternatives, work arrangement
        ("Registered Nurse - Medical/Surgical (Nights)", "Registered Nurse"),
        ("Registered Nurse PRN", "Registered Nurse"),
        ("Software Engineer, Toronto", "Software Engineer"),
        ("Senior Software Engineer - Platform (Remote, US) #12345", "Senior Software Engineer"),
        ("Software Engineer II, Backend - Req ID: R0123456", "Software Engineer II"),
        ("Senior Data Engineer JR-104233", "Senior Data Engineer"),
        ("Job ID 12345 Software Engineer", "Software Engineer"),
        ("Store Manager / Assistant Store Manager", "Store Manager"),
        ("Customer Service Representative (Part-Time, Evenings)", "Customer Service Representative"),
        ("Remote - Software Engineer", "Software Engineer"),
        ("Head of Data | London", "Head of Data"),
        ("Software Engineer @ Acme", "Software Engineer"),
        # en: a rank alone names no occupation, so the next part stays with it
        ("Vice President - Engineering", "Vice President Engineering"),
        ("Director, Product Management", "Director Product Management"),
        # en: what belongs to the title stays
        ("UI/UX Designer", "UI/UX Designer"),
        ("C++ Developer", "C++ Developer"),
        ("C# .NET Developer", "C# .NET Developer"),
        (".NET Developer", ".NET Developer"),
        ("Medical-Surgical Nurse", "Medical-Surgical Nurse"),
        ("Lead Auditor ISO 27001", "Lead Auditor ISO 27001"),
        ("Staff Data Engineer", "Staff Data Engineer"),
        ("Remote Sensing Analyst", "Remote Sensing Analyst"),
        ("Contract Specialist", "Contract Specialist"),
        ("Web/e-commerce Manager", "Web/e-commerce Manager"),
        # de
        ("Softwareentwickler (m/w/d) in Berlin", "Softwareentwickler"),
        ("SENIOR SOFTWARE ENGINEER (M/F/D)", "SENIOR SOFTWARE ENGINEER"),
        ("(Senior) Java Entwickler (m/w/d)", "Java Entwickler"),
        ("Werkstudent (m/w/d) Data Science", "Werkstudent Data Science"),
        ("Kaufmann/-frau für Büromanagement (w/m/d)", "Kaufmann für Büromanagement"),
        ("Entwickler:in Backend", "Entwickler Backend"),
        ("Pflegefachkraft (m/w/d) Vollzeit", "Pflegefachkraft"),
        ("Data Engineer (all genders)", "Data Engineer"),
        # fr
        ("Ingénieur DevOps H/F - CDI - Paris", "Ingénieur DevOps"),
        ("Chef de projet IT (H/F)", "Chef de projet IT"),
        ("Ingénieur·e logiciel", "Ingénieur logiciel"),
        ("Développeur.se Python F/H", "Développeur Python"),
        # es
        ("Desarrollador/a Full Stack (H/M)", "Desarrollador Full Stack"),
        ("Jefe/a de Proyecto (h/m) - Madrid", "Jefe de Proyecto"),
        ("Ingeniero de Datos Sr. - Remoto", "Ingeniero de Datos Sr"),
        ("Consultor SAP S/4HANA (h/m)", "Consultor SAP S/4HANA"),
        # ja: full-width brackets and slashes fold to ASCII (NFKC); 【】「」 and ★...★ are brackets too
        ("【東京/リモート可】バックエンドエンジニア（Go）／正社員", "バックエンドエンジニア"),
        ("「未経験歓迎」Webデザイナー", "Webデザイナー"),
        ("看護師（夜勤専従）", "看護師"),
        ("データサイエンティスト募集！", "データサイエンティスト"),
        ("★未経験歓迎★営業スタッフ", "営業スタッフ"),
        ("エンジニア/Go/リモート", "エンジニア"),
        ("【営業】", "営業"),  # only brackets: their words are the title
    ],
)
def test_it_keeps_the_title_proper(title, expected):
    assert title_clean(title) == expected


def test_it_returns_what_it_cut_so_a_bracketed_seniority_word_can_still_be_read():
    parts = title_parts("Data Scientist (Senior) - Toronto")

    assert parts.core == "Data Scientist"
    assert "Senior" in parts.removed
    assert "Toronto" in parts.removed


def test_it_leaves_a_plain_title_alone_and_copes_with_nothing():
    assert title_clean("Data Engineer") == "Data Engineer"
    assert title_clean("") == ""
    assert title_clean("   ") == ""
    assert title_clean("123456") == "123456"  # nothing better to match on


def _survey_titles() -> set[str]:
    titles: set[str] = set()
    for path in SURVEY_FILES:
        with path.open(encoding="utf-8", newline="") as handle:
            titles |= {row["job_title"] for row in csv.DictReader(handle)}
    return titles


def test_it_does_not_change_any_salary_survey_title():
    """The model learns from survey titles as they are; cleaning them must be a no-op so serving and training agree."""
    titles = _survey_titles()
    assert len(titles) > 300

    changed = {title: title_clean(title) for title in titles if title_clean(title) != title}

    assert changed == {}


def test_it_only_drops_the_bracketed_abbreviations_of_onet_reported_titles():
    """O*NET's titles as job holders reported them: without a separator, the only change is the parenthesised
    abbreviation ("Administrative Assistant (Admin Assistant)") or a trailing PRN (as needed) shift word."""
    path = REFERENCE / "onet_29_2" / "Sample_of_Reported_Titles.txt"
    with path.open(encoding="utf-8", newline="") as handle:
        titles = {row["Reported Job Title"] for row in csv.DictReader(handle, delimiter="\t")}
    plain = [t for t in titles if not re.search(r",| [-/|] ", t)]
    assert len(plain) > 5000

    unexpected = {}
    for title in plain:
        without_brackets = " ".join(re.sub(r"\([^()]*\)", " ", re.sub(r"\([^()]*\)", " ", title)).split())
        if title_clean(title) != without_brackets and not without_brackets.endswith(" PRN"):
            unexpected[title] = title_clean(title)

    assert unexpected == {}


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "(" * 100_000,
        "募集" * 50_000,
        "remote " * 15_000,
        "m/w/" * 25_000,
        " - " * 30_000,
        "★a" * 50_000,
        "Req " * 25_000,
        "a·e" * 30_000,
        ", " * 50_000,
    ],
)
def test_it_reads_hostile_titles_in_linear_time(text):
    # Each shape takes 30-110 ms here; a quadratic step would take minutes.
    with waiting_bound(2.0, "title_parts on a 100,000-character title"):
        title_parts(text)
