"""Enterprise billing that fits (issue 13, item 7): on an organisation's host everyone sees its programme, never the
consumer Free/Premium page; administrators see the contract (seats, term, price per seat in its currency, in the
page's language); without a contract in force members are told features are limited and administrators whom to
write to; checkout and the billing portal refuse with a page and never reach Stripe; locked features speak of the
programme. Money with the currency's exponent: 12.50 EUR is 1250 cents, 5000 JPY is 5000 yen.

Every Stripe id and amount is SIMULATED."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.catalogue import plans_ensure
from billing.entitlements import entitlement_check
from billing.gating import locked_section
from billing.models import Contract, Customer, Feature, Plan
from billing.money import major_text, minor_from_major, price_format
from billing.stripe_client import use_recording_client
from tenants.models import Client
from tests.billing.stripe_fakes import SECRET_KEY, RecordingHTTPClient
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = "stefanie.vogel@gamma.example"
FEATURES = [Feature.TRACKING, Feature.MATCH, Feature.INTERVIEW]


def contract(*, price_per_seat_minor: int = 1250, currency: str = "EUR", days_left: int = 364, **fields) -> Contract:
    today = timezone.localdate()
    values = {
        "seats": 40,
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=days_left),
        "features": [str(f) for f in FEATURES],
    } | fields
    with schema_context("public"):
        return Contract.objects.create(
            tenant=Client.objects.get(schema_name="gamma"),
            price_per_seat_minor=price_per_seat_minor,
            currency=currency,
            **values,
        )


@pytest.fixture
def administrator(cast) -> User:
    with schema_context("gamma"):
        return user_create(
            email=ADMIN_EMAIL, password=PASSWORD, full_name="Stefanie Vogel", role=User.Role.ADMINISTRATOR
        )


@pytest.fixture
def plans(cast) -> None:
    with schema_context("public"):
        plans_ensure()
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="price_SIMpremiummonthly")


def page_of(client, email: str, url: str = "/billing/pricing/") -> str:
    login(client, email)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def german(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


def test_it_shows_members_the_organisations_programme_and_never_the_consumer_plans(
    cast, enterprise_client, plans
) -> None:
    contract()

    page = page_of(enterprise_client, cast.enterprise_email)

    with translation.override("de"):  # the portal speaks its organisation's language
        assert gettext("Included in %(organisation)s's programme") % {"organisation": "Tenant gamma"} in page
        for feature in FEATURES:
            assert capfirst(str(Feature(feature).label)) in page
        assert capfirst(str(Feature.SALARY_RANGE.label)) not in page
    assert 'id="plan-free"' not in page
    assert 'id="plan-premium-monthly"' not in page
    assert "/billing/checkout/" not in page
    assert 'id="contract-terms"' not in page  # seats, term and price are the administrators'
    assert "12,50" not in page


def test_it_shows_administrators_seats_term_and_price_per_seat_in_euros_formatted_in_german(
    cast, enterprise_client, administrator, plans
) -> None:
    signed = contract(seats=12)
    with schema_context("gamma"):
        members = User.objects.filter(role=User.Role.MEMBER, is_active=True, is_staff=False).count()

    page = page_of(enterprise_client, ADMIN_EMAIL)

    with translation.override("de"):
        seats = gettext("Seats: %(used)s of %(total)s used, %(free)s free.") % {
            "used": members,
            "total": 12,
            "free": 12 - members,
        }
        term = gettext("%(starts)s to %(ends)s") % {
            "starts": date_format(signed.starts_on, "DATE_FORMAT"),
            "ends": date_format(signed.ends_on, "DATE_FORMAT"),
        }
        price = gettext("%(price)s a month") % {"price": price_format(1250, "EUR")}
    assert seats in page
    assert term in page
    assert price in page
    assert "12,50 EUR" in page  # German decimal comma
    assert "/billing/checkout/" not in page


def test_it_formats_yen_without_decimals_for_a_japanese_reader(cast, enterprise_client, administrator, plans) -> None:
    contract(price_per_seat_minor=5000, currency="JPY")
    with schema_context("gamma"):
        User.objects.filter(email=ADMIN_EMAIL).update(language="ja")

    page = page_of(enterprise_client, ADMIN_EMAIL)

    assert "5,000 JPY" in page
    assert "50.00" not in page
    assert "5,000.00" not in page
    with translation.override("ja"):
        assert price_format(5000, "JPY") == "5,000 JPY"
        assert price_format(1250, "EUR") == "12.50 EUR"
    with translation.override("de"):
        assert price_format(123456, "EUR") == "1.234,56 EUR"
    assert price_format(1500, "KWD") == "1.500 KWD"  # three decimals


def test_it_converts_major_units_with_the_currencys_exponent_and_names_what_is_wrong() -> None:
    assert minor_from_major("12.50", "EUR") == 1250
    assert minor_from_major("12,5", "eur") == 1250
    assert minor_from_major("5000", "JPY") == 5000
    assert minor_from_major("5000.0", "JPY") == 5000
    assert (major_text(1250, "EUR"), major_text(5000, "JPY"), major_text(7, "USD")) == ("12.50", "5000", "0.07")
    refusals = {
        "12.505": "at most 2 decimals",
        "50.5 JPY": "as digits",
        "1,250.00": "without thousands separators",
        "-3": "as digits",
        "": "as digits",
        "99999999999": "too large",
    }
    for raw, why in refusals.items():
        with pytest.raises(ValidationError) as refused:
            minor_from_major(raw, "EUR")
        assert why in refused.value.messages[0], raw
    with pytest.raises(ValidationError) as refused:
        minor_from_major("50.5", "JPY")
    assert refused.value.messages == ["JPY has no minor unit: enter a whole number, for example 5000."]


def test_it_tells_members_without_a_contract_that_features_are_limited_and_no_more(
    cast, enterprise_client, plans
) -> None:
    page = page_of(enterprise_client, cast.enterprise_email)

    assert german("Your organisation has no active contract; features are limited.") in page
    assert german("Your programme's administrators can tell you more.") in page
    assert "enterprise@cvplus.localhost" not in page
    assert 'id="plan-premium-monthly"' not in page
    assert "/billing/checkout/" not in page


def test_it_tells_administrators_without_a_contract_when_the_last_ended_and_whom_to_write_to(
    cast, enterprise_client, administrator, plans, settings
) -> None:
    settings.ENTERPRISE_CONTACT_EMAIL = "contracts@cvplus.example"
    ended = contract(days_left=-2)  # ended the day before yesterday

    page = page_of(enterprise_client, ADMIN_EMAIL)

    assert german("Your organisation has no active contract; features are limited.") in page
    with translation.override("de"):
        assert (
            gettext("Your last contract ended on %(date)s.") % {"date": date_format(ended.ends_on, "DATE_FORMAT")}
            in page
        )
    assert 'href="mailto:contracts@cvplus.example"' in page
    assert 'id="contract-terms"' not in page


def test_it_shows_the_organisations_plan_on_the_account_page_instead_of_your_plan(
    cast, enterprise_client, plans
) -> None:
    contract()

    page = page_of(enterprise_client, cast.enterprise_email, "/accounts/")

    assert german("Your organisation's plan") in page
    with translation.override("de"):
        assert gettext("Included in %(organisation)s's programme") % {"organisation": "Tenant gamma"} in page
        assert gettext("Your plan") not in page
        assert gettext("See plans") not in page
    assert 'id="account-plan"' not in page


@pytest.mark.parametrize("url", ["/billing/checkout/premium-monthly/", "/billing/portal/"])
def test_it_refuses_checkout_and_the_billing_portal_on_an_enterprise_host_without_calling_stripe(
    cast, enterprise_client, plans, settings, url
) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    contract()
    login(enterprise_client, cast.enterprise_email)
    stripe_http = RecordingHTTPClient({})

    with use_recording_client(stripe_http):
        response = enterprise_client.post(url)

    assert response.status_code == 403
    page = response.content.decode()
    assert german("Nothing to buy here") in page
    assert 'href="/billing/pricing/"' in page
    assert stripe_http.requests == []
    with schema_context("public"):
        assert not Customer.objects.filter(tenant__schema_name="gamma").exists()


def test_it_refuses_checkout_on_an_enterprise_host_in_the_service_too(cast, plans, settings) -> None:
    from billing.checkout import CheckoutRefused, checkout_session_create

    settings.STRIPE_SECRET_KEY = SECRET_KEY
    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
        with pytest.raises(CheckoutRefused) as refused:
            checkout_session_create(user=member, plan_code="premium-monthly", success_url="x", cancel_url="y")
    assert "contract sets your plan" in refused.value.message


def test_it_words_locked_features_as_the_programmes_with_or_without_a_contract(cast, plans) -> None:
    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
        without = entitlement_check(user=member, feature=Feature.INTERVIEW)
    contract()
    with schema_context("gamma"):
        within = entitlement_check(user=member, feature=Feature.SALARY_RANGE)
        allowed = entitlement_check(user=member, feature=Feature.INTERVIEW)

    assert not without.allowed
    assert without.reason == (
        "Your organisation has no active contract, so interview and offer probability is not available."
    )
    assert allowed.allowed
    assert within.reason == "Tenant gamma's programme does not include salary range with reasons."
    section = locked_section(within)
    assert section["organisation"] == "Tenant gamma"
    assert section["upgrade_label"] == "See what your organisation's programme includes"
    assert "Free" not in within.reason
    assert "Premium" not in within.reason
