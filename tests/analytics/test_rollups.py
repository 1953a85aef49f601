"""The event rollups (analytics/rollups.py) on committed data: they equal a recount from the events after any number
of advances, never skip an event whose transaction commits late, and count nothing twice when an advance dies."""

from __future__ import annotations

import io
import random
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.models import EventRollup, RollupCursor
from analytics.rollups import rollups_advance, rollups_rebuild
from analytics.tasks import rollups_advance_task
from cvplus.celery import app
from tenants.models import Client
from tests.conftest import wait_until
from tracking.models import DomainEvent

KINDS = [kind for kind, _label in DomainEvent.Kind.choices]


@pytest.fixture
def alpha(committed):
    tenant = Client.objects.get(schema_name="alpha")
    with schema_context("alpha"):
        before = set(DomainEvent.objects.values_list("id", flat=True))
    yield tenant
    with schema_context("alpha"):
        DomainEvent.objects.exclude(id__in=before).delete()
    EventRollup.objects.filter(tenant=tenant).delete()
    RollupCursor.objects.filter(tenant=tenant).delete()


def _history(rng: random.Random, events: int) -> None:
    now = timezone.now()
    with schema_context("alpha"):
        for _ in range(events):
            DomainEvent.objects.create(
                kind=rng.choice(KINDS),
                occurred_at=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 10)),
                actor_id=rng.randrange(1, 50),
                subject_id=rng.randrange(1, 500),
            )


def _recount() -> Counter:
    with schema_context("alpha"):
        return Counter(
            (kind, at.replace(minute=0, second=0, microsecond=0))
            for kind, at in DomainEvent.objects.values_list("kind", "occurred_at")
        )


def _rollups(tenant: Client) -> Counter:
    return Counter(
        {(kind, hour): count for kind, hour, count in tenant.event_rollups.values_list("kind", "hour", "count")}
    )


def test_rollups_equal_a_recount_from_the_events_after_each_advance(alpha) -> None:
    rng = random.Random(14)
    for batch in (300, 1, 120):
        _history(rng, batch)
        rollups_advance(alpha)
        assert _rollups(alpha) == _recount()
    assert rollups_advance(alpha) == 0  # nothing new: nothing written

    rollups_rebuild(alpha)
    assert _rollups(alpha) == _recount()


def test_an_event_whose_transaction_commits_late_is_counted_once_and_never_skipped(alpha) -> None:
    _history(random.Random(15), 20)
    rollups_advance(alpha)
    inserted, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with schema_context("alpha"), transaction.atomic():
                DomainEvent.objects.create(kind=DomainEvent.Kind.CV_PARSED, occurred_at=timezone.now())
                inserted.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(timeout=30)
    _history(random.Random(16), 5)  # committed after the slow one began: higher transaction ids

    rollups_advance(alpha)
    counted_while_open = sum(_rollups(alpha).values())
    release.set()
    writer.join(timeout=30)
    rollups_advance(alpha)

    assert counted_while_open == 20  # held back behind the open transaction, none counted early
    assert _rollups(alpha) == _recount()  # all 26, each once
    assert sum(_rollups(alpha).values()) == 26


def test_an_advance_that_dies_midway_changes_nothing_and_the_next_counts_once(alpha, monkeypatch) -> None:
    _history(random.Random(17), 40)
    rollups_advance(alpha)
    _history(random.Random(18), 15)

    def dies(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(RollupCursor, "save", dies)
    with pytest.raises(RuntimeError):
        rollups_advance(alpha)
    assert sum(_rollups(alpha).values()) == 40

    monkeypatch.undo()
    rollups_advance(alpha)
    assert _rollups(alpha) == _recount()
    assert sum(_rollups(alpha).values()) == 55


def test_the_beat_dispatches_the_advance_and_a_real_worker_runs_it_in_each_tenant(alpha, celery_worker) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["advance-event-rollups-in-every-tenant"]
    assert entry["args"] == (rollups_advance_task.name,)
    assert rollups_advance_task.name in app.tasks
    _history(random.Random(19), 12)
    expected = _recount()

    rollups_advance_task.apply_async(headers={"_schema_name": "alpha"})

    assert wait_until(lambda: _rollups(alpha) == expected, timeout_s=30)


def test_the_rebuild_command_recounts_a_tenant_and_names_an_unknown_schema(alpha) -> None:
    _history(random.Random(20), 30)
    rollups_advance(alpha)
    EventRollup.objects.filter(tenant=alpha).update(count=999)  # damaged
    out = io.StringIO()

    call_command("analytics_rollups_rebuild", "alpha", stdout=out)

    assert _rollups(alpha) == _recount()
    assert out.getvalue().startswith("alpha: ")
    with pytest.raises(CommandError, match="no_such_tenant"):
        call_command("analytics_rollups_rebuild", "no_such_tenant")
