"""Fixtures of the fault tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.redis_server import RedisServer, running_redis


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A private redis-server the test may stop and start (never the shared one on 6379)."""
    with running_redis() as server:
        yield server
