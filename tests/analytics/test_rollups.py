"""The event rollups (analytics/rollups.py) on committed data: they equal a recount from the events after any number
of advances, never skip an event whose transaction commits late, and count nothing twice when an advance dies."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.models import EventRollup, RollupCursor, SignupCohort
from analytics.rollups import people_rollup_rows, rollups_advance, rollups_forget, rollups_pending, rollups_rebuild
from analytics.tasks import rollups_advance_task
from cvplus.celery import app
from tenants.models import Client
from tests.conftest import wait_until
from tracking.models import DomainEvent

KINDS = [kind for kind, _label in DomainEvent.Kind.choices]


PEOPLE_TABLES = people_rollup_rows  # every rollup that names people by user id


@pytest.fixture
def alpha(committed):
    tenant = Client.objects.get(schema_name="alpha")
    with schema_context("alpha"):
        before = set(DomainEvent.objects.values_list("id", flat=True))
    tenant.preexisting = len(before)  # events other modules' committed tests left here: counted by a first advance

    def counts_forgotten() -> None:
        rollups_forget(tenant)

    counts_forgotten()  # whatever another module counted: this test's first advance counts every event from 0
    yield tenant
    with schema_context("alpha"):
        DomainEvent.objects.exclude(id__in=before).delete()
    counts_forgotten()


def _payload(rng: random.Random, kind: str) -> dict:
    if kind == DomainEvent.Kind.STAGE_CHANGED:
        return {"from": "applied", "to": rng.choice(["screening", "interviewing", "offer", "rejected"])}
    if kind == DomainEvent.Kind.APPLICATION_CREATED:
        return {"stage": rng.choice(["saved", "applied"]), "channel": "referral"}
    if kind in (DomainEvent.Kind.PREDICTION_SERVED, DomainEvent.Kind.PAGE_VIEWED, DomainEvent.Kind.API_METERED):
        return {"key": rng.choice(["salary", "board", "match"]), "value": rng.choice([1, 2.5, 40, "not a number"])}
    return {}


def _history(rng: random.Random, events: int, *, span_days: int = 10) -> None:
    now = timezone.now()
    with schema_context("alpha"):
        for _ in range(events):
            kind = rng.choice(KINDS)
            DomainEvent.objects.create(
                kind=kind,
                occurred_at=now - timedelta(minutes=rng.randrange(0, 60 * 24 * span_days)),
                actor_id=rng.choice([None, *range(1, 50)]),
                subject_id=rng.randrange(1, 500),
                payload=_payload(rng, kind),
            )


def _key(kind: str, payload: dict) -> str:
    if kind == DomainEvent.Kind.STAGE_CHANGED:
        return payload["to"]
    if kind == DomainEvent.Kind.APPLICATION_CREATED:
        return payload["stage"]
    return payload.get("key", "")


def _value(payload: dict) -> float:
    value = payload.get("value")
    return float(value) if isinstance(value, int | float) else 0.0


def _recount_everything() -> dict:
    """Every rollup table, recomputed in Python from the events."""
    hourly, daily, totals, active, signups = Counter(), Counter(), Counter(), set(), {}
    with schema_context("alpha"):
        for kind, at, actor, payload in DomainEvent.objects.values_list("kind", "occurred_at", "actor_id", "payload"):
            key = _key(kind, payload)
            hourly[(kind, key, at.replace(minute=0, second=0, microsecond=0))] += 1
            daily[(kind, key, at.date())] += 1
            totals[(kind, key, at.date())] += _value(payload)
            if actor is not None:
                active.add((actor, at.date()))
                if kind in (DomainEvent.Kind.USER_SIGNED_UP, DomainEvent.Kind.MEMBER_JOINED):
                    signups[actor] = min(signups.get(actor, at.date()), at.date())
    return {
        "hourly": hourly,
        "daily": daily,
        "totals": {k: round(v, 6) for k, v in totals.items()},
        "active": active,
        "signups": signups,
        **_people_recount(active, signups),
    }


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _people_recount(active: set, signups: dict) -> dict:
    """The people rollups from the active (user, day) pairs and sign-up days: distinct users per day, each user's
    first and last day, their ISO weeks, and each cohort member's weeks +1 … +8 as bits."""
    daily_users = Counter(day for _user, day in active)
    days_of: dict[int, list[date]] = {}
    for user, day in active:
        days_of.setdefault(user, []).append(day)
    weeks = {(user, _monday(day)) for user, day in active}
    retained = {}
    for user, signed_up in signups.items():
        mask = 0
        for week_user, week in weeks:
            offset = (week - _monday(signed_up)).days // 7
            if week_user == user and 1 <= offset <= SignupCohort.RETAINED_WEEKS:
                mask |= 1 << (offset - 1)
        retained[user] = mask
    return {
        "daily_users": daily_users,
        "first_last": {user: (min(days), max(days)) for user, days in days_of.items()},
        "weeks": weeks,
        "retained": retained,
    }


def _rollups_everything(tenant: Client) -> dict:
    return {
        "hourly": Counter(
            {(k, key, h): c for k, key, h, c in tenant.event_rollups.values_list("kind", "key", "hour", "count")}
        ),
        "daily": Counter(
            {(k, key, d): c for k, key, d, c in tenant.daily_rollups.values_list("kind", "key", "day", "count")}
        ),
        "totals": {
            (k, key, d): round(t, 6) for k, key, d, t in tenant.daily_rollups.values_list("kind", "key", "day", "total")
        },
        "active": set(tenant.active_days.values_list("user_id", "day")),
        "signups": dict(tenant.signup_cohorts.values_list("user_id", "day")),
        "daily_users": Counter(dict(tenant.daily_active_users.values_list("day", "users"))),
        "first_last": {
            user: (first, last)
            for user, first, last in tenant.user_activities.values_list("user_id", "first_day", "last_day")
        },
        "weeks": set(tenant.active_weeks.values_list("user_id", "week")),
        "retained": dict(tenant.signup_cohorts.values_list("user_id", "retained_weeks")),
    }


def _recount() -> Counter:
    with schema_context("alpha"):
        return Counter(
            (kind, at.replace(minute=0, second=0, microsecond=0))
            for kind, at in DomainEvent.objects.values_list("kind", "occurred_at")
        )


def _settle(tenant: Client) -> None:
    """Advances until every committed event is counted (at once: a transaction still open elsewhere, in another test
    run's database, holds nothing back; the wait is for the killed process's lock)."""
    assert wait_until(lambda: rollups_advance(tenant) >= 0 and not rollups_pending(tenant), timeout_s=120)


def _rollups(tenant: Client) -> Counter:
    counts = Counter()
    for kind, hour, count in tenant.event_rollups.values_list("kind", "hour", "count"):
        counts[(kind, hour)] += count
    return counts


def test_rollups_equal_a_recount_from_the_events_after_each_advance(alpha) -> None:
    rng = random.Random(14)
    for batch in (300, 1, 120):
        _history(rng, batch)
        _settle(alpha)
        assert _rollups(alpha) == _recount()
    assert rollups_advance(alpha) == 0  # nothing new: nothing written

    rollups_rebuild(alpha)
    _settle(alpha)
    assert _rollups(alpha) == _recount()


def test_every_rollup_table_equals_a_recomputation_on_a_randomised_history(alpha) -> None:
    """Hourly and daily counts by category, daily sums, active users per day and sign-up days, in UTC; and the people
    rollups: distinct users per day, each user's first and last day, their weeks, their cohort's retained weeks. Ten
    weeks of history, counted in batches that split people's weeks and sign-ups (a sign-up counted after activity,
    an earlier sign-up that moves a cohort)."""
    rng = random.Random(1414)
    for batch in (400, 3, 250, 120):
        _history(rng, batch, span_days=70)
        _settle(alpha)
        assert _rollups_everything(alpha) == _recount_everything()
    recount = _recount_everything()
    assert recount["signups"]  # the history exercised every table
    assert recount["active"]
    assert any(recount["totals"].values())
    assert any(count > 1 for count in recount["daily_users"].values())
    assert {bin(mask).count("1") for mask in recount["retained"].values()} > {0, 1}  # several weeks back, some none

    for table in (alpha.daily_rollups, *PEOPLE_TABLES(alpha)):
        table.all().delete()  # damaged
    rollups_rebuild(alpha)
    _settle(alpha)
    assert _rollups_everything(alpha) == recount


def test_an_event_whose_transaction_commits_late_is_counted_once_and_holds_no_later_event_back(alpha) -> None:
    """A transaction still open (here a slow writer; in production a backup or a long report, in any database of the
    server) neither hides the events committed after it began nor gets its own event skipped or counted twice."""
    _history(random.Random(15), 20)
    _settle(alpha)
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
    pending_while_open = rollups_pending(alpha)
    rollups_advance(alpha)  # again while it is open: the five are not counted twice
    counted_again = sum(_rollups(alpha).values())
    release.set()
    writer.join(timeout=30)
    _settle(alpha)

    assert counted_while_open == alpha.preexisting + 25  # the 5 committed later, not the one still open
    assert not pending_while_open  # an uncommitted event is not pending
    assert counted_again == counted_while_open
    assert _rollups(alpha) == _recount()  # all 26, each once
    assert sum(_rollups(alpha).values()) == alpha.preexisting + 26


def test_an_advance_that_dies_midway_changes_nothing_and_the_next_counts_once(alpha, monkeypatch) -> None:
    _history(random.Random(17), 40)
    _settle(alpha)
    _history(random.Random(18), 15)

    def dies(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(RollupCursor, "save", dies)
    with pytest.raises(RuntimeError):
        rollups_advance(alpha)
    assert sum(_rollups(alpha).values()) == alpha.preexisting + 40

    monkeypatch.undo()
    _settle(alpha)
    assert _rollups(alpha) == _recount()
    assert sum(_rollups(alpha).values()) == alpha.preexisting + 55


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
    _settle(alpha)
    EventRollup.objects.filter(tenant=alpha).update(count=999)  # damaged
    out = io.StringIO()

    call_command("analytics_rollups_rebuild", "alpha", stdout=out)
    _settle(alpha)

    assert _rollups(alpha) == _recount()
    assert out.getvalue().startswith("alpha: ")
    with pytest.raises(CommandError, match="no_such_tenant"):
        call_command("analytics_rollups_rebuild", "no_such_tenant")


def test_a_worker_killed_mid_batch_loses_nothing_and_counts_nothing_twice(alpha, tmp_path) -> None:
    """A real process counts a batch and is killed (SIGKILL) before it commits: PostgreSQL rolls its transaction
    back, so the rollups and the cursor are as they were, and the next advance counts the batch once."""
    rng = random.Random(21)
    _history(rng, 40)
    _settle(alpha)
    _history(rng, 25)
    counted = tmp_path / "counted"
    script = f"""
import time, django
django.setup()
from analytics import rollups
from tenants.models import Client
count = rollups._count
def count_and_hang(*args):
    written = count(*args)
    open({str(counted)!r}, "w").close()
    time.sleep(300)
    return written
rollups._count = count_and_hang
rollups.rollups_advance(Client.objects.get(schema_name="alpha"))
"""
    database = connections["default"].settings_dict["NAME"]
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
    }
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment)  # noqa: S603
    try:
        assert wait_until(counted.exists, timeout_s=120)  # the batch is counted, not committed
        assert sum(_rollups(alpha).values()) == alpha.preexisting + 40
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    _settle(alpha)  # waits for the killed transaction's lock to go, then counts
    assert _rollups_everything(alpha) == _recount_everything()
    assert sum(_rollups(alpha).values()) == alpha.preexisting + 65
