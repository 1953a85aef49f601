# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""What the application page's salary card reads from the seeker and the posting (tracking/profile.py): the
experience level (profile, else the title's seniority words, else the CV's years, else assumed mid-level, each named
on the card) and the currency (the seeker's choice, else the posting's, else its country's, else the workspace's).

The salary champion is trained on SIMULATED rows and converts at SIMULATED rates: these tests prove what is asked of
the model and what the card says, never accuracy.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from predictions import service
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    CV_TEXT,
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.predictions.test_panel import page_of, section_html
from tests.tracking.conftest import countries, owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory, candidate_profile_set
from tracking.models import CandidateProfile, JobPosting

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch) -> list[dict]:
    """The salary inputs the page sends to the real predictor."""
    seen: list[dict] = []
    serve = service.salary_serve

    def recording(*, items, **kwargs):
        seen.extend(items)
        return serve(items=items, **kwargs)

    monkeypatch.setattr(service, "salary_serve", recording)
    return seen


def application_with(owner, *, title: str, country: str = "US", cv_years: int | None = None):
    """An application pinning a parsed CV that read `cv_years` years of experience (None: it found none)."""
    from tracking.cv.services import cv_parse

    with schema_context("alpha"):
        cv = CVDocumentFactory(owner=owner, text=CV_TEXT, parsed=cv_parse(CV_TEXT) | {"years_experience": cv_years})
        posting = JobPostingFactory(owner=owner, title=title, country=country, salary_currency="")
        return ApplicationFactory(owner=owner, posting=posting, cv=cv)


def no_profile(owner) -> None:
    with schema_context("alpha"):
        CandidateProfile.objects.filter(user=owner).delete()


def test_it_prices_a_senior_title_at_senior_level_for_an_empty_profile_and_says_why(
    owner, owner_client, salary_champion, asked
) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner)  # a profile with nothing filled in
    application = application_with(owner, title="Senior Data Engineer")

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["experience_level"] == "SE"
    assert "Priced at senior level: “Senior” in the job title." in salary
    assert "Assumed mid-level" not in salary
    assert 'id="salary-profile-link"' not in salary


def test_it_uses_the_years_read_from_the_cv_when_there_is_no_profile(
    owner, owner_client, salary_champion, asked
) -> None:
    no_profile(owner)
    application = application_with(owner, title="Data Scientist", cv_years=8)

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["experience_level"] == "SE"  # 8 years: 5 or more is senior (market.seniority)
    assert "Priced at senior level: 8 years of experience read from your CV." in salary


def test_the_level_in_the_profile_wins_over_the_title_and_the_cv(owner, owner_client, salary_champion, asked) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, experience_level="EN", years_experience=9)
    application = application_with(owner, title="Senior Data Engineer", cv_years=8)

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["experience_level"] == "EN"
    assert "Priced at entry level, the level in your profile." in salary
    assert "in the job title" not in salary


def test_it_assumes_mid_level_with_nothing_to_read_and_links_to_the_profile(
    owner, owner_client, salary_champion, asked
) -> None:
    no_profile(owner)
    application = application_with(owner, title="Data Scientist", cv_years=None)

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["experience_level"] == "MI"
    assert "Assumed mid-level: add your level to your profile." in salary
    with schema_context("alpha"):
        profile_url = reverse("tracking:profile")
    assert f'href="{profile_url}" id="salary-profile-link"' in salary


def test_a_toronto_posting_is_priced_in_canadian_dollars_for_a_us_seeker(
    owner, owner_client, salary_champion, countries, asked
) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="US")  # no preferred currency; alpha works in USD
    application = application_with(owner, title="Data Scientist", country="CA")
    with schema_context("alpha"):
        JobPosting.objects.filter(pk=application.posting_id).update(location="Toronto, ON")

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["currency"] == countries["CA"] == "CAD"
    assert " CAD</strong>" in salary
    assert "1 USD = 1.350 CAD" in salary  # the SIMULATED survey rate of serving_support, to 4 significant digits


def test_a_german_posting_is_priced_in_euros(owner, owner_client, salary_champion, countries, asked) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="US")
    application = application_with(owner, title="Data Scientist", country="DE")

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["currency"] == countries["DE"] == "EUR"
    assert " EUR</strong>" in salary


def test_the_seekers_chosen_currency_wins_over_the_postings_country(
    owner, owner_client, salary_champion, countries, asked
) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="US", preferred_currency="EUR")
    application = application_with(owner, title="Data Scientist", country="CA")

    salary = section_html(page_of(owner_client, application), "prediction-salary")

    assert asked[-1]["currency"] == "EUR"
    assert " EUR</strong>" in salary
