"""Serving a settings module with gunicorn on loopback and loading it with wrk, for bench/tenants.py.

Everything binds to and talks to 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
READY_TIMEOUT_S = 40.0


class LoadError(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    label: str
    port: int


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def get(port: int, host: str, path: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout_s)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait_until_serving(process: subprocess.Popen, port: int, host: str, path: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadError(f"gunicorn exited with {process.returncode}; log {log}:\n{log.read_text()[-3000:]}")
        try:
            status, body = get(port, host, path, timeout_s=2.0)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200 or body != b"ok":
            raise LoadError(f"{host}{path} on port {port} answered {status}: {body[:300]!r}; log {log}")
        return
    raise LoadError(f"gunicorn on port {port} did not answer within {READY_TIMEOUT_S:.0f} s; log {log}")


@contextmanager
def gunicorn_serving(
    *, label: str, cwd: Path, env: dict[str, str], workers: int, host: str, path: str, log_dir: Path
) -> Iterator[Server]:
    """Runs ``cvplus.wsgi:application`` under gunicorn on a free loopback port until the block ends."""
    port = free_loopback_port()
    log = log_dir / f"gunicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cvplus.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{LOOPBACK}:{port}",
        "--log-level",
        "warning",
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(process, port, host, path, log)
        yield Server(label=label, port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_requests_per_s(*, port: int, host: str, path: str, seconds: float, threads: int, connections: int) -> float:
    """Requests per second over ``seconds``; raises when any response was not 2xx/3xx or a socket failed."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "-H",
        f"Host: {host}",
        f"http://{LOOPBACK}:{port}{path}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if result.returncode != 0:
        raise LoadError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    out = result.stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise LoadError(f"wrk saw failed requests on port {port}:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise LoadError(f"could not read wrk's output:\n{out}")
    return float(match.group(1))
