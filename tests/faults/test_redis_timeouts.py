"""Every Redis client gives up quickly: the cache, billing's metering and key-change clients and the Celery broker have
connect and socket timeouts, and a publish to a broker that is down is retried once, not for seconds.

(These tests ask for `db`: pytest-django sets the test database up only for a session with such a test, and the other
fault tests work on committed rows, without it.)"""

from __future__ import annotations

from django.conf import settings

from billing.redis_client import redis_client, redis_client_of_its_own
from cvplus.celery import app as celery_app


def test_it_gives_the_cache_and_billings_redis_clients_timeouts(db) -> None:
    options = settings.CACHES["default"]["OPTIONS"]
    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1
    for client in (redis_client(), redis_client_of_its_own()):
        kwargs = client.connection_pool.connection_kwargs
        assert kwargs["socket_connect_timeout"] == options["socket_connect_timeout"]
        assert kwargs["socket_timeout"] == options["socket_timeout"]


def test_it_gives_the_broker_timeouts_and_a_short_publish_retry(db) -> None:
    transport = celery_app.conf.broker_transport_options
    assert 0 < transport["socket_connect_timeout"] <= 1
    assert 0 < transport["socket_timeout"] <= 2
    assert celery_app.conf.task_publish_retry_policy["max_retries"] <= 1
