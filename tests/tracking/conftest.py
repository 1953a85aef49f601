"""Fixtures shared by the tracking tests: the owner (tenant A's first user) and a client signed in as them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
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


@pytest.fixture
def countries(db) -> dict[str, str]:
    """The CLDR countries and currencies loaded as `make run` loads them (rolled back with the test); returns
    ISO2 -> currency as the reference file itself says."""
    call_command("load_reference_data", "--only", "cldr_countries", verbosity=0)
    path = Path(settings.BASE_DIR) / "data" / "reference" / "cldr_countries" / "countries.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["iso2"]: row["currency"] for row in csv.DictReader(handle)}
