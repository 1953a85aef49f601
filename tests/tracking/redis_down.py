"""A Redis that is down, for the degraded-mode tests: a private redis-server started on a free port and stopped
again, so its address answers nothing. The shared Redis on 6379 is never touched."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stopped_redis_url() -> str:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def cache_down(settings) -> str:
    """The cache points at a stopped Redis for the test (Django resets its cache connections on the change)."""
    url = stopped_redis_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return url
