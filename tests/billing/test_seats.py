"""Enterprise seats: members past the contract's seats are refused with the limit named and nothing written, the
account page shows an organisation's administrators its seats used and free, and a change of seats in admin sets the
Stripe subscription's quantity (the real stripe library with a recording HTTP client; ids SIMULATED)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.models import Contract
from billing.seats import contract_seats_sync, seats_for_current_tenant
from billing.stripe_client import use_recording_client
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory
from tests.billing.stripe_fakes import SECRET_KEY, RecordingHTTPClient
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login

pytestmark = pytest.mark.django_db


def contract(*, seats: int, **fields) -> Contract:
    today = timezone.localdate()
    with schema_context("public"):
        return Contract.objects.create(
            tenant=Client.objects.get(schema_name="gamma"),
            seats=seats,
            price_per_seat_minor=1500,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=364),
            **fields,
        )


def members() -> int:
    with schema_context("gamma"):
        return User.objects.filter(is_staff=False).count()


def test_it_refuses_a_member_past_the_contracts_seats_and_writes_nothing(cast) -> None:
    contract(seats=members() + 1)
    with schema_context("gamma"):
        user_create(email="one.more@gamma.example", password=PASSWORD)
        with pytest.raises(ValidationError) as refused:
            user_create(email="one.too.many@gamma.example", password=PASSWORD)
        seats = seats_for_current_tenant()
    assert "seats" in str(refused.value)
    assert not User.objects.filter(email="one.too.many@gamma.example").exists()
    assert (seats.used, seats.free) == (seats.total, 0)


def test_it_applies_no_limit_without_a_contract_in_force_nor_to_consumer_sites(cast) -> None:
    with schema_context("gamma"):
        assert seats_for_current_tenant().total is None
        user_create(email="unlimited@gamma.example", password=PASSWORD)
    contract(seats=1)  # gamma's contract, not alpha's
    with schema_context("alpha"):
        user_create(email="seeker.free@alpha.example", password=PASSWORD)


def test_it_shows_seats_used_and_free_to_the_organisations_administrators_on_the_account_page(
    cast, enterprise_client
) -> None:
    with schema_context("gamma"):
        user_create(email="priya.raman@gamma.example", password=PASSWORD, role=User.Role.ADMINISTRATOR)
        used = User.objects.filter(role=User.Role.MEMBER, is_active=True, is_staff=False).count()
    contract(seats=used + 3)  # the administrator takes no seat
    login(enterprise_client, cast.enterprise_email)
    member_page = enterprise_client.get("/accounts/").content.decode()
    administrator_client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(administrator_client, "priya.raman@gamma.example")
    page = administrator_client.get("/accounts/").content.decode()
    with translation.override("de"):  # the portal speaks its organisation's language
        expected = gettext("Seats: %(used)s of %(total)s used, %(free)s free.") % {
            "used": used,
            "total": used + 3,
            "free": 3,
        }
    assert expected in page
    assert 'id="seats"' not in member_page  # a member sees the programme, not the contract


def test_it_sets_the_stripe_quantity_when_staff_change_the_seats(cast, settings, public_client) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    subscription = {
        "id": "sub_SIMULATED1",
        "object": "subscription",
        "items": {"object": "list", "data": [{"id": "si_SIMULATED1", "object": "subscription_item", "quantity": 10}]},
    }
    http = RecordingHTTPClient(
        {
            ("GET", "/v1/subscriptions/sub_SIMULATED1"): subscription,
            ("POST", "/v1/subscriptions/sub_SIMULATED1"): subscription,
        }
    )
    signed = contract(seats=10, stripe_subscription_id="sub_SIMULATED1")
    with schema_context("public"):
        StaffUserFactory(email="contracts@cvplus.example")
    public_client.post("/admin/login/?next=/admin/", {"username": "contracts@cvplus.example", "password": PASSWORD})
    with use_recording_client(http):
        response = public_client.post(
            f"/admin/billing/contract/{signed.pk}/change/",
            {
                "tenant": signed.tenant_id,
                "seats": 25,
                "price_per_seat": "15.00",
                "currency": "USD",
                "starts_on": signed.starts_on.isoformat(),
                "ends_on": signed.ends_on.isoformat(),
                "features": ["tracking", "interview"],
                "stripe_subscription_id": "sub_SIMULATED1",
                "notes": "",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    update = [r for r in http.requests if r.method == "POST"]
    assert len(update) == 1
    assert update[0].form["items[0][id]"] == "si_SIMULATED1"
    assert update[0].form["items[0][quantity]"] == "25"


def test_it_sends_nothing_for_a_contract_not_billed_through_stripe(cast, settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    http = RecordingHTTPClient({})
    with use_recording_client(http), schema_context("public"):
        assert contract_seats_sync(contract(seats=5)) is False
    assert http.requests == []
