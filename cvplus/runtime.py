"""Finds the services a development machine has, so that nothing needs to be configured.

PostgreSQL: ``DATABASE_URL`` if set; else the local server on 127.0.0.1:5432 when it answers; else an embedded
PostgreSQL from the ``pgserver`` package in ``.pgdata/`` inside the project. Redis: ``REDIS_URL`` if set; else a
local Redis when it answers; else none, and Celery tasks run inline.
"""

from __future__ import annotations

import socket
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_PGDATA = BASE_DIR / ".pgdata"


def port_answers(host: str, port: int, timeout_s: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def embedded_postgres_config(database: str, pgdata: Path = EMBEDDED_PGDATA) -> dict:
    """Starts (or joins) the embedded PostgreSQL and returns a Django DATABASES entry for it.

    The database itself is created by ``manage.py db_prepare`` (:func:`database_ensure`).
    """
    import pgserver  # imported lazily: only machines without PostgreSQL need it

    server = pgserver.get_server(str(pgdata), cleanup_mode=None)
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": database,
        "USER": "postgres",
        "HOST": str(server.get_postmaster_info().socket_dir),
        "PORT": "",
    }


def local_postgres_config(database: str) -> dict:
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": database,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "5432",
    }


def discover_database(database: str) -> tuple[dict, str]:
    """Returns (DATABASES entry, a word saying where it came from)."""
    if port_answers("127.0.0.1", 5432):
        return local_postgres_config(database), "local"
    return embedded_postgres_config(database), "embedded"


def discover_redis() -> str | None:
    return "redis://127.0.0.1:6379/0" if port_answers("127.0.0.1", 6379) else None


def database_ensure(config: dict) -> bool:
    """Creates the configured database on its server when it is missing. Returns True when it created it."""
    import psycopg
    from psycopg import sql

    params = {"dbname": "postgres", "user": config.get("USER") or "postgres"}
    if config.get("HOST"):
        params["host"] = config["HOST"]
    if config.get("PORT"):
        params["port"] = str(config["PORT"])
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def startup_objects_freeze() -> None:
    """Moves every object alive after start-up (modules, Django's app registry, URL resolvers, LightGBM and pandas)
    out of the garbage collector's reach: they live as long as the process, yet each full collection walked them all.
    On the outcomes page, whose requests allocate enough to trigger one every twenty-odd requests, that walk was the
    slowest request in fifty (about 200 ms on this machine). Called by cvplus/wsgi.py once the application is loaded,
    so in each gunicorn worker (no preload); the benchmarks call it where they stand in for that worker."""
    import gc

    gc.collect()
    gc.freeze()
