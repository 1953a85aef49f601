"""market.seniority: the experience level a job title states, in the five languages, and years -> level."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from market.models import SalarySurveyRow
from market.seniority import level_for_years, title_seniority
from tests.watchdog import waiting_bound

REFERENCE = Path(settings.BASE_DIR) / "data" / "reference"
SURVEY_FILES = (
    REFERENCE / "aijobs_salaries" / "salaries_snapshot_2023-12-31.csv",
    REFERENCE / "aijobs_salaries" / "devops_salaries_snapshot_2022-02-27.csv",
    REFERENCE / "infosec_salaries" / "salaries_snapshot_2023-12-31.csv",
)
EN, MI, SE, EX = (level.value for level in SalarySurveyRow.ExperienceLevel)


@pytest.mark.parametrize(
    ("title", "level", "word"),
    [
        # en
        ("Senior Data Engineer", SE, "Senior"),
        ("Sr. Software Engineer", SE, "Sr"),
        ("Staff Software Engineer", SE, "Staff"),
        ("Principal Engineer", SE, "Principal"),
        ("Team Lead, Payments", SE, "Team Lead"),
        ("Head of Data - London", EX, "Head of"),
        ("Head Chef", SE, "Head"),
        ("Director of Data Science", EX, "Director"),
        ("Senior Director of Engineering", EX, "Director"),
        ("Assistant Manager, Retail", MI, "Assistant Manager"),
        ("Associate Director, Strategy", SE, "Associate Director"),
        ("Assistant Vice President", SE, "Assistant Vice President"),
        ("Vice President - Engineering", EX, "Vice President"),
        ("Chief Technology Officer", EX, "Chief"),
        ("CTO", EX, "CTO"),
        ("Junior Product Manager", EN, "Junior"),
        ("Graduate Software Engineer", EN, "Graduate"),
        ("Software Engineering Intern", EN, "Intern"),
        ("Entry-Level Analyst", EN, "Entry-Level"),
        ("Mid-Level Developer", MI, "Mid-Level"),
        ("Data Scientist (Senior)", SE, "Senior"),  # read in the part cleaning removed
        # fr
        ("Stagiaire Data Analyst H/F", EN, "Stagiaire"),
        ("Alternant Développeur Web (H/F)", EN, "Alternant"),
        ("Ingénieur DevOps - Confirmé", MI, "Confirmé"),
        ("Développeur Python Sénior (H/F)", SE, "Sénior"),
        ("Chef de projet IT (H/F)", SE, "Chef"),
        ("Responsable marketing", SE, "Responsable"),
        ("Directeur adjoint des ventes", SE, "Directeur adjoint"),
        ("Directrice financière", EX, "Directrice"),
        # de
        ("Werkstudent (m/w/d) Data Science", EN, "Werkstudent"),
        ("Praktikum im Bereich Marketing (m/w/d)", EN, "Praktikum"),
        ("Marketingpraktikant (m/w/d)", EN, "Marketingpraktikant"),
        ("Junior Consultant (m/w/d)", EN, "Junior"),
        ("Teamleiter Vertrieb (m/w/d)", SE, "Teamleiter"),
        ("Projektleiter Bau (m/w/d)", SE, "Projektleiter"),
        ("Abteilungsleiter Finanzen (m/w/d)", EX, "Abteilungsleiter"),
        ("Leitung Marketing (m/w/d)", EX, "Leitung"),
        ("Stellvertretender Leiter Einkauf", SE, "Stellvertretender Leiter"),
        ("Head of Engineering (m/w/d)", EX, "Head of"),
        ("Geschäftsführer (m/w/d)", EX, "Geschäftsführer"),
        # es
        ("Becario/a de Marketing", EN, "Becario"),
        ("Prácticas en Recursos Humanos", EN, "Prácticas"),
        ("Desarrollador Junior (H/M)", EN, "Junior"),
        ("Semi Senior Developer", MI, "Semi Senior"),
        ("Ingeniero Sénior de Datos", SE, "Sénior"),
        ("Jefe de Proyecto (H/M) - Madrid", SE, "Jefe"),
        ("Director/a Financiero/a", EX, "Director"),
        ("Subdirector Comercial", SE, "Subdirector"),
        # ja
        ("インターン（エンジニア）", EN, "インターン"),
        ("新卒採用 総合職", EN, "新卒"),
        ("【未経験歓迎】営業スタッフ", EN, "未経験"),
        ("ジュニアエンジニア", EN, "ジュニア"),
        ("シニアエンジニア（Go）", SE, "シニア"),
        ("リードエンジニア", SE, "リード"),
        ("主任 看護師", SE, "主任"),
        ("営業課長", SE, "課長"),
        ("マネージャー候補", MI, "マネージャー候補"),
        ("開発部長", EX, "部長"),
        ("事業本部長", EX, "本部長"),
        ("開発責任者", EX, "責任者"),
        ("取締役CTO", EX, "取締役"),
    ],
)
def test_it_reads_the_level_and_the_word_that_decided_it(title, level, word):
    found = title_seniority(title)

    assert found is not None, title
    assert (found.level, found.word) == (level, word)


@pytest.mark.parametrize(
    "title",
    [
        "Registered Nurse - Medical/Surgical (Nights)",
        "Software Engineer II",  # grade numbers mean different things at different employers
        "Staff Nurse",  # an ordinary nursing grade
        "Staff Accountant",
        "School Principal",  # the job itself
        "Lead Generation Specialist",
        "Senior Care Assistant",  # care of older people
        "Junior High School Teacher",
        "Graduate Recruiter",
        "Head Office Receptionist",
        "Funeral Director",
        "Art Director",
        "Chef de partie",
        "Internal Auditor",
        "Software Engineer - Head Office",
        "【シニア歓迎】警備スタッフ",  # older workers welcome
        "",
    ],
)
def test_it_reads_no_level_where_the_words_name_the_job(title):
    assert title_seniority(title) is None


def _survey_rows() -> list[dict[str, str]]:
    rows: dict[tuple, dict[str, str]] = {}
    for path in SURVEY_FILES:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.setdefault(tuple(row.values()), row)  # the files are a third to a half exact duplicates
    return list(rows.values())


@pytest.mark.parametrize("pattern", [r"^head of\b", r"\bdirector\b", r"\bchief\b", r"\bprincipal\b", r"\bstaff\b"])
def test_each_rank_word_reads_as_the_level_most_survey_rows_with_it_report(pattern):
    """The salary surveys report a level beside each title: a rank word must read as the level most of its rows
    (at least 20 distinct rows) report."""
    rows = [row for row in _survey_rows() if re.search(pattern, row["job_title"], re.IGNORECASE)]
    assert len(rows) >= 20
    modal = Counter(row["experience_level"] for row in rows).most_common(1)[0][0]

    levels = {title_seniority(row["job_title"]).level for row in rows}

    assert levels == {modal}


@pytest.mark.parametrize("pattern", [r"\blead\b", r"\bmanager\b"])
def test_lead_and_manager_read_as_the_surveys_modal_level(pattern):
    rows = [row for row in _survey_rows() if re.search(pattern, row["job_title"], re.IGNORECASE)]
    rows = [row for row in rows if not re.search(r"head of|director|chief|principal|staff", row["job_title"], re.I)]
    assert len(rows) >= 100
    modal = Counter(row["experience_level"] for row in rows).most_common(1)[0][0]

    assert {title_seniority(row["job_title"]).level for row in rows} == {modal}


@pytest.mark.parametrize(
    ("years", "level"),
    [(None, None), (0, EN), (1, EN), (2, MI), (4, MI), (5, SE), (9, SE), (10, SE), (40, SE)],
)
def test_years_of_experience_give_a_level_but_never_executive(years, level):
    assert level_for_years(years) == level


def test_it_reads_a_hostile_title_in_linear_time():
    with waiting_bound(2.0, "title_seniority on a 100,000-character title"):
        title_seniority("senior " * 15_000)
    with waiting_bound(2.0, "title_seniority on 100,000 Japanese characters"):
        title_seniority("部長" * 50_000)
