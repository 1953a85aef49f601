# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The plan lookup cached in Redis (billing/plan_cache.py): a second request asks PostgreSQL nothing, and every way a
plan changes (upgrade, downgrade, cancellation by a Stripe-style save or a bulk update, a plan's features edited, an
enterprise contract ended, a staff grant removed) is seen by the very next request; entries are per tenant; with Redis
unreachable the plan is read from PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone

from billing import plan_cache
from billing import redis_client as billing_redis
from billing.entitlements import plan_for
from billing.models import Contract, Feature, Plan, Subscription
from tests.billing.grants import plan_grant
from tests.conftest import login
from tests.predictions.api.test_api import SALARY
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _redis_reachable_again() -> None:
    yield
    billing_redis._down_until.clear()


def plan_in(tenant, user):
    """plan_for as a request in `tenant` asks it (the request carries the tenant's row)."""
    connection.set_tenant(tenant)
    try:
        return plan_for(user)
    finally:
        connection.set_schema_to_public()


def test_a_second_lookup_asks_postgresql_nothing(cast, owner, django_assert_num_queries) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    first = plan_in(cast.tenant_a, owner)
    connection.set_tenant(cast.tenant_a)
    with django_assert_num_queries(0):
        again = plan_for(owner)
    connection.set_schema_to_public()
    assert again == first
    assert first.code == "premium-yearly"


def test_an_upgrade_and_a_downgrade_show_on_the_next_lookup(cast, owner) -> None:
    assert plan_in(cast.tenant_a, owner).code == "free"
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")
    assert plan_in(cast.tenant_a, owner).code == "free"


def test_a_cancellation_saved_like_a_stripe_webhook_ends_premium_at_once(cast, owner) -> None:
    subscription = plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-monthly")
    assert Feature.SALARY_RANGE in plan_in(cast.tenant_a, owner).features
    subscription.source = Subscription.Source.STRIPE
    subscription.status = Subscription.Status.CANCELED
    subscription.save()
    assert plan_in(cast.tenant_a, owner).code == "free"


def test_a_bulk_update_and_a_delete_are_seen_too(cast, owner) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"
    Subscription.objects.filter(user_id=owner.pk, tenant=cast.tenant_a).update(
        source=Subscription.Source.STRIPE, status=Subscription.Status.CANCELED
    )
    assert plan_in(cast.tenant_a, owner).code == "free"

    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"
    Subscription.objects.filter(user_id=owner.pk, tenant=cast.tenant_a).delete()  # e.g. staff in admin
    assert plan_in(cast.tenant_a, owner).code == "free"


def test_a_plans_features_edited_in_admin_show_at_once(cast, owner) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    assert Feature.INTERVIEW in plan_in(cast.tenant_a, owner).features
    plan = Plan.objects.get(code="premium-yearly")
    plan.features = [feature for feature in plan.features if feature != Feature.INTERVIEW]
    plan.save()
    assert Feature.INTERVIEW not in plan_in(cast.tenant_a, owner).features


def test_an_enterprise_contract_created_and_ended_shows_at_once(cast) -> None:
    from django_tenants.utils import schema_context

    from accounts.models import User

    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
    assert plan_in(cast.enterprise, member).source == "default"
    today = timezone.localdate()
    contract = Contract.objects.create(
        tenant=cast.enterprise,
        seats=10,
        price_per_seat_minor=1000,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        features=[Feature.TRACKING, Feature.INTERVIEW],
    )
    assert plan_in(cast.enterprise, member).source == "contract"
    contract.ends_on = today - timedelta(days=1)
    contract.save()
    assert plan_in(cast.enterprise, member).source == "default"


def test_entries_are_per_tenant(cast, owner) -> None:
    from django_tenants.utils import schema_context

    from accounts.models import User

    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"

    class SameId:  # the owner's id, as a user of tenant B (ids repeat across schemas)
        pk = owner.pk
        is_authenticated = True

    assert plan_in(cast.tenant_b, SameId()).code == "free"  # the subscription is tenant A's
    assert plan_in(cast.tenant_b, stranger).code == "free"
    plan_grant(schema="beta", email=cast.stranger_email, plan_code="premium-monthly")
    assert plan_in(cast.tenant_b, stranger).code == "premium-monthly"
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"


def test_with_redis_unreachable_the_plan_is_read_from_postgresql(cast, owner, monkeypatch) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(plan_cache, "redis_client", lambda: unreachable)
    assert plan_in(cast.tenant_a, owner).code == "premium-yearly"
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")
    assert plan_in(cast.tenant_a, owner).code == "free"


def test_a_cancelled_premium_user_gets_the_basic_salary_on_the_next_request(
    cast, owner, owner_client, salary_champion
) -> None:
    subscription = plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    ranged = owner_client.post("/api/v1/predictions/salary", SALARY, content_type="application/json")
    assert ranged.status_code == 200
    assert "basic" not in ranged.json()

    Subscription.objects.filter(pk=subscription.pk).update(
        source=Subscription.Source.STRIPE, status=Subscription.Status.CANCELED
    )
    basic = owner_client.post("/api/v1/predictions/salary", SALARY, content_type="application/json")
    assert basic.status_code == 200
    assert basic.json()["basic"] is True

    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")  # upgrade again
    assert (
        "basic" not in owner_client.post("/api/v1/predictions/salary", SALARY, content_type="application/json").json()
    )


def test_the_plan_name_follows_the_request_language(cast, client_b, owner) -> None:
    """The cached answer carries the plan's translated name: one entry per language."""
    from django.utils import translation

    login(client_b, cast.stranger_email)
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="premium-yearly")
    names = {}
    for language in ("en", "fr", "en"):
        with translation.override(language):
            names.setdefault(language, set()).add(plan_in(cast.tenant_a, owner).name)
            expected = str(Plan.objects.get(code="premium-yearly").name)
        assert names[language] == {expected}
