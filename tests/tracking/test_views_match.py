"""The match panel on the application page: the owner sees the score and its evidence; nobody else sees the page."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from market.models import Skill
from tests.conftest import login
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory
from tracking.cv import keywords
from tracking.cv.sections import cv_sections_split
from tracking.models import CVDocument

pytestmark = pytest.mark.django_db

CV_TEXT = "Sam Seeker\nData engineer\nExperience\n- Built Airflow pipelines on PostgreSQL\nSkills\nPython, PostgreSQL"
REQUIREMENTS = {"must_have": ["PostgreSQL", "Terraform"], "nice_to_have": []}


@pytest.fixture
def market_skills(cast):
    for name in ("Python", "PostgreSQL", "Apache Airflow", "IBM Terraform"):
        Skill.objects.create(taxonomy="onet", key=name.casefold(), name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


def make_application(owner, *, cv_status: str = CVDocument.Status.PARSED):
    with schema_context("alpha"):
        parsed = {"sections": cv_sections_split(CV_TEXT), "skills": [], "titles": [], "years_experience": None}
        cv = CVDocumentFactory(owner=owner, text=CV_TEXT, parsed=parsed, status=cv_status)
        posting = JobPostingFactory(owner=owner, title="Data Engineer", description="", requirements=REQUIREMENTS)
        return ApplicationFactory(owner=owner, posting=posting, cv=cv)


def test_it_shows_the_owner_the_match_with_score_and_evidence(owner, owner_client, market_skills):
    application = make_application(owner)

    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()

    assert "How your CV matches this posting" in page
    assert "62 / 100" in page
    assert "“- Built Airflow pipelines on PostgreSQL”" in page
    assert "The posting asks for: Terraform. Your CV does not show it" in page


def test_it_says_an_unreadable_cv_has_no_score(owner, owner_client, market_skills):
    application = make_application(owner, cv_status=CVDocument.Status.UNREADABLE)

    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()

    assert "We could not read this CV, so it has no match score." in page
    assert "/ 100" not in page


def test_it_returns_404_for_another_users_application(cast, owner, client_a, market_skills):
    application = make_application(owner)
    login(client_a, cast.member_email)

    response = client_a.get(f"/app/applications/{application.pk}/")

    assert response.status_code == 404
    assert "How your CV matches" not in response.content.decode()
