"""Plans for test users, granted the way staff grant them (a Subscription with source "staff"), so tests written
before billing existed keep seeing every feature, and billing tests can move a user between plans."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from billing import services
from billing.catalogue import plans_ensure
from billing.models import Subscription


def plan_grant(*, schema: str, email: str, plan_code: str = "premium-yearly") -> Subscription:
    """Gives the user of ``schema`` with ``email`` the plan, open-ended, replacing any subscription they have."""
    with schema_context(schema):
        user_id = User.objects.get(email=email).pk
    with schema_context("public"):
        plans_ensure()
    return services.plan_grant(schema=schema, user_id=user_id, plan_code=plan_code)


def cast_premium_grant(cast) -> None:
    """Premium for the owner and member in tenant A and the stranger in tenant B."""
    for schema, email in (("alpha", cast.owner_email), ("alpha", cast.member_email), ("beta", cast.stranger_email)):
        plan_grant(schema=schema, email=email)


@pytest.fixture
def cast_premium(request: pytest.FixtureRequest) -> None:
    """For an autouse fixture in a conftest: premium for the cast in tests that use the cast and run in the per-test
    transaction (the grant is rolled back with it). Tests without the cast (creating it here would put the session's
    cast inside one test's transaction), without database access, or on committed data are left alone."""
    uses_db = request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    if not uses_db or "cast" not in request.fixturenames or "committed" in request.fixturenames:
        return
    request.getfixturevalue("db")
    cast_premium_grant(request.getfixturevalue("cast"))
