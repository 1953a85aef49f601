"""Fixtures shared by the tracking tests: the owner (tenant A's first user) and a client signed in as them."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tests.billing.grants import cast_premium  # noqa: F401 - fixture
from tests.conftest import login


@pytest.fixture(autouse=True)
def _premium_for_the_cast(cast_premium) -> None:  # noqa: F811
    """The tracking tests predate billing and track more than the free plan's limit: their users get premium (the
    limit itself is tested in tests/billing/test_gating.py)."""


@pytest.fixture
def owner(cast):
    """The owner, with the connection on tenant A's schema for the whole test."""
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


@pytest.fixture
def member(cast) -> User:
    with schema_context("alpha"):
        return User.objects.get(email=cast.member_email)


@pytest.fixture
def owner_client(cast, client_a):
    login(client_a, cast.owner_email)
    return client_a
