"""manage.py evaluate_matching: runs the current extraction and match code over a labelled set and prints the table
per language and industry with the issue's targets; its JSON keeps stable keys. A small O*NET skill list stands in
for the reference data so the run is quick; the figures of the real run are in docs/model-card.md."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from market.industries import INDUSTRY_CODES
from market.models import Skill
from predictions.evaluation.matching.dataset import LANGUAGES
from tracking.cv import keywords

METRIC_KEYS = {
    "documents", "cvs", "postings", "skills_precision", "skills_recall", "skills_correct", "skills_predicted",
    "skills_gold", "requirements_precision", "requirements_recall", "requirements_correct", "requirements_predicted",
    "requirements_gold", "title_accuracy", "title_count", "industry_accuracy", "industry_count", "cv_industry_accuracy",
    "years_accuracy", "years_count", "pairs", "pairs_unscored", "spearman",
}  # fmt: skip
CV = """Sam Seeker
Data Scientist

Experience
Data Scientist, Northwind (2019 – Present)
- Forecasting in Python and SQL

Skills
Python, SQL, Excel
"""
POSTING = """Requirements
- Strong Python and SQL

Nice to have
- Experience with Excel

Compensation: $100,000
"""


@pytest.fixture
def small_index(db):
    for name, key in (("Python", "python"), ("Structure query language SQL", "sql"), ("Microsoft Excel", "excel")):
        Skill.objects.create(taxonomy="onet", key=key, name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tiny_set(tmp_path) -> Path:
    _write(tmp_path / "cvs" / "cv-en-01.txt", CV)
    _write(
        tmp_path / "cvs" / "cv-en-01.yaml",
        "id: cv-en-01\nkind: cv\nlanguage: en\nindustry: technology\ntitles: [Data Scientist]\n"
        "occupation: {soc: [15-2051]}\nyears_experience: 7\n"
        "skills: {Python: Python, SQL: SQL, Excel: Excel, forecasting: Forecasting}\n",
    )
    _write(tmp_path / "postings" / "po-en-01.txt", POSTING)
    _write(
        tmp_path / "postings" / "po-en-01.yaml",
        "id: po-en-01\nkind: posting\nlanguage: en\nindustry: technology\ntitle: Data Scientist\n"
        "occupation: {soc: [15-2051]}\nskills: {Python: Python, SQL: SQL, Excel: Excel}\n"
        "requirements: {must_have: [Strong Python and SQL], nice_to_have: [Experience with Excel]}\n",
    )
    _write(
        tmp_path / "pairs.yaml",
        "pairs:\n  - {cv: cv-en-01, posting: po-en-01, fit: strong, reason: same job}\n",
    )
    return tmp_path


def test_it_scores_a_tiny_set_and_writes_the_json_with_stable_keys(small_index, tiny_set, tmp_path) -> None:
    out, err = StringIO(), StringIO()
    report_path = tmp_path / "report.json"

    call_command("evaluate_matching", "--data-dir", str(tiny_set), "--json", str(report_path), stdout=out, stderr=err)

    report = json.loads(report_path.read_text(encoding="utf-8"))
    english = report["by_language"]["en"]
    assert set(english) == METRIC_KEYS
    assert set(report["by_language"]) == {*LANGUAGES, "all"}
    assert (english["skills_gold"], english["requirements_gold"], english["pairs"]) == (7, 2, 1)
    assert english["documents"] == english["title_count"] == 2
    assert english["skills_correct"] <= english["skills_predicted"]
    assert report["by_language"]["de"]["documents"] == 0
    assert report["by_language"]["de"]["skills_precision"] is None
    assert set(report["by_industry"]) == {"technology"}
    assert [pair["cv"] for pair in report["pair_scores"]] == ["cv-en-01"]
    assert report["evaluation_date"] == "2026-12-01"
    assert report["dataset"]["cvs"] == report["dataset"]["postings"] == 1
    # the tiny set is below the minimums: said, not hidden
    assert "evaluation set: 1 CVs, fewer than 40" in err.getvalue()
    printed = out.getvalue()
    assert "Matching evaluation (split: all" in printed
    assert printed.count("≥0.85") >= 1


def test_it_runs_on_the_labelled_set_and_prints_every_language_and_industry(small_index) -> None:
    out, err = StringIO(), StringIO()

    call_command("evaluate_matching", "--split", "check", stdout=out, stderr=err)

    printed = out.getvalue()
    rows = {line.split()[0] for line in printed.splitlines() if line.strip()}
    assert {*LANGUAGES, "all", *INDUSTRY_CODES, "none"} <= rows
    assert "Matching evaluation (split: check" in printed
    assert "PASS" in printed or "MISS" in printed
    assert "evaluation set:" not in err.getvalue()  # the real set has no problem


def test_it_refuses_a_directory_without_a_set(db, tmp_path) -> None:
    with pytest.raises(CommandError, match="holds no evaluation set"):
        call_command("evaluate_matching", "--data-dir", str(tmp_path))
