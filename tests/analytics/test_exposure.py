"""`experiment_variant`: deterministic by hash over "<schema>:<user id>", None outside a running experiment or its
population, and the first exposure written exactly once (one row in public, one "experiment.exposed" domain event in
the person's own schema), even when two requests ask at the same moment."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.experiments.assignment import variant_for
from analytics.experiments.exposure import EXPOSED_KIND, experiment_variant, exposures_forget
from analytics.models import Experiment, Exposure
from tests.analytics.experiment_support import caches_clear, experiment_make, fresh_caches, person  # noqa: F401
from tests.billing.grants import plan_grant
from tracking.models import DomainEvent

KEY = "button-colour"


def _exposed_events(schema: str) -> list[dict]:
    with schema_context(schema):
        return list(DomainEvent.objects.filter(kind=EXPOSED_KIND).values("actor_id", "subject_id", "payload"))


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_caches")
class TestAssignment:
    def test_it_gives_the_hashed_variant_every_time_and_records_one_exposure(self, cast) -> None:
        experiment = experiment_make(KEY)
        owner = person("alpha", cast.owner_email)
        expected = variant_for(KEY, f"alpha:{owner.pk}", [("control", 50), ("treatment", 50)])

        with schema_context("alpha"):
            answers = [experiment_variant(KEY, tenant=cast.tenant_a, user=owner) for _ in range(3)]

        assert answers == [expected] * 3
        [exposure] = Exposure.objects.filter(experiment=experiment)
        assert (exposure.tenant_id, exposure.user_id, exposure.variant, exposure.simulated) == (
            cast.tenant_a.pk,
            owner.pk,
            expected,
            False,
        )
        assert _exposed_events("alpha") == [
            {
                "actor_id": owner.pk,
                "subject_id": experiment.pk,
                "payload": {"experiment": KEY, "variant": expected, "simulated": False},
            }
        ]

    def test_it_records_nothing_twice_when_the_process_has_forgotten_what_it_saw(self, cast) -> None:
        experiment_make(KEY)
        owner = person("alpha", cast.owner_email)
        with schema_context("alpha"):
            first = experiment_variant(KEY, tenant=cast.tenant_a, user=owner)
            caches_clear()  # another process, or this one after a restart
            second = experiment_variant(KEY, tenant=cast.tenant_a, user=owner)
        assert first == second
        assert Exposure.objects.count() == 1
        assert len(_exposed_events("alpha")) == 1

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Experiment.Status.DRAFT},
            {"status": Experiment.Status.STOPPED},
            {"starts_days_ago": -1},  # starts tomorrow
            {"stops_at": timezone.now() - timedelta(hours=1)},
            {"population": Experiment.Population.ENTERPRISE},  # alpha is a consumer site
            {"population": Experiment.Population.PREMIUM},  # the owner has the free plan here
            {"population": Experiment.Population.TENANTS},  # no tenant listed
        ],
    )
    def test_it_answers_none_and_records_nothing_outside_a_running_experiment_or_its_population(
        self, cast, fields
    ) -> None:
        experiment_make(KEY, **fields)
        owner = person("alpha", cast.owner_email)
        with schema_context("alpha"):
            assert experiment_variant(KEY, tenant=cast.tenant_a, user=owner) is None
            assert experiment_variant(KEY, tenant=cast.tenant_a, user=AnonymousUser()) is None
            assert experiment_variant("no-such-experiment", tenant=cast.tenant_a, user=owner) is None
        assert not Exposure.objects.exists()
        assert _exposed_events("alpha") == []

    def test_it_includes_premium_seekers_and_listed_tenants(self, cast) -> None:
        premium = experiment_make("premium-only", population=Experiment.Population.PREMIUM)
        listed = experiment_make("beta-only", population=Experiment.Population.TENANTS)
        listed.tenants.add(cast.tenant_b)
        caches_clear()
        plan_grant(schema="alpha", email=cast.owner_email)
        owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
        stranger = person("beta", cast.stranger_email)

        with schema_context("alpha"):
            assert experiment_variant(premium.key, tenant=cast.tenant_a, user=owner) is not None
            assert experiment_variant(premium.key, tenant=cast.tenant_a, user=member) is None
            assert experiment_variant(listed.key, tenant=cast.tenant_a, user=owner) is None
        with schema_context("beta"):
            assert experiment_variant(listed.key, tenant=cast.tenant_b, user=stranger) is not None

    def test_it_refuses_to_record_in_another_tenants_schema(self, cast) -> None:
        experiment_make(KEY)
        stranger = person("beta", cast.stranger_email)
        with schema_context("alpha"), pytest.raises(RuntimeError, match="tenant's own schema"):
            experiment_variant(KEY, tenant=cast.tenant_b, user=stranger)
        assert not Exposure.objects.exists()
        assert _exposed_events("alpha") == []
        assert _exposed_events("beta") == []


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_caches")
def test_the_same_user_id_in_two_tenants_is_two_people_each_event_in_its_own_schema(cast) -> None:
    experiment = experiment_make(KEY)
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        experiment_variant(KEY, tenant=cast.tenant_a, user=owner)
    with schema_context("beta"):
        # A person of beta with the owner's id: ids repeat between schemas, people do not.
        stand_in = person("beta", cast.stranger_email)
        stand_in.pk = owner.pk
        experiment_variant(KEY, tenant=cast.tenant_b, user=stand_in)

    rows = sorted(Exposure.objects.filter(experiment=experiment).values_list("tenant__schema_name", "user_id"))
    assert rows == [("alpha", owner.pk), ("beta", owner.pk)]
    assert len(_exposed_events("alpha")) == 1
    assert len(_exposed_events("beta")) == 1

    assert exposures_forget(tenant=cast.tenant_b, user_id=owner.pk) == 1  # erasing beta's person leaves alpha's
    assert list(Exposure.objects.values_list("tenant__schema_name", flat=True)) == ["alpha"]


@pytest.fixture
def committed_experiment(committed, cast):
    caches_clear()
    experiment = experiment_make("concurrent-check")
    with schema_context("alpha"):
        before = set(DomainEvent.objects.values_list("pk", flat=True))
    yield experiment
    with schema_context("alpha"):
        DomainEvent.objects.exclude(pk__in=before).delete()
    experiment.delete()
    caches_clear()


def test_two_requests_at_the_same_moment_write_one_exposure_and_one_event(cast, committed_experiment) -> None:
    owner = person("alpha", cast.owner_email)
    first_inserted, answers, errors = threading.Event(), {}, []

    def first_request() -> None:
        try:
            with schema_context("alpha"), transaction.atomic():
                answers["first"] = experiment_variant("concurrent-check", tenant=cast.tenant_a, user=owner)
                first_inserted.set()
                time.sleep(0.5)  # the second request's INSERT waits on this uncommitted row meanwhile
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def second_request() -> None:
        try:
            first_inserted.wait(5)
            with schema_context("alpha"):
                answers["second"] = experiment_variant("concurrent-check", tenant=cast.tenant_a, user=owner)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_request), threading.Thread(target=second_request)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert errors == []
    assert answers["first"] == answers["second"]
    assert Exposure.objects.filter(experiment=committed_experiment).count() == 1
    assert len(_exposed_events("alpha")) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_caches")
def test_erasing_a_person_deletes_their_exposures_and_anonymises_the_event(cast) -> None:
    from privacy.erasure import user_data_erase

    experiment_make(KEY)
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        experiment_variant(KEY, tenant=cast.tenant_a, user=owner)
        counts = user_data_erase(user=owner)

    assert counts["experiment_exposures"] == 1
    assert not Exposure.objects.exists()
    assert [event["actor_id"] for event in _exposed_events("alpha")] == [None]
