"""Erasure reaches the analytics rollups that name people by user id (rollups_people_forget): a person's
account erasure deletes their active days, sign-up cohort, activity and weeks and takes them out of the daily active
users, leaving exactly what a rebuild from their anonymised events gives; a tenant's erasure deletes all of its
people's rows and no other tenant's. Counts of events (hourly and daily rollups) stay: they name nobody."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django_tenants.utils import schema_context

from analytics.models import ActiveDay, ActiveWeek, DailyActiveUsers, SignupCohort, UserActivity
from analytics.rollups import rollups_people_forget, rollups_rebuild
from privacy.erasure import domain_events_forget
from tenants.models import Client
from tests.analytics.test_rollups import (  # noqa: F401 - `alpha` is a fixture
    PEOPLE_TABLES,
    _history,
    _recount_everything,
    _rollups_everything,
    _settle,
    alpha,
)
from tracking.models import DomainEvent

PEOPLE_MODELS = (ActiveDay, SignupCohort, DailyActiveUsers, UserActivity, ActiveWeek)
PERSONAL_MODELS = (ActiveDay, SignupCohort, UserActivity, ActiveWeek)  # a row per person


def _busiest_signed_up_actor() -> int:
    """A person who signed up and was active on several days (so erasing them changes every people table)."""
    with schema_context("alpha"):
        signed_up = set(
            DomainEvent.objects.filter(
                kind__in=[DomainEvent.Kind.USER_SIGNED_UP, DomainEvent.Kind.MEMBER_JOINED], actor_id__isnull=False
            ).values_list("actor_id", flat=True)
        )
        days: dict[int, set[date]] = {}
        for actor, at in DomainEvent.objects.filter(actor_id__in=signed_up).values_list("actor_id", "occurred_at"):
            days.setdefault(actor, set()).add(at.date())
    return max(days, key=lambda actor: (len(days[actor]), actor))


def test_it_forgets_a_person_as_a_rebuild_from_their_anonymised_events_would(alpha) -> None:  # noqa: F811
    _history(random.Random(2101), 500, span_days=70)
    _settle(alpha)
    person = _busiest_signed_up_actor()
    before = _rollups_everything(alpha)
    assert any(user == person for user, _day in before["active"])

    with schema_context("alpha"):
        domain_events_forget(actor_id=person)  # what an account erasure does to their events
    forgotten = rollups_people_forget(tenant=alpha, user_id=person)

    after = _rollups_everything(alpha)
    assert after == _recount_everything()  # the events now name nobody for those days
    assert forgotten >= 3  # their days (daily counts lowered), cohort, activity, weeks
    assert not [model for model in PERSONAL_MODELS if model.objects.filter(tenant=alpha, user_id=person).exists()]
    assert sum(after["daily_users"].values()) == sum(before["daily_users"].values()) - len(
        [1 for user, _day in before["active"] if user == person]
    )
    assert after["hourly"] == before["hourly"]  # counts of events stay
    rollups_rebuild(alpha)
    _settle(alpha)
    assert _rollups_everything(alpha) == after


def test_it_forgets_every_person_of_an_erased_tenant_and_nobody_else(alpha) -> None:  # noqa: F811
    beta = Client.objects.get(schema_name="beta")
    other = [model(tenant=beta, user_id=7, day=date(2025, 3, 3)) for model in (ActiveDay, SignupCohort)]
    ActiveDay.objects.bulk_create(other[:1])
    SignupCohort.objects.bulk_create(other[1:])
    try:
        _history(random.Random(2102), 200, span_days=30)
        _settle(alpha)
        assert all(table.exists() for table in PEOPLE_TABLES(alpha))
        events_counted = alpha.event_rollups.count()

        forgotten = rollups_people_forget(tenant=alpha)

        assert forgotten > 0
        assert not [table for table in PEOPLE_TABLES(alpha) if table.exists()]
        assert alpha.event_rollups.count() == events_counted
        assert ActiveDay.objects.filter(tenant=beta, user_id=7).exists()
        assert SignupCohort.objects.filter(tenant=beta, user_id=7).exists()
    finally:
        for model in PEOPLE_MODELS:
            model.objects.filter(tenant=beta).delete()


@pytest.mark.django_db
def test_an_account_erasure_takes_the_person_out_of_the_rollups(cast) -> None:
    from privacy.erasure import user_data_erase

    tenant = Client.objects.get(schema_name="alpha")
    with schema_context("alpha"):
        from accounts.models import User

        owner = User.objects.get(email=cast.owner_email)
    stranger = 10_000_000 + owner.pk
    for user_id in (owner.pk, stranger):
        ActiveDay.objects.create(tenant=tenant, user_id=user_id, day=date(2025, 3, 3))
        SignupCohort.objects.create(tenant=tenant, user_id=user_id, day=date(2025, 3, 3))
        UserActivity.objects.create(
            tenant=tenant, user_id=user_id, first_day=date(2025, 3, 3), last_day=date(2025, 3, 3)
        )
        ActiveWeek.objects.create(tenant=tenant, user_id=user_id, week=date(2025, 3, 3))
    DailyActiveUsers.objects.create(tenant=tenant, day=date(2025, 3, 3), users=2)

    with schema_context("alpha"):
        counts = user_data_erase(user=owner)

    assert counts["analytics_people_rows"] == 4
    assert not [
        model for model in PEOPLE_MODELS[:2] + PEOPLE_MODELS[3:] if model.objects.filter(user_id=owner.pk).exists()
    ]
    assert DailyActiveUsers.objects.get(tenant=tenant, day=date(2025, 3, 3)).users == 1
    assert all(model.objects.filter(user_id=stranger).exists() for model in (ActiveDay, SignupCohort, UserActivity))
