"""The CV-to-posting match: deterministic, word forms and synonyms, weights, evidence, honest change suggestions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from market.keyword_databases import IndustryProfile
from market.models import Skill
from predictions.match import judges as match_judges
from predictions.match.scoring import match_score
from predictions.match.service import application_match
from tenants.context import NotInTenantSchema
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory
from tracking.cv import keywords
from tracking.cv.sections import cv_sections_split, experience_years
from tracking.models import CVDocument

TODAY = date(2025, 6, 15)
ONET_SKILLS = [
    ("Python", "python"),
    ("Structured query language SQL", "structured query language sql"),
    ("PostgreSQL", "postgresql"),
    ("Apache Kafka", "apache kafka"),
    ("Apache Airflow", "apache airflow"),
    ("Kubernetes", "kubernetes"),
    ("IBM Terraform", "ibm terraform"),
    ("Docker", "docker"),
]
ESCO_ML = [("machine learning", "http://data.europa.eu/esco/skill/ml", "machine learning methods")]
TITLES = [("Data Engineer", "reported", "15-1243.00", "Database Architects", "onet")]
CV_TEXT = """Sam Seeker
Data engineer · Toronto

Summary
Data engineer who managed a team of four and built machine learning features.

Experience
Senior Data Engineer, Northwind — 2019 – 2024
- Built Airflow pipelines on PostgreSQL; moved nightly jobs to Apache Kafka streams
- Python and SQL ETL for the sales warehouse

Skills
Python, SQL, PostgreSQL, Apache Airflow, Docker
"""
REQUIREMENTS = {
    "must_have": ["4+ years of Python and SQL", "Experience with Apache Airflow or dbt", "Terraform"],
    "nice_to_have": ["Apache Kafka", "Kubernetes is a plus"],
}
DESCRIPTION = "We build pipelines with Python, Docker and Kubernetes.\n" + "\n".join(REQUIREMENTS["must_have"])


def index_build(*, esco: bool = True) -> keywords.KeywordIndex:
    return keywords.keyword_index_build(onet_skills=ONET_SKILLS, titles=TITLES, esco_skills=ESCO_ML if esco else ())


def cv_parsed(text: str, index: keywords.KeywordIndex) -> dict:
    """What the CV parser stores, computed from the same pure functions."""
    sections = cv_sections_split(text)
    return {
        "sections": sections,
        "skills": keywords.skills_match(text, index=index),
        "titles": keywords.titles_match(text=text, sections=sections, index=index),
        "years_experience": experience_years(sections, today=TODAY),
    }


def score(
    *,
    cv_text: str = CV_TEXT,
    title: str = "Data Engineer",
    description: str = DESCRIPTION,
    requirements: dict | None = None,
    index: keywords.KeywordIndex | None = None,
) -> dict:
    index = index or index_build()
    return match_score(
        cv_readable=True,
        cv_text=cv_text,
        cv_parsed=cv_parsed(cv_text, index),
        posting_title=title,
        posting_description=description,
        requirements=REQUIREMENTS if requirements is None else requirements,
        index=index,
    )


def component(result: dict, name: str) -> dict:
    return next(component for component in result["components"] if component["name"] == name)


def item(result: dict, name: str, requirement: str) -> dict:
    return next(item for item in component(result, name)["items"] if item["requirement"] == requirement)


# ---------------------------------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------------------------------
def test_it_gives_the_same_result_for_the_same_inputs():
    first, second = score(), score(index=index_build())

    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["scorer_version"] == "match-4"


def test_it_gives_the_same_json_in_two_fresh_processes():
    script = (
        "import django, json; django.setup(); "
        "from tests.predictions.match.test_match import score; print(json.dumps(score(), sort_keys=True))"
    )
    root = Path(__file__).resolve().parents[3]
    outputs = []
    for hash_seed in ("1", "2"):  # different set and dict-of-str orders in each process
        env = os.environ | {"PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "cvplus.settings.test"}
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True, timeout=120
        )
        outputs.append(completed.stdout.strip().splitlines()[-1])

    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0]) == json.loads(json.dumps(score(), sort_keys=True))


# ---------------------------------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------------------------------
def test_it_matches_word_forms():
    result = score(requirements={"must_have": ["Manages a team"], "nice_to_have": []})

    assert item(result, "must_have", "Manages a team") | {"points": None} == {
        "requirement": "Manages a team",
        "status": "met",
        "evidence": "Data engineer who managed a team of four and built machine learning features.",
        "section": "Summary",
        "points": None,
        "max_points": 58.8,
        "industry_share": None,
    }


@pytest.mark.parametrize("esco", [True, False], ids=["skill-in-index", "synonym-table-only"])
def test_it_matches_synonyms(esco):
    result = score(
        requirements={"must_have": ["Hands-on ML experience"], "nice_to_have": []}, index=index_build(esco=esco)
    )

    matched = item(result, "must_have", "Hands-on ML experience")
    assert matched["status"] == "met"
    assert "machine learning" in matched["evidence"]


def test_it_meets_an_either_or_requirement_with_one_of_the_skills():
    result = score()

    assert item(result, "must_have", "Experience with Apache Airflow or dbt")["status"] == "met"


def test_it_marks_a_requirement_without_evidence_missing_and_flags_it_as_a_gap():
    result = score()

    assert item(result, "must_have", "Terraform") == {
        "requirement": "Terraform",
        "status": "missing",
        "evidence": "missing",
        "section": "",
        "points": 0.0,
        "max_points": 16.7,
        "industry_share": None,
    }
    gaps = [change for change in result["changes"] if change["requirement"] == "Terraform"]
    assert gaps == [
        {
            "kind": "gap",
            "message": "The posting asks for: Terraform. Your CV does not show it — a gap to close, do not add it "
            "unless you have the experience.",
            "gain": 16.7,
            "component": "must_have",
            "requirement": "Terraform",
            "skills": ["Terraform"],
        }
    ]
    assert result["changes"][0] == gaps[0]  # the biggest gain comes first


def test_it_weighs_must_haves_more_than_nice_to_haves():
    requirements = {"must_have": ["Python"], "nice_to_have": ["Kubernetes"]}
    headline = "Sam Seeker\nData engineer\nSkills\n"

    must_only = score(cv_text=headline + "Python", requirements=requirements, description="")
    nice_only = score(cv_text=headline + "Kubernetes", requirements=requirements, description="")

    assert must_only["score"] > nice_only["score"]
    assert (must_only["score"], nice_only["score"]) == (81, 38)


def test_it_suggests_only_facts_in_the_cv_or_flagged_gaps():
    index = index_build()
    cv_skill_names = {skill["matched_text"].casefold() for skill in keywords.skills_match(CV_TEXT, index=index)}

    result = score(index=index)

    assert len(result["changes"]) == 3
    for change in result["changes"]:
        if change["kind"] != "gap":
            assert {skill.casefold() for skill in change["skills"]} <= cv_skill_names, change
        else:
            assert "gap to close" in change["message"]


def test_it_suggests_listing_a_skill_the_cv_shows_only_in_its_experience():
    result = score(requirements={"must_have": ["Python", "Apache Kafka"], "nice_to_have": []}, description="")

    assert [change["kind"] for change in result["changes"]] == ["placement"]
    assert result["changes"][0]["message"] == (
        "Your CV mentions Apache Kafka in Experience but not in your skills section: add it to your skills section."
    )
    assert result["changes"][0]["skills"] == ["Apache Kafka"]


def test_it_judges_years_of_experience_against_the_years_asked():
    result = score(requirements={"must_have": ["7+ years of Python"], "nice_to_have": []})

    assert item(result, "experience", "7+ years of Python") == {
        "requirement": "7+ years of Python",
        "status": "partial",
        "evidence": "Senior Data Engineer, Northwind — 2019 – 2024",
        "section": "Experience",
        "points": 8.4,
        "max_points": 11.8,
        "industry_share": None,
    }


def test_it_redistributes_the_weight_of_a_part_with_nothing_to_judge():
    result = score(requirements={"must_have": ["Python"], "nice_to_have": []}, description="")

    nice = component(result, "nice_to_have")
    assert (nice["judged"], nice["weight"], nice["items"]) == (False, 0.0, [])
    assert "went to the other parts" in nice["note"]
    assert [c["weight"] for c in result["components"] if c["judged"]] == [76.9, 23.1]
    assert result["score"] == 100


def test_it_caps_the_keywords_part_so_stuffing_cannot_dominate():
    description = "Python, SQL, PostgreSQL, Apache Kafka, Docker. " * 20
    result = score(requirements={"must_have": [], "nice_to_have": []}, description=description)

    # The keywords part may take at most a fifth of the score however many keywords are stuffed in; the title, the
    # only other part with something to judge here, takes the remaining 80 points.
    assert component(result, "keywords")["weight"] == 20
    assert component(result, "title")["weight"] == 80
    assert sum(c["weight"] for c in result["components"]) == 100


def test_an_industry_picks_the_keywords_it_uses_most_and_says_how_many_of_its_jobs_use_them(monkeypatch):
    monkeypatch.setattr(match_judges, "MAX_KEYWORDS", 2)
    description = "Our stack: Apache Kafka, Docker, Kubernetes, PostgreSQL."
    profile = IndustryProfile("technology", 1, skills={"Kubernetes": 0.42, "PostgreSQL": 0.3, "Apache Kafka": 0.01})
    requirements = {"must_have": ["Python"], "nice_to_have": []}

    plain = score(requirements=requirements, description=description)
    weighted = match_score(
        cv_readable=True,
        cv_text=CV_TEXT,
        cv_parsed=cv_parsed(CV_TEXT, index_build()),
        posting_title="Data Engineer",
        posting_description=description,
        requirements=requirements,
        index=index_build(),
        industry=profile,
    )

    assert [i["requirement"] for i in component(plain, "keywords")["items"]] == ["Apache Kafka", "Docker"]
    assert [i["requirement"] for i in component(weighted, "keywords")["items"]] == ["Kubernetes", "PostgreSQL"]
    assert [i["industry_share"] for i in component(weighted, "keywords")["items"]] == [42, 30]
    assert weighted["industry"] == "technology"
    assert plain["industry"] is None
    advice = [change["message"] for change in weighted["changes"] if change["requirement"] == "Kubernetes"]
    assert advice == [
        "The description mentions Kubernetes, which 42% of this industry's jobs use; your CV does not — add it only "
        "if you have used it, otherwise it is a gap to close."
    ]


def test_it_gives_no_score_to_an_unreadable_cv():
    result = match_score(
        cv_readable=False,
        cv_text="",
        cv_parsed={},
        posting_title="Data Engineer",
        posting_description=DESCRIPTION,
        requirements=REQUIREMENTS,
        index=index_build(),
    )

    assert result == {
        "score": None,
        "band": None,
        "reason": "We could not read this CV, so it has no match score.",
        "components": [],
        "changes": [],
        "scorer_version": "match-4",
        "industry": None,
    }


@pytest.mark.parametrize(("cv_text", "band"), [(CV_TEXT, "good"), ("Jo\nGardener\nSkills\nPruning", "poor")])
def test_it_puts_the_score_in_a_band(cv_text, band):
    assert score(cv_text=cv_text)["band"] == band


# ---------------------------------------------------------------------------------------------------------------------
# The service: the owner's pinned CV and posting, with the index built from market rows
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def owner(cast, db):
    """The owner, with the connection on tenant A's schema for the whole test."""
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


@pytest.fixture
def member(cast, db) -> User:
    with schema_context("alpha"):
        return User.objects.get(email=cast.member_email)


@pytest.fixture
def market_skills(cast, db):
    for name, key in ONET_SKILLS:
        Skill.objects.create(taxonomy="onet", key=key, name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


@pytest.fixture
def application(owner, market_skills):
    index = keywords.keyword_index()
    cv = CVDocumentFactory(owner=owner, text=CV_TEXT, parsed=cv_parsed(CV_TEXT, index))
    posting = JobPostingFactory(owner=owner, title="Data Engineer", description=DESCRIPTION, requirements=REQUIREMENTS)
    return ApplicationFactory(owner=owner, posting=posting, cv=cv)


def test_it_scores_the_owners_application_from_its_pinned_cv(owner, application):
    result = application_match(user=owner, application_id=application.pk)

    assert result == score(index=keywords.keyword_index())
    assert item(result, "must_have", "Terraform")["status"] == "missing"


def test_it_returns_none_for_another_users_application(owner, member, application):
    assert application_match(user=member, application_id=application.pk) is None


def test_it_says_why_an_unreadable_pinned_cv_has_no_score(owner, application):
    unreadable = CVDocumentFactory(owner=owner, text="", status=CVDocument.Status.UNREADABLE, parsed={})
    application.cv = unreadable
    application.save(update_fields=["cv"])

    result = application_match(user=owner, application_id=application.pk)

    assert (result["score"], result["reason"]) == (None, "We could not read this CV, so it has no match score.")


def test_it_refuses_to_run_in_the_public_schema(owner, application):
    with schema_context("public"), pytest.raises(NotInTenantSchema):
        application_match(user=owner, application_id=application.pk)
