"""The application page's predictions in a real browser: a salary range from the champion with its version and
confidence, the interview prior flagged as insufficient data, a model that does not exist yet shown as not available,
and the match score, all on one page that still loads when a model is missing.

The salary champion is trained on SIMULATED rows (tests/predictions/salary/test_salary.py's seeded generator): it proves
the page shows what the model answers; its numbers are never accuracy.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.services import user_create
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_promote
from tests.billing.grants import plan_grant
from tests.conftest import wait_until
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    owner_application,
    salary_run,
    salary_version_save,
)
from tracking.models import Application

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def seeker(committed):
    email = f"browser.predictions.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Pia Predict")
    grant = plan_grant(schema="alpha", email=email)  # every prediction is premium's to see (gating: test_billing.py)
    yield user
    grant.delete()
    with schema_context("alpha"):
        Application.objects.filter(owner=user).delete()
        user.delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


@pytest.fixture
def committed_salary_champion(committed, salary_run):  # noqa: F811 - the fixture imported above
    version = salary_version_save(salary_run, mae=10_000)
    assert model_promote(candidate=version, metric=KINDS[version.kind].metric).promoted
    yield version
    ModelVersion.objects.filter(kind=ModelVersion.Kind.SALARY).delete()


def test_it_shows_every_prediction_with_its_version_and_confidence(
    live_site, page, seeker, committed_salary_champion
) -> None:
    application = owner_application(seeker, title="Data Scientist", country="US", marker=uuid.uuid4().hex[:6])
    site = live_site.format(host="alpha.localhost")
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(seeker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/app/$"))

    def salary_shown() -> bool:
        page.goto(f"{site}/app/applications/{application.pk}/")
        return "Not available yet." not in page.locator("#prediction-salary").inner_text()

    # The server process caches its champion lookup for a few seconds (predictions.registry): an earlier browser test's
    # page may have left "no champion" there, so the page is reloaded until the new champion is seen (bounded).
    assert wait_until(salary_shown, timeout_s=30, interval_s=1.0)
    salary = page.locator("#prediction-salary").inner_text()
    assert re.search(r"[\d,]+ – [\d,]+ USD", salary), salary
    assert f"Model version {committed_salary_champion.version}" in salary
    assert "confidence" in salary.lower()

    interview = page.locator("#prediction-interview").inner_text()
    assert re.search(r"\d+ % chance of an interview", interview), interview
    assert re.search(r"\d+ % chance of an offer", interview), interview
    assert "Based on published rates" in interview

    # No time-to-hire champion exists in the test database: the section says so and the page still works.
    assert "Not available yet." in page.locator("#prediction-time-to-hire").inner_text()

    match = page.locator("#prediction-match").inner_text()
    assert re.search(r"\d+ / 100", match), match


def test_a_new_seeker_sees_the_interview_and_offer_odds_on_a_phone(live_site, browser, seeker) -> None:
    from pathlib import Path

    from tests.browser.conftest import fits_the_screen, log_in, phone_page

    with schema_context("alpha"):
        from tests.tracking.factories import ApplicationFactory

        application = ApplicationFactory(owner=seeker, stage="applied", channel="referral")
    site = live_site.format(host="alpha.localhost")
    with phone_page(browser) as phone:
        log_in(phone, site, seeker.email, PASSWORD)
        phone.goto(f"{site}/app/applications/{application.pk}/")
        card = phone.locator("#prediction-interview")
        text = card.inner_text()
        assert re.search(r"\d+ % chance of an interview", text), text
        assert re.search(r"\d+ % chance of an offer", text), text
        assert "80 % likely between" in text
        assert "Based on published rates" in text
        shots = Path("/tmp/odds-shots")  # noqa: S108 - a fixed folder the brief names, to look at by hand
        shots.mkdir(exist_ok=True)
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(shots / "interview-card-390.png"))
        assert fits_the_screen(phone)  # the whole application page, posting facts included, fits a 390 px phone
        card.get_by_role("link", name="Published sources").click()
        phone.wait_for_url(re.compile(r"/data-sources/#source-base_rates_jobvite_2014$"))
