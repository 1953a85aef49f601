"""Page views buffered in Redis (analytics/pageviews.py): the request writes nothing to PostgreSQL; the rollups'
advance writes each view into its own tenant's events once and counts it. A flush killed (SIGKILL, a real process)
before its commit loses nothing, and killed after it writes nothing twice; without Redis a view is inserted at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from analytics import pageviews, pageviews_flush
from analytics.kick import KICK_CACHE_KEY
from analytics.models import PageViewBatch, RollupCursor
from analytics.pageviews import page_view_record
from analytics.pageviews_flush import page_views_flush
from analytics.rollups import rollups_advance
from analytics.tasks import kick_clear
from billing import redis_client as billing_redis
from cvplus.celery import app
from cvplus.kicks import kicks_wait
from privacy.export import export_tables
from tenants.models import Client
from tests.conftest import HOST_A, login, wait_until
from tracking.models import DomainEvent

Kind = DomainEvent.Kind


def _redis_forgotten() -> None:
    client = billing_redis.redis_client()
    keys = [key for schema in ("alpha", "beta") for key in pageviews_flush.page_view_keys(schema)]
    client.delete(*keys)
    with schema_context("alpha"):
        cache.delete(KICK_CACHE_KEY)


@pytest.fixture
def tenants(committed, settings) -> Iterator[dict[str, Client]]:
    """Alpha and beta with the buffer on, their Redis keys empty; every event, batch and count this test made is
    removed afterwards."""
    settings.ANALYTICS_PAGE_VIEWS_BUFFERED = True
    found = {schema: Client.objects.get(schema_name=schema) for schema in ("alpha", "beta")}
    before = {}
    for schema in found:
        with schema_context(schema):
            before[schema] = set(DomainEvent.objects.values_list("id", flat=True))
    _redis_forgotten()
    yield found
    kicks_wait()
    _redis_forgotten()
    billing_redis._down_until.clear()
    for schema, tenant in found.items():
        with schema_context(schema):
            DomainEvent.objects.exclude(id__in=before[schema]).delete()
        for table in (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts):
            table.all().delete()
        RollupCursor.objects.filter(tenant=tenant).delete()
        PageViewBatch.objects.filter(tenant=tenant).delete()


def _views(schema: str) -> list[tuple[int | None, dict]]:
    with schema_context(schema):
        return list(DomainEvent.objects.filter(kind=Kind.PAGE_VIEWED).order_by("id").values_list("actor_id", "payload"))


def _pending(schema: str) -> int:
    return billing_redis.redis_client().llen(pageviews_flush.page_view_keys(schema)[0])


def _claimed(schema: str) -> int:
    return billing_redis.redis_client().llen(pageviews_flush.page_view_keys(schema)[1])


def _counted_views(tenant: Client, page: str) -> int:
    return sum(tenant.daily_rollups.filter(kind=Kind.PAGE_VIEWED, key=page).values_list("count", flat=True))


def _record(schema: str, page: str, actor_id: int, times: int) -> None:
    with schema_context(schema):
        for _ in range(times):
            page_view_record(page=page, actor_id=actor_id)


def _owner(cast) -> User:
    with schema_context("alpha"):
        return User.objects.get(email=cast.owner_email)


def test_a_page_view_waits_in_redis_and_the_advance_writes_it_into_its_tenant_and_counts_it(cast, tenants) -> None:
    alpha = tenants["alpha"]
    client = HttpClient(HTTP_HOST=HOST_A)
    login(client, cast.owner_email)

    assert client.get("/app/").status_code == 200

    assert _views("alpha") == []  # nothing written on the request
    assert _pending("alpha") == 1
    assert page_views_flush(alpha) == 1
    rollups_advance(alpha)
    assert _views("alpha") == [(_owner(cast).pk, {"key": "board"})]
    assert _counted_views(alpha, "board") == 1
    assert (_pending("alpha"), _claimed("alpha")) == (0, 0)
    assert _views("beta") == []
    assert page_views_flush(alpha) == 0  # nothing left: nothing written again


def _advances_queued() -> int:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE)


def test_a_burst_of_views_sends_one_advance_until_the_advance_clears_the_flag(cast, tenants) -> None:
    owner = _owner(cast)
    app.control.purge()

    _record("alpha", "board", owner.pk, 5)
    kicks_wait()
    with schema_context("alpha"):
        flag_seen_by_the_cache = cache.get(KICK_CACHE_KEY) is not None
    queued_for_the_burst = _advances_queued()
    with schema_context("alpha"):
        kick_clear()  # what the advance does first
    _record("alpha", "board", owner.pk, 1)
    kicks_wait()

    assert flag_seen_by_the_cache  # the pipeline's raw key is the cache's
    assert queued_for_the_burst == 1
    assert _advances_queued() == 2
    app.control.purge()


def test_each_tenants_views_land_in_its_own_schema_and_only_its_own_flush_takes_them(cast, tenants) -> None:
    owner = _owner(cast)
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
    _record("alpha", "board", owner.pk, 2)
    _record("beta", "cv", stranger.pk, 3)

    assert page_views_flush(tenants["alpha"]) == 2
    assert _pending("beta") == 3  # untouched by alpha's flush
    assert page_views_flush(tenants["beta"]) == 3

    assert _views("alpha") == [(owner.pk, {"key": "board"})] * 2
    assert _views("beta") == [(stranger.pk, {"key": "cv"})] * 3


def test_a_viewer_unknown_or_no_longer_active_is_written_as_no_one(cast, tenants) -> None:
    with schema_context("alpha"):
        gone = user_create(email="ida.lind@example.org", password="a long enough passphrase 42")
        unknown = max(User.objects.values_list("pk", flat=True)) + 1000
    try:
        _record("alpha", "board", gone.pk, 1)
        _record("alpha", "board", unknown, 1)
        with schema_context("alpha"):
            User.objects.filter(pk=gone.pk).update(is_active=False)  # as an erasure leaves the account

        assert page_views_flush(tenants["alpha"]) == 2
        assert _views("alpha") == [(None, {"key": "board"})] * 2
    finally:
        with schema_context("alpha"):
            User.objects.filter(pk=gone.pk).delete()


def test_without_redis_a_page_view_is_inserted_at_once(cast, tenants, monkeypatch) -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(pageviews, "redis_client", lambda: unreachable)
    owner = _owner(cast)

    _record("alpha", "board", owner.pk, 2)  # the second without trying: Redis is remembered as down

    assert _views("alpha") == [(owner.pk, {"key": "board"})] * 2
    monkeypatch.undo()
    assert _pending("alpha") == 0


def test_with_the_buffer_off_a_page_view_is_inserted_at_once(cast, tenants, settings) -> None:
    settings.ANALYTICS_PAGE_VIEWS_BUFFERED = False
    _record("alpha", "board", _owner(cast).pk, 1)
    assert len(_views("alpha")) == 1
    assert _pending("alpha") == 0


def test_a_persons_export_includes_the_views_still_in_redis(cast, tenants) -> None:
    owner = _owner(cast)
    _record("alpha", "reminders", owner.pk, 1)

    with schema_context("alpha"):
        tables = {table.name: table for table in export_tables(user=owner)}

    assert {"kind": "page.viewed", "payload": {"key": "reminders"}}.items() <= next(
        row for row in tables["activity_events"].rows if row["kind"] == "page.viewed"
    ).items()


_KILLED_FLUSH = """
import time, django
django.setup()
from analytics import pageviews, pageviews_flush
from tenants.models import Client
{patch}
pageviews_flush.page_views_flush(Client.objects.get(schema_name="alpha"))
"""

_HANG_BEFORE_COMMIT = """
write = pageviews_flush._batch_write
def write_and_hang(*args):
    written = write(*args)
    open({marker!r}, "w").close()
    time.sleep(300)
    return written
pageviews_flush._batch_write = write_and_hang
"""

_HANG_AFTER_COMMIT = """
import redis
delete = redis.Redis.delete
def hang_before_delete(self, *keys):
    if any(key.endswith(":claimed") for key in keys):
        open({marker!r}, "w").close()
        time.sleep(300)
    return delete(self, *keys)
redis.Redis.delete = hang_before_delete
"""


def _flush_killed(patch: str, marker) -> None:
    """Runs a flush in a real process that stops where `patch` makes it, and kills it there (SIGKILL)."""
    database = connections["default"].settings_dict["NAME"]
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
    }
    script = _KILLED_FLUSH.format(patch=patch.format(marker=str(marker)))
    flush = subprocess.Popen([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment)  # noqa: S603
    try:
        assert wait_until(marker.exists, timeout_s=120)
    finally:
        flush.send_signal(signal.SIGKILL)
        flush.wait(timeout=30)


def test_a_flush_killed_before_its_commit_loses_nothing_and_the_next_writes_each_view_once(
    cast, tenants, tmp_path
) -> None:
    alpha, owner = tenants["alpha"], _owner(cast)
    _record("alpha", "board", owner.pk, 5)

    _flush_killed(_HANG_BEFORE_COMMIT, tmp_path / "written")

    assert _views("alpha") == []  # the killed transaction rolled back
    assert (_pending("alpha"), _claimed("alpha")) == (0, 6)  # the batch's id and its 5 views, still claimed
    _record("alpha", "board", owner.pk, 2)  # more views meanwhile
    assert page_views_flush(alpha) == 7  # (it waits for the killed session's lock to go)
    rollups_advance(alpha)
    assert len(_views("alpha")) == 7
    assert _counted_views(alpha, "board") == 7
    assert (_pending("alpha"), _claimed("alpha")) == (0, 0)


def test_a_flush_killed_after_its_commit_does_not_write_the_batch_again(cast, tenants, tmp_path) -> None:
    alpha, owner = tenants["alpha"], _owner(cast)
    _record("alpha", "board", owner.pk, 4)

    _flush_killed(_HANG_AFTER_COMMIT, tmp_path / "committed")

    assert len(_views("alpha")) == 4  # committed
    assert _claimed("alpha") == 5  # and still in Redis
    _record("alpha", "cv", owner.pk, 1)
    assert page_views_flush(alpha) == 1  # the new one only
    rollups_advance(alpha)
    assert _counted_views(alpha, "board") == 4
    assert _counted_views(alpha, "cv") == 1
    assert (_pending("alpha"), _claimed("alpha")) == (0, 0)
    assert PageViewBatch.objects.filter(tenant=alpha).count() == 2
