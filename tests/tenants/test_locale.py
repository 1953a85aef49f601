"""A tenant's default language and region reach its members: a member without a language of their own reads the
tenant's language, the switcher saves a signed-in user's choice, API errors follow the request's Accept-Language, and
a member without a country is taken to be in the tenant's home country."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import User
from market.models import Country, Currency, Region
from tenants.locale import home_country_choose, member_language, tenant_home_country
from tests.conftest import PUBLIC_HOST, login
from tests.predictions.serving_support import SALARY_REQUEST

pytestmark = pytest.mark.django_db


def _set_language(schema: str, email: str, language: str) -> None:
    with schema_context(schema):
        User.objects.filter(email=email).update(language=language)


# ---------------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------------


def test_it_shows_an_enterprise_member_without_a_language_the_organisations_language(cast, enterprise_client) -> None:
    login(enterprise_client, cast.enterprise_email)

    board = enterprise_client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")

    assert board.status_code == 200
    assert board["Content-Language"] == "de"
    assert "Ihre Bewerbungen" in board.content.decode()


def test_it_shows_a_consumer_member_without_a_language_the_tenants_language(cast, client_b) -> None:
    login(client_b, cast.stranger_email)

    assert client_b.get("/app/")["Content-Language"] == "fr"


def test_it_lets_a_members_own_language_win_over_the_organisations(cast, enterprise_client) -> None:
    _set_language("gamma", cast.enterprise_email, "es")
    login(enterprise_client, cast.enterprise_email)

    assert enterprise_client.get("/app/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "es"


def test_it_falls_back_to_the_tenants_language_for_a_browser_language_the_site_does_not_ship(client_b) -> None:
    assert client_b.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")["Content-Language"] == "fr"


def test_it_saves_a_signed_in_users_choice_from_the_language_switcher(cast, client_a) -> None:
    _set_language("alpha", cast.owner_email, "en")  # a saved language outranks the switcher's cookie
    login(client_a, cast.owner_email)

    response = client_a.post("/i18n/setlang/", {"language": "ja", "next": "/app/"})

    assert response.status_code == 302
    assert response["Location"] == "/app/"
    assert client_a.get("/app/")["Content-Language"] == "ja"
    with schema_context("alpha"):
        assert User.objects.get(email=cast.owner_email).language == "ja"


def test_it_switches_an_anonymous_visitors_language_with_the_cookie_only(cast, client_a) -> None:
    client_a.post("/i18n/setlang/", {"language": "de", "next": "/accounts/login/"})

    assert client_a.get("/accounts/login/")["Content-Language"] == "de"
    with schema_context("alpha"):
        assert set(User.objects.values_list("language", flat=True)) == {""}


# ---------------------------------------------------------------------------------------------------------------------
# API errors follow Accept-Language
# ---------------------------------------------------------------------------------------------------------------------


def test_it_answers_an_enterprise_members_api_error_in_the_requests_language(cast, enterprise_client) -> None:
    login(enterprise_client, cast.enterprise_email)

    response = enterprise_client.post(
        "/api/v1/postings/", {"company": "Globex"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
    assert response.json() == {"title": ["Ce champ est obligatoire."]}
    german = enterprise_client.post("/api/v1/postings/", {"company": "Globex"}, content_type="application/json")
    assert german.json() == {"title": ["Dieses Feld ist zwingend erforderlich."]}  # no header: the organisation's


def test_it_answers_an_api_error_in_the_requests_language_over_the_users_own(cast, client_a) -> None:
    _set_language("alpha", cast.owner_email, "de")
    login(client_a, cast.owner_email)
    body = {**SALARY_REQUEST, "company_country": "U1"}

    french = client_a.post(
        "/api/v1/predictions/salary", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    german = client_a.post("/api/v1/predictions/salary", body, content_type="application/json")

    assert french.status_code == german.status_code == 400
    assert french.json() == {"company_country": ["Saisissez un code pays à deux lettres, par exemple US ou DE."]}
    assert german.json() == {"company_country": ["Geben Sie einen zweistelligen Ländercode ein, z. B. US oder DE."]}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("de", "Der API-Schlüssel ist ungültig oder wurde widerrufen."),
        ("ja", "API キーが無効か、失効しています。"),
    ],
)
def test_it_refuses_a_bad_licensee_key_in_the_requests_language(cast, language, detail) -> None:
    response = HttpClient().post(
        "/api/v1/licensee/predictions/match",
        {},
        content_type="application/json",
        HTTP_HOST=PUBLIC_HOST,
        HTTP_AUTHORIZATION="Bearer cvp_live_not-a-real-key",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 401
    assert response.json()["detail"] == detail


# ---------------------------------------------------------------------------------------------------------------------
# Emails and other work outside a request
# ---------------------------------------------------------------------------------------------------------------------


def test_it_writes_to_a_member_in_their_language_else_the_tenants(cast) -> None:
    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
        assert member_language(member) == "de"
        member.language = "ja"
        assert member_language(member) == "ja"
    with schema_context("beta"):
        assert member_language(User.objects.get(email=cast.stranger_email)) == "fr"
    assert member_language(User(language=""), cast.tenant_a) == "en"


# ---------------------------------------------------------------------------------------------------------------------
# The tenant's home country
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "language", "currency", "country"),
    [
        ({"AT", "BE", "DE", "ES", "FR", "IE"}, "de", "EUR", "DE"),  # the language names it
        ({"AT", "BE", "DE", "ES", "FR", "IE"}, "fr", "EUR", "FR"),
        ({"AT", "BE", "DE", "ES", "FR", "IE"}, "en", "EUR", None),  # English in the euro area: no guess
        ({"US"}, "en", "USD", "US"),
        ({"JP"}, "ja", "JPY", "JP"),
        ({"GB"}, "en", "GBP", "GB"),
        ({"CA"}, "fr", "CAD", "CA"),  # French in Canada: the currency's country
        ({"CH", "LI"}, "de", "CHF", "CH"),  # German with the Swiss franc: the currency's country, not Germany
        ({"AU", "CC", "CX", "NF"}, "en", "AUD", "AU"),
        ({"AS", "GU", "MH"}, "en", "USD", None),  # US dollars in Asia-Pacific: the US is not in the region
        (set(), "en", "USD", None),
    ],
)
def test_it_chooses_a_tenants_home_country_from_its_region_language_and_currency(
    candidates, language, currency, country
) -> None:
    assert home_country_choose(candidates, language=language, currency=currency) == country


def test_it_reads_the_home_countrys_candidates_from_the_reference_countries(cast) -> None:
    europe, _created = Region.objects.get_or_create(code="EU", defaults={"name": "Europe"})
    euro, _created = Currency.objects.get_or_create(code="EUR", defaults={"name": "Euro", "minor_digits": 2})
    for iso2 in ("DE", "FR", "IE"):
        Country.objects.update_or_create(iso2=iso2, defaults={"name": iso2, "region": europe, "currency": euro})

    assert tenant_home_country(cast.enterprise) == "DE"  # EU, German, EUR
    assert tenant_home_country(cast.tenant_b) == "FR"  # EU, French, EUR
    with schema_context("gamma"):  # the public reference table is read from inside a tenant's schema too
        assert tenant_home_country(cast.enterprise) == "DE"
