"""The demo's simulated past activity (analytics/demo_activity.py): labelled simulated, within each person's time in
the product, a day of work behind each move, and written once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.demo_activity import demo_activity_ensure
from tests.tracking.test_views import make_application
from tracking.models import DomainEvent, Stage

pytestmark = pytest.mark.django_db


def test_it_writes_simulated_visits_and_a_day_of_work_per_move_once(owner) -> None:
    now = timezone.now()
    with schema_context("alpha"):
        User.objects.update(date_joined=now - timedelta(days=90))
    make_application(owner, stage=Stage.INTERVIEWING, days_ago=20)

    written = demo_activity_ensure(schema="alpha", schema_kind="consumer", now=now)

    with schema_context("alpha"):
        events = list(DomainEvent.objects.filter(payload__simulated=True))
        people = set(User.objects.values_list("pk", flat=True))
    assert written == len(events) > 0
    assert {event.actor_id for event in events} <= people
    assert all(now - timedelta(days=91) <= event.occurred_at <= now for event in events)
    kinds = {(event.kind, event.payload["key"]) for event in events if event.actor_id == owner.pk}
    assert {("page.viewed", "application"), ("prediction.served", "salary")} <= kinds  # the days it moved
    served = [event.payload["value"] for event in events if event.kind == DomainEvent.Kind.PREDICTION_SERVED]
    assert all(0 < value < 500 for value in served)
    assert demo_activity_ensure(schema="alpha", schema_kind="consumer", now=now) == 0
