"""The demo's simulated past sign-ups (analytics/demo_signups.py): spread over the last 26 weeks, never in the
future, labelled simulated, people who cannot sign in, written once; and they reach the staff dashboard's cohorts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.demo_signups import WEEKS, demo_signups_ensure
from tracking.models import DomainEvent

pytestmark = pytest.mark.django_db


def test_it_adds_simulated_seekers_over_the_last_weeks_once(cast) -> None:
    now = timezone.now()
    with schema_context("alpha"):
        before = set(User.objects.values_list("pk", flat=True))

    added = demo_signups_ensure(schema="alpha", now=now)

    with schema_context("alpha"):
        people = list(User.objects.exclude(pk__in=before))
        events = {
            event.actor_id: event
            for event in DomainEvent.objects.filter(kind=DomainEvent.Kind.USER_SIGNED_UP, payload__simulated=True)
        }
        assert demo_signups_ensure(schema="alpha", now=now) == 0
        assert User.objects.count() == len(before) + added
    assert added == len(people) >= WEEKS  # at least one a week
    assert set(events) == {person.pk for person in people}
    assert all(not person.has_usable_password() for person in people)
    assert len({person.email for person in people}) == added
    assert len({person.full_name for person in people}) == added  # no two strangers share a name
    joined = [person.date_joined for person in people]
    assert all(now - timedelta(weeks=WEEKS) <= at < now for at in joined)
    assert max(joined) > now - timedelta(days=8)  # the current week has sign-ups too
    assert all(events[person.pk].occurred_at == person.date_joined for person in people)
