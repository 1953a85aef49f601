"""A private redis-server for fault tests, on a free loopback port, that a test may stop, start again and pause.

Never the shared Redis on 6379: other people's tests use it. The server keeps its data in an append-only file synced
on every write, so a stop (even SIGKILL) and a start again bring back every counter and pending batch, as a managed
Redis with persistence would; `--save ""` turns the snapshots off.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

READY_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cvplus-fault-redis-"))
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}: {self.log()}")

    def stop(self) -> None:
        """Kills the server (SIGKILL: a crash, not a shutdown) and waits until the port refuses connections."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=2, socket_connect_timeout=2)

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text()[-2000:] if path.exists() else ""


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A started private server, closed (killed, its files removed) whatever happens in the block."""
    server = RedisServer()
    try:
        yield server.start()
    finally:
        server.close()


def dead_redis_url() -> str:
    """A loopback address where nothing listens: every connection is refused, as to a Redis that is down."""
    return f"redis://127.0.0.1:{free_port()}/0"


def point_redis_at(settings, url: str) -> None:
    """Points the cache, and with it billing's metering and key revocations, at `url` (pytest-django's `settings`)."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
