"""Revenue for staff: MRR by stream per currency (yearly as a twelfth, consulting spread over its months, staff grants
not revenue), churn and failed payments in the period, and the admin page only staff can open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.catalogue import plans_ensure
from billing.models import ConsultingEngagement, Contract, Customer, Invoice, Plan, Subscription
from billing.revenue import revenue_report
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
REVENUE = "/admin/billing/consultingengagement/revenue/"


@pytest.fixture
def book(cast):
    """SIMULATED bookings: two paying seekers, one cancelled last week, one staff grant, a contract, consulting."""
    today = timezone.localdate()
    with schema_context("public"):
        plans = {plan.code: plan for plan in plans_ensure()}
        alpha, gamma = Client.objects.get(schema_name="alpha"), Client.objects.get(schema_name="gamma")
        customer = Customer.objects.create(stripe_customer_id="cus_SIM1", tenant=alpha, user_id=1)
        Subscription.objects.create(tenant=alpha, user_id=1, plan=plans["premium-monthly"], customer=customer)
        Subscription.objects.create(tenant=alpha, user_id=2, plan=plans["premium-yearly"])
        Subscription.objects.create(
            tenant=alpha, user_id=3, plan=plans["premium-monthly"], status=Subscription.Status.CANCELED
        )
        Subscription.objects.create(tenant=alpha, user_id=4, plan=plans["premium-yearly"], source="staff")
        Contract.objects.create(
            tenant=gamma,
            seats=40,
            price_per_seat_minor=1500,
            currency="EUR",
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=355),
        )
        ConsultingEngagement.objects.create(
            client_name="Northbridge University",
            amount_minor=600_000,
            starts_on=today.replace(day=1),
            ends_on=(today.replace(day=1) + timedelta(days=95)),
        )
        Invoice.objects.create(
            stripe_invoice_id="in_SIM1", customer=customer, status="open", payment_failed=True, currency="usd"
        )
        return plans


def test_it_sums_monthly_recurring_revenue_by_stream_and_currency(book) -> None:
    with schema_context("public"):
        report = revenue_report(period_days=30)
    assert report.mrr["premium"] == {"USD": 1900 + round(14900 / 12)}
    assert report.mrr["enterprise"] == {"EUR": 40 * 1500}
    assert report.mrr["consulting"] == {"USD": round(600_000 / 4)}  # four calendar months
    assert report.total_by_currency() == {"USD": 1900 + round(14900 / 12) + 150_000, "EUR": 60_000}
    assert (report.active_subscriptions, report.staff_grants) == (2, 1)
    assert report.cancelled_in_period == 1
    assert report.churn_rate == pytest.approx(1 / 3)
    assert report.failed_payments == 1


def test_it_counts_nothing_as_churn_when_nothing_was_paying(cast) -> None:
    with schema_context("public"):
        plans_ensure()
        report = revenue_report()
    assert report.churn_rate is None
    assert report.total_by_currency() == {}
    assert Plan.objects.count() == 5


def test_it_shows_the_revenue_page_to_staff_only(book, public_client) -> None:
    anonymous = public_client.get(REVENUE)
    assert anonymous.status_code == 302
    with schema_context("public"):
        StaffUserFactory(email="finance@cvplus.example")
    public_client.post("/admin/login/?next=/admin/", {"username": "finance@cvplus.example", "password": PASSWORD})
    page = public_client.get(REVENUE + "?days=90").content.decode()
    assert "Monthly recurring revenue by stream" in page
    assert "600.00 EUR" in page  # 40 seats at 15.00
    assert "33.3 %" in page
