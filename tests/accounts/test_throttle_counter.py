"""The fixed-window counter behind every throttle (accounts.throttles.window_hit) costs one Redis round trip, counts
every request exactly (also concurrent first requests of a window) and expires with its window."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches
from redis.client import Pipeline, Redis

from accounts.throttles import window_hit


@pytest.fixture
def round_trips(monkeypatch) -> dict[str, int]:
    calls = {"commands": 0, "pipelines": 0}
    command, execute = Redis.execute_command, Pipeline.execute

    def counted_command(self, *args, **kwargs):
        calls["commands"] += 1
        return command(self, *args, **kwargs)

    def counted_execute(self, *args, **kwargs):
        calls["pipelines"] += 1
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(Redis, "execute_command", counted_command)
    monkeypatch.setattr(Pipeline, "execute", counted_execute)
    return calls


def _key(scope: str, ident: str, window_s: int) -> str:
    return f"throttle:{scope}:{int(time.time() // window_s)}:{ident}"


def test_it_counts_a_request_in_one_redis_round_trip(db, round_trips) -> None:
    window_hit(scope="test-one-trip", ident="a", limit=5, window_s=3600)
    window_hit(scope="test-one-trip", ident="a", limit=5, window_s=3600)

    assert round_trips == {"commands": 0, "pipelines": 2}
    cache.delete(_key("test-one-trip", "a", 3600))


def test_it_refuses_past_the_limit_and_the_counter_expires_with_its_window(db) -> None:
    window_s = 600
    answers = [window_hit(scope="test-expiry", ident="b", limit=3, window_s=window_s) for _ in range(5)]

    assert answers[:3] == [None, None, None]
    assert all(isinstance(seconds, int) and 1 <= seconds <= window_s for seconds in answers[3:])
    key = _key("test-expiry", "b", window_s)
    assert cache.get(key) == 5  # still readable through the cache API, as RedisCache stores ints
    redis_key = caches["default"].make_and_validate_key(key)
    ttl = caches["default"]._cache.get_client(redis_key).ttl(redis_key)
    assert window_s < ttl <= window_s + 60
    cache.delete(key)


def test_it_counts_every_one_of_concurrent_first_requests(db) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: window_hit(scope="test-race", ident="c", limit=30, window_s=3600), range(40)))

    assert sum(1 for seconds in answers if seconds is None) == 30
    key = _key("test-race", "c", 3600)
    assert cache.get(key) == 40
    cache.delete(key)
