"""The daily refresh of a tenant's own models: nothing is trained below the minimum, a tenant with enough applied ->
offer durations gets its own time-to-hire champion in its own schema, and a recent version is not retrained."""

from __future__ import annotations

import numpy as np
import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from predictions.models import ModelVersion
from predictions.registry import model_cache_clear
from predictions.tasks import tenant_models_refresh
from predictions.time_to_hire.tenant import MIN_TENANT_DURATIONS
from tenants.context import NotInTenantSchema
from tests.predictions.time_to_hire.test_time_to_hire import offer_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(cast, db):
    model_cache_clear()
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)
    model_cache_clear()


def test_it_trains_nothing_below_the_minimum(owner) -> None:
    offer_after(owner, days=12)
    assert tenant_models_refresh() == {"interview": "not enough data", "time_to_hire": "not enough data"}
    assert not ModelVersion.objects.filter(scope="tenant").exists()


def test_it_trains_and_promotes_the_tenants_own_model_once_it_has_enough_then_waits_a_week(owner) -> None:
    rng = np.random.default_rng(5)
    for _ in range(MIN_TENANT_DURATIONS + 10):
        offer_after(owner, days=float(rng.uniform(5, 40)))

    first = tenant_models_refresh()

    assert first["interview"] == "not enough data"  # 40 offers are not 200 labelled interview outcomes
    assert first["time_to_hire"] == "v1 promoted"
    champion = ModelVersion.objects.get(kind="time_to_hire", scope="tenant")
    assert champion.status == ModelVersion.Status.CHAMPION
    with schema_context("beta"):
        assert not ModelVersion.objects.filter(scope="tenant").exists()  # trained in alpha's schema only
    assert tenant_models_refresh()["time_to_hire"] == "v1 is recent"


def test_it_refuses_to_run_in_the_public_schema(cast) -> None:
    with schema_context("public"), pytest.raises(NotInTenantSchema):
        tenant_models_refresh()
