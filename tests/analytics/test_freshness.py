"""End to end with a real worker: a page view on a tenant's host is in that tenant's rollups moments after the
request, through Redis (the page view's buffer, analytics/pageviews.py, on as in production), the kick
(analytics/kick.py), the broker and the worker, which writes the view into the events and counts it, with no beat
running. The time it took is printed; the bound here is a bound on waiting, not a timing assertion
(bench/analytics.py measures freshness)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from analytics.kick import KICK_CACHE_KEY
from analytics.models import PageViewBatch
from analytics.rollups import rollups_forget
from cvplus.kicks import kicks_wait
from tenants.models import Client
from tests.conftest import HOST_A, login
from tracking.models import DomainEvent


@pytest.fixture
def alpha(committed, settings):
    settings.ANALYTICS_PAGE_VIEWS_BUFFERED = True
    tenant = Client.objects.get(schema_name="alpha")
    with schema_context("alpha"):
        before = set(DomainEvent.objects.values_list("id", flat=True))
        cache.delete(KICK_CACHE_KEY)
    yield tenant
    with schema_context("alpha"):
        DomainEvent.objects.exclude(id__in=before).delete()
    rollups_forget(tenant)
    PageViewBatch.objects.filter(tenant=tenant).delete()


def _board_views(tenant: Client) -> int:
    return sum(
        tenant.daily_rollups.filter(kind=DomainEvent.Kind.PAGE_VIEWED, key="board").values_list("count", flat=True)
    )


def test_a_page_view_reaches_the_rollups_through_a_real_worker_without_beat(cast, alpha, celery_worker) -> None:
    client = HttpClient(HTTP_HOST=HOST_A)
    login(client, cast.owner_email)
    seen = []
    for _ in range(3):
        before = _board_views(alpha)
        started = time.monotonic()
        assert client.get("/app/").status_code == 200
        deadline = started + 60
        while _board_views(alpha) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(time.monotonic() - started)
        assert _board_views(alpha) == before + 1
    kicks_wait()
    assert PageViewBatch.objects.filter(tenant=alpha).count() == 3  # each went through Redis, in a batch of its own
    print(f"action to rollup, three page views with a real worker: {', '.join(f'{s * 1000:.0f} ms' for s in seen)}")
    with schema_context("alpha"):
        actor = DomainEvent.objects.filter(kind=DomainEvent.Kind.PAGE_VIEWED).latest("id").actor_id
    assert alpha.active_days.filter(user_id=actor).exists()
