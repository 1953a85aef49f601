# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""A salary shown in a workspace's currency says which exchange rate converted it (the salary survey's rate of a named
year, never "today's"), on the application page and in the API; amounts follow the reader's language; and a member
who has not said where they are is taken to be in their tenant's home country.

The salary champion is trained on SIMULATED rows and converts at a SIMULATED rate of 0.9 EUR per USD "of 2023"
(tests/predictions/serving_support.py): these tests prove what is shown, never accuracy.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.models import User
from market.models import Country, Currency, Region
from predictions import service
from predictions.application_panel import salary_basic
from predictions.salary.serving import exchange_rate_note
from tests.conftest import login
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    SALARY_REQUEST,
    owner_application,
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

NOTE_EN = "Converted from USD at the 2023 salary survey's rate (1 USD = 0.9000 EUR), not today's rate."


def salary_section(client, application, **headers) -> str:
    response = client.get(f"/app/applications/{application.pk}/", **headers)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="prediction-salary"')
    return page[start : page.index("</article>", start)]


@pytest.fixture
def beta_application(cast):
    """An application of the stranger in tenant B, a workspace that works in EUR (and in French by default)."""
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
        posting = JobPostingFactory(owner=stranger, title="Data Scientist", country="US")
        return ApplicationFactory(owner=stranger, posting=posting)


# ---------------------------------------------------------------------------------------------------------------------
# The exchange rate's year
# ---------------------------------------------------------------------------------------------------------------------


def test_it_names_the_survey_year_of_the_rate_next_to_a_converted_salary(
    cast, client_b, beta_application, salary_champion
) -> None:
    login(client_b, cast.stranger_email)

    salary = salary_section(client_b, beta_application, HTTP_ACCEPT_LANGUAGE="en")

    assert " EUR</strong>" in salary
    assert f'<p class="muted small" id="salary-exchange-rate">{NOTE_EN}</p>' in salary.replace("&#x27;", "'")


def test_it_formats_the_converted_salary_and_its_rate_in_the_readers_language(
    cast, client_b, beta_application, salary_champion
) -> None:
    login(client_b, cast.stranger_email)

    german = salary_section(client_b, beta_application, HTTP_ACCEPT_LANGUAGE="de")
    japanese = salary_section(client_b, beta_application, HTTP_ACCEPT_LANGUAGE="ja")

    assert re.search(r"<strong>\d{1,3}(\.\d{3})+ – \d{1,3}(\.\d{3})+ EUR</strong>", german), german
    assert "(1 USD = 0,9000 EUR)" in german
    assert re.search(r"<strong>\d{1,3}(,\d{3})+ – \d{1,3}(,\d{3})+ EUR</strong>", japanese), japanese
    assert "1 USD = 0.9000 EUR" in japanese  # Japanese writes it in full-width brackets


def test_it_shows_no_exchange_rate_for_a_salary_in_us_dollars(owner, owner_client, salary_champion) -> None:
    salary = salary_section(owner_client, owner_application(owner))

    assert " USD</strong>" in salary
    assert "salary-exchange-rate" not in salary


def test_it_returns_the_rate_its_year_and_the_note_in_the_api_in_the_requests_language(
    owner, owner_client, salary_champion
) -> None:
    def post(body: dict, language: str) -> dict:
        response = owner_client.post(
            "/api/v1/predictions/salary", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200, response.content
        return response.json()

    euros = post({**SALARY_REQUEST, "currency": "EUR"}, "en")
    german = post({**SALARY_REQUEST, "currency": "EUR"}, "de")
    dollars = post(SALARY_REQUEST, "en")

    assert (euros["exchange_rate"], euros["exchange_rate_year"], euros["exchange_rate_source"]) == (0.9, 2023, "survey")
    assert euros["exchange_rate_note"] == NOTE_EN
    assert "(1 USD = 0,9000 EUR)" in german["exchange_rate_note"]
    assert german["salary_p50"] == euros["salary_p50"]  # the number itself is never localised in JSON
    assert (dollars["currency"], dollars["exchange_rate_year"], dollars["exchange_rate_note"]) == ("USD", None, None)


def test_it_keeps_the_rate_note_in_the_basic_estimate() -> None:
    basic = salary_basic({"salary_p10": 1.0, "salary_p50": 2.0, "exchange_rate_year": 2023, "exchange_rate_note": "n"})

    assert basic == {"salary_p50": 2.0, "exchange_rate_year": 2023, "exchange_rate_note": "n", "basic": True}


@pytest.mark.parametrize(
    ("rate", "year", "source", "shown"),
    [
        (0.92620522, 2023, "survey", "(1 USD = 0.9262 EUR)"),  # four significant digits
        (131.55062, 2022, "survey", "(1 USD = 131.6 EUR)"),
        (1.0, None, "identity", None),
    ],
)
def test_it_words_the_rate_with_four_significant_digits_or_not_at_all(rate, year, source, shown) -> None:
    with translation.override("en"):
        note = exchange_rate_note(currency="EUR", rate=rate, year=year, source=source)

    if shown is None:
        assert note is None
    else:
        assert shown in note
        assert f"the {year} salary survey's rate" in note


# ---------------------------------------------------------------------------------------------------------------------
# The tenant's region for members without a country
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def reference_countries(db) -> None:
    """The few reference countries these tests need (the cast's database has no CLDR load)."""
    for code, name in (("NA", "North America"), ("EU", "Europe")):
        Region.objects.get_or_create(code=code, defaults={"name": name})
    for code in ("USD", "EUR"):
        Currency.objects.get_or_create(code=code, defaults={"name": code, "minor_digits": 2})
    for iso2, region, currency in (("US", "NA", "USD"), ("DE", "EU", "EUR"), ("FR", "EU", "EUR"), ("IE", "EU", "EUR")):
        Country.objects.update_or_create(
            iso2=iso2, defaults={"name": iso2, "region_id": region, "currency_id": currency}
        )


@pytest.fixture
def served(monkeypatch) -> dict[str, list[dict]]:
    """The inputs the application page sends to the salary and time-to-hire predictors (which then fail: "not
    available yet")."""
    seen: dict[str, list[dict]] = {}

    def capture(kind):
        def serve(*, user, items, **kwargs):
            seen[kind] = items
            raise RuntimeError("captured")

        return serve

    monkeypatch.setattr(service, "salary_serve", capture("salary"))
    monkeypatch.setattr(service, "time_to_hire_serve", capture("time_to_hire"))
    return seen


def test_it_places_a_member_without_a_country_in_the_tenants_home_country(
    cast, client_b, reference_countries, served
) -> None:
    with schema_context("beta"):  # Europe, French, EUR: France
        stranger = User.objects.get(email=cast.stranger_email)
        posting = JobPostingFactory(owner=stranger, title="Data Scientist", country="")
        application = ApplicationFactory(owner=stranger, posting=posting)
    login(client_b, cast.stranger_email)

    salary_section(client_b, application)

    assert served["salary"][0]["company_country"] == "FR"
    assert served["salary"][0]["currency"] == "EUR"
    assert served["time_to_hire"][0]["country"] == "FR"


def test_it_prefers_the_postings_country_then_the_members_own(owner, owner_client, reference_countries, served) -> None:
    from tracking.models import CandidateProfile

    in_germany = owner_application(owner, country="DE")
    salary_section(owner_client, in_germany)
    assert served["salary"][0]["company_country"] == "DE"

    nowhere = owner_application(owner, country="", marker="nowhere")
    salary_section(owner_client, nowhere)
    assert served["salary"][0]["company_country"] == "US"  # alpha: North America, English, USD

    with schema_context("alpha"):
        CandidateProfile.objects.create(user=owner, country="IE")
    salary_section(owner_client, nowhere)
    assert served["salary"][0]["company_country"] == "IE"
    assert served["time_to_hire"][0]["country"] == "IE"
