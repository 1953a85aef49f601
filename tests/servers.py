"""Real server processes for tests: start one on a free loopback port, send it concurrent requests, and count the
PostgreSQL connections it holds (each server names its connections with ``application_name``)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {SERVER_START_TIMEOUT_S} s:\n{log.read_text()}")


@contextmanager
def server_process(argv: Sequence[str], environment: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Runs ``argv`` from the project root until the block ends; yields ``http://127.0.0.1:{port}``."""
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - the tests' own fixed commands
            list(argv), cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=40)


def database_url(database: str, application_name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{database}?application_name={application_name}"


def production_environment(*, database: str, application_name: str, static_root: str, redis_url: str) -> dict:
    """What a real deployment sets (README, "Running CVPlus in production"), on the test database."""
    # Nothing of the test session's own configuration (DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests, say).
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GUNICORN_", "DJANGO_"))}
    return keep | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(database, application_name),
        "ALLOWED_HOSTS": "localhost,.localhost",
        "STATIC_ROOT": static_root,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
    }


def connections_held(application_name: str) -> int:
    """Server connections (any state) that processes named ``application_name`` hold right now."""
    with psycopg.connect("dbname=postgres user=postgres host=127.0.0.1 port=5432", autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application_name]
        ).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict[str, str]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (a login page means the session was not found), not one to follow."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback test servers only
    try:
        with _opener.open(request, timeout=60) as response:
            return Answer(response.status, response.read().decode(errors="replace"), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(errors="replace"), dict(error.headers))


def get_concurrently(requests: Sequence[tuple[str, dict[str, str]]], *, at_once: int) -> list[Answer]:
    """Sends every (url, headers) request, ``at_once`` in flight at a time; answers in the order given."""
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return list(pool.map(lambda request: get(*request), requests))
