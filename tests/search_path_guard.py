"""A suite-wide guard: every SQL statement must run with the search path of the schema Django believes is active.

Installed on every database connection by tests/conftest.py. Before each statement it reads the server's
``search_path`` on the same raw cursor (bypassing Django's wrappers) and fails the statement when its first schema is
not ``connection.schema_name``. A routing bug that leaves a request on the wrong schema, or a stale search path after
switching tenants, fails the test that caused it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class SearchPathMismatch(AssertionError):
    pass


def _first_schema(search_path: str) -> str:
    first = search_path.split(",")[0].strip()
    return first.strip('"')


def _aborted(connection: Any) -> bool:
    """A failed statement inside a savepoint leaves the transaction aborted until ROLLBACK TO SAVEPOINT (what code
    catching an IntegrityError in ``atomic()`` does): no query, the guard's included, can run before it."""
    from psycopg.pq import TransactionStatus

    raw = connection.connection
    return raw is not None and raw.info.transaction_status == TransactionStatus.INERROR


def search_path_guard(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    connection = context["connection"]
    expected = getattr(connection, "schema_name", None)
    raw_cursor = context["cursor"].cursor
    sets_the_path = sql.lstrip()[:16].upper() == "SET SEARCH_PATH "
    if expected and not sets_the_path and not connection.needs_rollback and not _aborted(connection):
        raw_cursor.execute("SELECT current_setting('search_path')")
        actual = _first_schema(raw_cursor.fetchone()[0])
        if actual != expected:
            raise SearchPathMismatch(
                f"SQL ran with search_path starting {actual!r} while the connection is on {expected!r}: {sql[:200]}"
            )
    return execute(sql, params, many, context)


def install(connection: Any) -> None:
    if search_path_guard not in connection.execute_wrappers:
        connection.execute_wrappers.append(search_path_guard)
