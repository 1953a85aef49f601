"""What the experiment and flag tests share: forgetting the per-process caches around each test (a rolled-back row
sends no signal), the cast's people in their schemas, and experiments made as staff would make them.

Import the fixtures into a test module by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.experiments.definitions import experiments_cache_clear
from analytics.experiments.exposure import exposures_memo_clear
from analytics.flags import flags_cache_clear
from analytics.models import Experiment
from tests.accounts.factories import StaffUserFactory
from tests.conftest import PASSWORD, PUBLIC_HOST

STAFF_EMAIL = "nadia.experiments@cvplus.example"


def caches_clear() -> None:
    experiments_cache_clear()
    flags_cache_clear()
    exposures_memo_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    caches_clear()
    yield
    caches_clear()


def experiment_make(
    key: str = "button-colour",
    *,
    variants: list | None = None,
    metric: str = "acted-7d",
    population: str = Experiment.Population.EVERYONE,
    status: str = Experiment.Status.RUNNING,
    starts_days_ago: float = 30,
    **fields,
) -> Experiment:
    experiment = Experiment.objects.create(
        key=key,
        name=key.replace("-", " ").capitalize(),
        variants=variants or [["control", 50], ["treatment", 50]],
        metric=metric,
        population=population,
        status=status,
        starts_at=timezone.now() - timedelta(days=starts_days_ago),
        **fields,
    )
    experiments_cache_clear()
    return experiment


def person(schema: str, email: str) -> User:
    with schema_context(schema):
        return User.objects.get(email=email)


def staff_client_make():
    """A client on the public host, signed in as a staff member (needs the cast)."""
    from django.test import Client as HttpClient

    StaffUserFactory(email=STAFF_EMAIL, full_name="Nadia Experiments")
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert client.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD}).status_code == 302
    return client


def field_error(page: str, field: str) -> str:
    """The markup of `field`'s form row in a Django admin page when that row shows an error, else ""."""
    row = re.search(rf'<div class="form-row[^"]*\berrors\b[^"]*\bfield-{field}\b.*?</div>\s*</div>', page, re.S)
    return row.group(0).replace("&#x27;", "'") if row else ""
