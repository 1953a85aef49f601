"""Contracts and prices in staff admin: features ticked from a list and stored as the same JSON list of codes, prices
typed in major units (12.50 EUR → 1250, 5000 JPY → 5000) and shown back in major units, bad amounts refused with a
message naming the problem and nothing saved, seats used counted in the tenant's schema beside the seats, and every
contract change written to the staff audit log. SIMULATED contracts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import plans_ensure
from billing.models import Contract, Feature, Plan
from tenants.models import Client, StaffAction
from tests.accounts.factories import StaffUserFactory
from tests.billing.test_enterprise_billing import contract
from tests.conftest import PASSWORD, PUBLIC_HOST

pytestmark = pytest.mark.django_db

ADD = "/admin/billing/contract/add/"
STAFF_EMAIL = "ines.kessler@cvplus.example"


@pytest.fixture
def staff_client(cast) -> HttpClient:
    StaffUserFactory(email=STAFF_EMAIL, full_name="Ines Kessler")
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert client.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD}).status_code == 302
    return client


def contract_form(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "tenant": Client.objects.get(schema_name="gamma").pk,
        "seats": "30",
        "currency": "EUR",
        "price_per_seat": "12.50",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=364)).isoformat(),
        "features": [Feature.INTERVIEW, Feature.TRACKING],
        "customer": "",
        "stripe_subscription_id": "",
        "notes": "Outplacement programme 2026, signed by Stefanie Vogel",
        "_save": "Save",
    } | overrides


def test_it_saves_ticked_features_as_codes_and_a_euro_price_in_cents(staff_client) -> None:
    page = staff_client.get(ADD).content.decode()
    assert 'type="checkbox" name="features" value="salary_range"' in page  # a list to tick, not codes to type

    response = staff_client.post(ADD, contract_form())

    assert response.status_code == 302, response.content.decode()
    saved = Contract.objects.get(tenant__schema_name="gamma")
    assert saved.features == ["tracking", "interview"]  # the same JSON list of codes, in the catalogue's order
    assert (saved.price_per_seat_minor, saved.currency) == (1250, "EUR")
    [logged] = StaffAction.objects.filter(action=StaffAction.Action.CONTRACT_CREATED)
    assert (logged.actor_email, logged.tenant.schema_name) == (STAFF_EMAIL, "gamma")
    assert logged.detail["price_per_seat_minor"] == 1250


def test_it_takes_yen_as_whole_units_and_the_tenants_currency_when_none_is_typed(staff_client) -> None:
    response = staff_client.post(ADD, contract_form(currency="JPY", price_per_seat="5000"))
    assert response.status_code == 302
    assert Contract.objects.get(tenant__schema_name="gamma").price_per_seat_minor == 5000

    Contract.objects.all().delete()
    assert staff_client.post(ADD, contract_form(currency="", price_per_seat="9,90")).status_code == 302
    assert Contract.objects.values_list("currency", "price_per_seat_minor").get() == ("EUR", 990)  # gamma's


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price_per_seat": "12.505"}, "EUR amounts have at most 2 decimals."),
        ({"price_per_seat": "twelve"}, "Enter the amount as digits"),
        ({"price_per_seat": "1,250.00"}, "without thousands separators"),
        ({"price_per_seat": "-5"}, "Enter the amount as digits"),
        ({"currency": "JPY", "price_per_seat": "50.5"}, "JPY has no minor unit: enter a whole number"),
        ({"currency": "EURO"}, "Enter a three-letter ISO 4217 currency code"),
        ({"features": []}, "Choose at least one feature."),
        ({"features": ["exports"]}, "Select a valid choice."),
        ({"ends_on": date(2000, 1, 1).isoformat()}, "A contract cannot end before it starts."),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(staff_client, fields, message) -> None:
    response = staff_client.post(ADD, contract_form(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contract.objects.exists()
    assert not StaffAction.objects.exists()


def test_it_shows_the_price_back_in_major_units_and_seats_used_beside_seats(staff_client) -> None:
    with schema_context("gamma"):
        used = User.objects.filter(role=User.Role.MEMBER, is_active=True, is_staff=False).count()
    signed = contract(seats=25, price_per_seat_minor=5000, currency="JPY", features=["tracking"])

    change = staff_client.get(f"/admin/billing/contract/{signed.pk}/change/").content.decode()
    listing = staff_client.get("/admin/billing/contract/").content.decode()

    assert 'name="price_per_seat" value="5000"' in change
    assert re.search(r'value="tracking"[^>]* checked', change)
    assert not re.search(r'value="match"[^>]* checked', change)
    assert f'<div class="readonly">{used}</div>' in change
    assert f'<td class="field-seats_used">{used}</td>' in listing
    assert '<td class="field-price_per_seat">5,000 JPY</td>' in listing


def test_it_logs_a_contract_change_with_the_fields_changed(staff_client) -> None:
    staff_client.post(ADD, contract_form())
    signed = Contract.objects.get()

    response = staff_client.post(
        f"/admin/billing/contract/{signed.pk}/change/", contract_form(seats="45", price_per_seat="11")
    )

    assert response.status_code == 302
    signed.refresh_from_db()
    assert (signed.seats, signed.price_per_seat_minor) == (45, 1100)
    changed = StaffAction.objects.get(action=StaffAction.Action.CONTRACT_CHANGED)
    assert set(changed.detail["fields"]) == {"seats", "price_per_seat"}


def test_it_types_plan_prices_in_major_units_too(staff_client) -> None:
    plans_ensure()
    plan = Plan.objects.get(code="premium-monthly")
    url = f"/admin/billing/plan/{plan.pk}/change/"
    page = staff_client.get(url).content.decode()
    assert 'name="price" value="19.00"' in page
    assert 'name="price_minor"' not in page

    listing = staff_client.get("/admin/billing/plan/").content.decode()
    assert "19.00 USD" in listing

    form = {
        "code": "premium-monthly",
        "kind": "premium",
        "interval": "month",
        **{f"name_{language}": "Premium, monthly" for language in ("en", "de", "fr", "es", "ja")},
        "currency": "USD",
        "price": "21.5",
        "features": ["tracking", "match"],
        "sort_order": "10",
        "is_active": "on",
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    plan.refresh_from_db()
    assert (plan.price_minor, plan.features) == (2150, ["tracking", "match"])
