"""/api/v1/cvs/{id}/corrections/: the seeker's corrections to a CV version read and written through the API as on
the CV page; another user's or another tenant's version is a 404 that changes nothing; bad input is a 400 naming
the field that changes nothing."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from market.models import Skill
from tests.conftest import login
from tests.tracking.factories import CVDocumentFactory
from tracking.cv import keywords
from tracking.cv.reading import cv_parse
from tracking.models import CVCorrection, CVDocument

pytestmark = pytest.mark.django_db

CV_TEXT = """Tomasz Nowak
Data Analyst

Experience
Data Analyst, Baltic Freight — 2020 – Present
- Built Tableau dashboards on shipment delays
- Automated reports in Python

Skills
Python, Tableau, Microsoft Excel
"""


@pytest.fixture
def market_skills(cast):
    for name in ("Python", "Tableau", "Microsoft Excel", "Apache Spark"):
        Skill.objects.create(taxonomy="onet", key=name.casefold(), name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


@pytest.fixture
def cv(owner, market_skills) -> CVDocument:
    return CVDocumentFactory(owner=owner, text=CV_TEXT, parsed=cv_parse(CV_TEXT))


def url(cv: CVDocument) -> str:
    return f"/api/v1/cvs/{cv.pk}/corrections/"


def put(client, cv: CVDocument, body: dict):
    return client.put(url(cv), body, content_type="application/json")


def test_it_shows_a_version_without_corrections_as_read(owner_client, cv):
    body = owner_client.get(url(cv)).json()

    assert (body["skills_removed"], body["skills_added"], body["title"], body["years_experience"]) == ([], [], "", None)
    assert {"Tableau", "Python", "Microsoft Excel"} <= {skill["name"] for skill in body["parsed"]["skills"]}


def test_it_replaces_the_corrections_and_answers_with_the_corrected_reading(owner_client, cv):
    response = put(
        owner_client,
        cv,
        {"skills_removed": ["microsoft excel"], "skills_added": ["Apache Spark", "dbt"], "years_experience": 6},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["skills_removed"], body["skills_added"], body["years_experience"]) == (
        ["microsoft excel"],
        ["Apache Spark", "dbt"],
        6,
    )
    names = [skill["name"] for skill in body["parsed"]["skills"]]
    assert {"Tableau", "Python"} <= set(names)
    assert "Microsoft Excel" not in names
    assert names[-2:] == ["Apache Spark", "dbt"]  # added ones last, as the CV page lists them
    assert body["parsed"]["years_experience"] == 6
    correction = CVCorrection.objects.get(cv=cv)
    assert (correction.skills_removed, correction.skills_added) == (["microsoft excel"], ["Apache Spark", "dbt"])
    assert owner_client.get(url(cv)).json() == body


def test_it_keeps_the_same_corrections_as_the_cv_page(owner_client, cv):
    owner_client.post(
        f"/app/cv/{cv.pk}/corrections/",
        {"skills_removed": ["tableau"], "skills_added": "Apache Spark", "title": "Senior Data Analyst"},
    )

    body = owner_client.get(url(cv)).json()

    assert (body["skills_removed"], body["skills_added"], body["title"]) == (
        ["tableau"],
        ["Apache Spark"],
        "Senior Data Analyst",
    )
    assert body["parsed"]["titles"][0]["title_as_written"] == "Senior Data Analyst"


def test_it_removes_the_corrections(owner_client, cv):
    put(owner_client, cv, {"skills_added": ["Apache Spark"]})

    response = owner_client.delete(url(cv))

    assert response.status_code == 204
    assert not CVCorrection.objects.filter(cv=cv).exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"skills_removed": ["not-read-here"]},
            "skills_removed",
            "Only skills we found in this version can be removed.",
        ),
        ({"title": "x" * 121}, "title", "Keep the job title to 120 characters."),
        ({"years_experience": 61}, "years_experience", "Enter between 0 and 60 years."),
        ({"years_experience": "six"}, "years_experience", "A valid integer is required."),
        ({"skills_added": ["y" * 81]}, "skills_added", "“yyyyyyyyyyyyyyyyyyyy…” is longer than 80 characters."),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_keeps_the_stored_corrections(owner_client, cv, body, field, message):
    put(owner_client, cv, {"skills_added": ["Apache Spark"], "years_experience": 4})

    response = put(owner_client, cv, {"skills_added": ["dbt"], **body})

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    correction = CVCorrection.objects.get(cv=cv)
    assert (correction.skills_added, correction.years_experience) == (["Apache Spark"], 4)


def test_it_refuses_to_correct_a_version_not_read_yet(owner, owner_client, market_skills):
    reading = CVDocumentFactory(owner=owner, text=CV_TEXT, parsed={}, status=CVDocument.Status.READING)

    response = put(owner_client, reading, {"skills_added": ["Apache Spark"]})

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["This version has not been read, so there is nothing to correct yet."]
    }
    assert not CVCorrection.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_returns_404_for_another_users_cv_and_changes_nothing(cast, client_a, cv, method):
    put_body = {"skills_added": ["planted"], "title": "Planted"}
    with schema_context("alpha"):
        CVCorrection.objects.create(cv=cv, skills_added=["Apache Spark"], title="Zebracorn Analyst")
    login(client_a, cast.member_email)

    response = getattr(client_a, method)(
        url(cv), put_body if method == "put" else None, content_type="application/json"
    )

    assert response.status_code == 404
    assert "Zebracorn" not in response.content.decode()
    with schema_context("alpha"):
        correction = CVCorrection.objects.get(cv=cv)
        assert (correction.skills_added, correction.title) == (["Apache Spark"], "Zebracorn Analyst")


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_returns_404_for_another_tenants_cv_and_changes_nothing(cast, client_b, cv, method):
    with schema_context("alpha"):
        CVCorrection.objects.create(cv=cv, skills_added=["Apache Spark"], title="Zebracorn Analyst")
    login(client_b, cast.stranger_email)

    response = getattr(client_b, method)(
        url(cv), {"title": "Planted"} if method == "put" else None, content_type="application/json"
    )

    assert response.status_code == 404
    assert "Zebracorn" not in response.content.decode()
    with schema_context("alpha"):
        assert CVCorrection.objects.get(cv=cv).title == "Zebracorn Analyst"
    with schema_context("beta"):
        assert not CVCorrection.objects.exists()


def test_it_refuses_anonymous_callers(client_a, cv):
    assert client_a.get(url(cv)).status_code in (401, 403)
    assert put(client_a, cv, {"title": "Planted"}).status_code in (401, 403)
    assert not CVCorrection.objects.filter(cv=cv).exists()
