# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The predictions panel on the application page: four sections, each with its reasons, confidence and model
version; a predictor that fails or has no model shows "not available yet" and the rest of the page still renders.

The salary champion is trained on SIMULATED rows: the page's figures here prove the plumbing, never accuracy.
"""

from __future__ import annotations

import logging

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.models import User
from predictions import service
from predictions.application_panel import application_predictions, percent_text
from predictions.models import PredictionLog
from tests.conftest import login
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    owner_application,
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import member, owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, JobPostingFactory
from tracking.models import CandidateProfile

pytestmark = pytest.mark.django_db

SECTIONS = ("Salary range", "Interview and offer", "Time to hire", "CV match")


def page_of(client, application) -> str:
    response = client.get(f"/app/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def section_html(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</article>", start)]


def test_it_shows_all_four_predictions_with_the_salary_models_version(owner, owner_client, salary_champion) -> None:
    with schema_context("alpha"):
        CandidateProfile.objects.create(user=owner, years_experience=7, country="US")
    application = owner_application(owner)

    page = page_of(owner_client, application)

    assert "Predictions for this application" in page
    for title in SECTIONS:
        assert title in page
    salary = section_html(page, "prediction-salary")
    assert f"Model version {salary_champion.version}" in salary
    assert " USD" in salary
    assert "confidence" in salary
    assert "Assumed a mid-sized company." in salary
    assert "Not available yet." not in salary
    interview = section_html(page, "prediction-interview")  # no interview classifier here: the shrunk prior
    assert "chance of an interview" in interview
    assert "chance of an offer" in interview
    assert "Published rates, updated with tracked outcomes" in interview
    match = section_html(page, "prediction-match")
    assert "/ 100" in match
    assert "Scorer match-4" in match
    assert "How your CV matches this posting" in page  # the evidence panel is still there
    with schema_context("alpha"):
        kinds = set(PredictionLog.objects.filter(source="page", user=owner).values_list("kind", flat=True))
    assert {"salary", "match"} <= kinds


def test_it_shows_the_salary_in_the_workspaces_currency_when_nothing_names_one(
    cast, owner, owner_client, client_b, salary_champion
) -> None:
    # No posting country, stated currency or profile: the workspace's currency (the posting country's comes first:
    # tests/predictions/test_panel_salary.py).
    with schema_context("alpha"):
        CandidateProfile.objects.filter(user=owner).delete()
    in_alpha = owner_application(owner, country="")  # alpha works in USD
    with schema_context("beta"):  # beta works in EUR (a SIMULATED rate of 0.9 per USD here)
        stranger = User.objects.get(email=cast.stranger_email)
        CandidateProfile.objects.filter(user=stranger).delete()
        posting = JobPostingFactory(owner=stranger, title="Data Scientist", country="", salary_currency="")
        in_beta = ApplicationFactory(owner=stranger, posting=posting)
    login(client_b, cast.stranger_email)

    alpha_salary = section_html(page_of(owner_client, in_alpha), "prediction-salary")
    beta_salary = section_html(page_of(client_b, in_beta), "prediction-salary")

    assert " USD</strong>" in alpha_salary
    assert " EUR</strong>" in beta_salary
    with schema_context("beta"):
        [row] = PredictionLog.objects.filter(kind="salary")
    assert (row.model_version_id, row.source) == (salary_champion.pk, "page")


def test_it_shows_not_available_for_a_failing_predictor_and_still_renders_the_others(
    owner, owner_client, monkeypatch, caplog
) -> None:
    def broken(**kwargs):
        raise RuntimeError("booster exploded")

    monkeypatch.setattr(service, "salary_serve", broken)
    application = owner_application(owner)

    with caplog.at_level(logging.ERROR, logger="predictions.application_panel"):
        page = page_of(owner_client, application)

    assert "Not available yet." in section_html(page, "prediction-salary")
    assert "booster exploded" not in page
    assert "the salary prediction failed" in caplog.text
    assert "/ 100" in section_html(page, "prediction-match")
    assert "Timeline" in page


def test_it_says_not_available_yet_without_a_salary_champion(owner, owner_client, salary_reference) -> None:
    application = owner_application(owner)

    page = page_of(owner_client, application)

    assert "Not available yet." in section_html(page, "prediction-salary")


def test_it_refuses_to_gather_another_users_predictions(owner, member) -> None:
    application = owner_application(owner)

    with schema_context("alpha"), pytest.raises(PermissionError):
        application_predictions(user=member, application=application)
    with schema_context("alpha"):
        assert not PredictionLog.objects.exists()


def test_it_returns_404_for_another_users_page_and_predicts_nothing(cast, owner, member, client_a) -> None:
    application = owner_application(owner)
    login(client_a, cast.member_email)

    assert client_a.get(f"/app/applications/{application.pk}/").status_code == 404
    with schema_context("alpha"):
        assert not PredictionLog.objects.exists()


def test_it_passes_the_us_state_written_in_the_postings_location(owner, owner_client, monkeypatch) -> None:
    seen: dict[str, list[dict]] = {}

    def capture(kind):
        def serve(*, user, items, **kwargs):
            seen[kind] = items
            raise RuntimeError("captured")

        return serve

    monkeypatch.setattr(service, "salary_serve", capture("salary"))
    monkeypatch.setattr(service, "time_to_hire_serve", capture("time_to_hire"))
    us = owner_application(owner, country="US")
    with schema_context("alpha"):
        us.posting.__class__.objects.filter(pk=us.posting.pk).update(location="Austin, TX")
    page_of(owner_client, us)
    assert seen["salary"][0]["state"] == seen["time_to_hire"][0]["state"] == "TX"

    canadian = owner_application(owner, country="CA", marker="ca")
    with schema_context("alpha"):
        canadian.posting.__class__.objects.filter(pk=canadian.posting.pk).update(location="Vancouver, BC")
    page_of(owner_client, canadian)
    assert seen["salary"][0]["state"] is None
    assert seen["time_to_hire"][0]["state"] is None


@pytest.mark.parametrize(
    ("language", "probability", "shown"),
    [
        ("en", 0.0142, "1.4"),
        ("de", 0.0142, "1,4"),
        ("fr", 0.0142, "1,4"),
        ("en", 0.0004, "0.0"),
        ("en", 0.09949, "9.9"),
        ("de", 0.09951, "10"),  # 9.951 % is 10.0 at one decimal: from 10 % up, whole numbers
        ("en", 0.2345, "23"),
        ("de", 0.875, "88"),  # halves round up
    ],
)
def test_odds_keep_one_decimal_below_ten_percent_in_the_active_language(language, probability, shown) -> None:
    with translation.override(language):
        assert percent_text(probability) == shown


def test_no_probability_shows_nothing() -> None:
    assert percent_text(None) is None
