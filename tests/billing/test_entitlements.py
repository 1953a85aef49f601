"""The one entitlement question: free limits, premium through a subscription that grants (and stops granting when
cancelled, keeping the data), staff grants with an end date, enterprise contracts in force, and fail-closed outside a
tenant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.catalogue import FREE_APPLICATION_LIMIT, plans_ensure
from billing.entitlements import entitlement_check, plan_for
from billing.models import Contract, Feature, Plan, Subscription
from tenants.context import NotInTenantSchema
from tenants.models import Client
from tests.tracking.conftest import owner  # noqa: F401 - fixture
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(cast):
    with schema_context("public"):
        return {plan.code: plan for plan in plans_ensure()}


def subscribe(user, plan: Plan, **fields) -> Subscription:
    with schema_context("public"):
        tenant = Client.objects.get(schema_name="alpha")
        return Subscription.objects.create(tenant=tenant, user_id=user.pk, plan=plan, **fields)


def test_it_gives_a_seeker_without_a_subscription_the_free_plan(owner, plans) -> None:  # noqa: F811
    plan = plan_for(owner)
    assert (plan.code, plan.source) == ("free", "default")
    assert entitlement_check(user=owner, feature=Feature.MATCH).allowed
    refused = entitlement_check(user=owner, feature=Feature.INTERVIEW)
    assert not refused.allowed
    assert "interview and offer probability" in refused.reason


def test_it_counts_tracked_applications_against_the_free_limit_and_keeps_them_past_it(owner, plans) -> None:  # noqa: F811
    ApplicationFactory.create_batch(FREE_APPLICATION_LIMIT - 1, owner=owner)
    left = entitlement_check(user=owner, feature=Feature.TRACKING)
    assert (left.allowed, left.used, left.remaining) == (True, FREE_APPLICATION_LIMIT - 1, 1)
    ApplicationFactory(owner=owner)
    full = entitlement_check(user=owner, feature=Feature.TRACKING)
    assert (full.allowed, full.remaining) == (False, 0)
    assert str(FREE_APPLICATION_LIMIT) in full.reason
    assert Application.objects.filter(owner=owner).count() == FREE_APPLICATION_LIMIT  # nothing is taken away


def test_it_unlocks_premium_while_the_subscription_grants_and_downgrades_when_cancelled(owner, plans) -> None:  # noqa: F811
    subscription = subscribe(owner, plans["premium-monthly"], status=Subscription.Status.ACTIVE)
    assert plan_for(owner).code == "premium-monthly"
    assert entitlement_check(user=owner, feature=Feature.INTERVIEW).allowed
    assert entitlement_check(user=owner, feature=Feature.TRACKING).remaining is None  # unlimited

    with schema_context("public"):
        Subscription.objects.filter(pk=subscription.pk).update(status=Subscription.Status.PAST_DUE)
    assert plan_for(owner).code == "premium-monthly"  # Stripe is still retrying the payment

    with schema_context("public"):
        Subscription.objects.filter(pk=subscription.pk).update(status=Subscription.Status.CANCELED)
    assert plan_for(owner).code == "free"
    assert not entitlement_check(user=owner, feature=Feature.INTERVIEW).allowed


def test_it_honours_a_staff_grant_until_its_date(owner, plans) -> None:  # noqa: F811
    grant = subscribe(
        owner, plans["premium-yearly"], source=Subscription.Source.STAFF, granted_until=timezone.localdate()
    )
    assert plan_for(owner).source == "staff"
    with schema_context("public"):
        Subscription.objects.filter(pk=grant.pk).update(granted_until=timezone.localdate() - timedelta(days=1))
    assert plan_for(owner).code == "free"


def test_it_gives_enterprise_members_the_features_of_the_contract_in_force(cast, plans) -> None:
    from accounts.models import User

    today = timezone.localdate()
    with schema_context("public"):
        gamma = Client.objects.get(schema_name="gamma")
        Contract.objects.create(
            tenant=gamma,
            seats=10,
            price_per_seat_minor=2500,
            starts_on=today - timedelta(days=400),
            ends_on=today - timedelta(days=35),
            features=[Feature.TRACKING, Feature.INTERVIEW],
        )
    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
        assert plan_for(member).code == "free"  # the only contract has ended
    with schema_context("public"):
        Contract.objects.create(
            tenant=gamma,
            seats=10,
            price_per_seat_minor=2500,
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=335),
            features=[Feature.TRACKING, Feature.INTERVIEW],
        )
    with schema_context("gamma"):
        plan = plan_for(member)
        assert plan.source == "contract"
        assert entitlement_check(user=member, feature=Feature.INTERVIEW, plan=plan).allowed
        assert not entitlement_check(user=member, feature=Feature.SALARY_RANGE, plan=plan).allowed


def test_it_refuses_to_answer_outside_a_tenant(cast, plans) -> None:
    with schema_context("public"), pytest.raises(NotInTenantSchema):
        plan_for(None)


def test_it_creates_the_catalogue_once_and_keeps_what_staff_changed(cast) -> None:
    with schema_context("public"):
        plans_ensure()
        Plan.objects.filter(code="premium-monthly").update(price_minor=2100, stripe_price_id="price_123")
        plans_ensure()
        plan = Plan.objects.get(code="premium-monthly")
        assert (plan.price_minor, plan.stripe_price_id) == (2100, "price_123")
        assert Plan.objects.count() == 5
        assert plan.name_de != plan.name_en  # stored in every language
