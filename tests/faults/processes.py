"""Real CVPlus processes for fault tests: a web server (runserver, threaded) or a Celery worker, on the session's
test database and on the Redis a test names, each stopped by the test and waited for."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection

from tests.faults.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60.0


def process_env(*, redis_url: str, cache_url: str | None = None, **extra: str) -> dict[str, str]:
    """Test settings on the session's test database, with Redis, the cache and the broker at `redis_url`."""
    database = connection.settings_dict["NAME"]
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "TEST_REDIS_URL": redis_url,
        "TEST_CACHE_URL": cache_url or redis_url,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_for_sessions_to_end(timeout_s: float = 15.0) -> None:
    """PostgreSQL ends a dead client's backend a moment after its process exits; the test database can only be dropped
    at the end of the session once it has."""
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is None:
        process.kill() if kill else process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def _running(
    command: list[str], env: dict[str, str], log: Path, *, ready: Callable[[], bool], append: bool, kill: bool
) -> Iterator[subprocess.Popen]:
    """Starts `command` in the project with its output in `log`; yields once `ready()`; stops it (SIGKILL when `kill`)
    and waits until its database sessions are gone."""
    with log.open("a" if append else "w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not ready():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text()[-3000:])
                time.sleep(0.1)
            yield process
        finally:
            stop(process, kill=kill)
            wait_for_sessions_to_end()


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@contextmanager
def web_server(env: dict[str, str], log: Path) -> Iterator[int]:
    """Serves the project with runserver (a thread per request); yields its port once it accepts connections."""
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"]
    with _running(command, env, log, ready=lambda: _accepts(port), append=False, kill=False):
        yield port


@contextmanager
def celery_worker(env: dict[str, str], log: Path, *, queue: str) -> Iterator[subprocess.Popen]:
    """A real worker process (solo pool) on `queue`, appending to `log`; yields once it is consuming. Stopped by
    SIGKILL, as a crash would."""
    command = [sys.executable, "-m", "celery", "-A", "cvplus", "worker", "--pool", "solo", "--queues", queue]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
    command += ["--hostname", f"fault-{os.getpid()}-{time.monotonic_ns()}@%h"]
    starts = log.read_text().count(" ready.") if log.exists() else 0
    ready = lambda: log.read_text().count(" ready.") > starts  # noqa: E731
    with _running(command, env, log, ready=ready, append=True, kill=True) as worker:
        yield worker


def request(
    port: int,
    method: str,
    path: str,
    *,
    host: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout_s: float = 10.0,
) -> Answer:
    """One request to a server on loopback, with `host` as the Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return Answer(response.status, response.msg, response.read())
    finally:
        conn.close()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Visitor:
    """One browser on one host of a server: keeps its cookies and sends the CSRF token of the form it last loaded."""

    def __init__(self, port: int, host: str) -> None:
        self.port, self.host = port, host
        self.cookies: dict[str, str] = {}

    def get(self, path: str, **headers: str) -> Answer:
        return self._send("GET", path, headers)

    def submit(self, path: str, fields: dict[str, str], *, form_page: str | None = None) -> Answer:
        """Loads the form's page, then posts `fields` with its CSRF token."""
        page = self.get(form_page or path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token is not None, f"no CSRF token on {form_page or path} ({page.status})"
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields}).encode()
        return self._send("POST", path, {"Content-Type": "application/x-www-form-urlencoded"}, body)

    def _send(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> Answer:
        if self.cookies:
            headers = {**headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        answer = request(self.port, method, path, host=self.host, headers=headers, body=body)
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer
