"""Development needs nothing configured: without a PostgreSQL server, an embedded one starts in a project folder."""

from __future__ import annotations

import logging
import os
import signal
import time

import psycopg
import pytest

from cvplus.runtime import database_ensure, embedded_postgres_config, port_answers


def test_it_finds_the_local_services_this_machine_runs() -> None:
    assert port_answers("127.0.0.1", 5432)
    assert not port_answers("127.0.0.1", 1)


def test_it_starts_an_embedded_postgresql_and_creates_the_database(tmp_path) -> None:
    pgserver = pytest.importorskip("pgserver")
    pgdata = tmp_path / "pgdata"
    config = embedded_postgres_config("cvplus_embedded", pgdata=pgdata)
    try:
        assert config["ENGINE"] == "django_tenants.postgresql_backend"
        assert database_ensure(config) is True
        assert database_ensure(config) is False
        with psycopg.connect(dbname="cvplus_embedded", user="postgres", host=config["HOST"]) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("cvplus_embedded",)
    finally:
        # pgserver logs from an exit handler, after pytest has closed the streams it captured.
        logging.getLogger("pgserver").disabled = True
        info = pgserver.postgres_server.PostmasterInfo.read_from_pgdata(pgdata)
        if info is not None and info.pid:
            os.kill(info.pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while info.is_running() and time.monotonic() < deadline:
                time.sleep(0.1)


def test_it_limits_native_thread_pools_to_one_thread_in_every_process() -> None:
    import subprocess
    import sys
    from pathlib import Path

    from cvplus.threads import THREAD_VARIABLES

    environment = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    code = "import os, cvplus; print(','.join(os.environ[name] for name in cvplus.threads.THREAD_VARIABLES))"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == ",".join("1" for _ in THREAD_VARIABLES)
