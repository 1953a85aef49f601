"""The schema-cloning SQL function (pg-clone-schema, shipped by django-tenants), installed once, not per tenant.

django-tenants' ``CloneSchema`` re-creates its 4,600-line function before every clone (about 25 ms) and the function
checks each table and column name for capital letters with a self-join over ``information_schema`` that grows with
every tenant in the database (bench/tenants.py). CVPlus never creates mixed-case names, but the check stays: it is
rewritten here as a test on the name itself, which is what the self-join computes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import connection
from django_tenants.clone import CLONE_SCHEMA_FUNCTION

_PATCHES = (
    (
        "      SELECT count(*) INTO v_cnt1 FROM information_schema.tables t WHERE EXISTS (SELECT REGEXP_MATCHES("
        "s.table_name, '([A-Z]+)','g') FROM information_schema.tables s\n      WHERE t.table_schema=s.table_schema AND "
        "t.table_name=s.table_name AND t.table_schema = in_schema AND t.table_name = in_table AND t.table_type = "
        "'BASE TABLE');",
        "      v_cnt1 := CASE WHEN in_table ~ '[A-Z]' THEN 1 ELSE 0 END;",
    ),
    (
        "         SELECT COUNT(*) INTO v_cnt1 FROM information_schema.columns t WHERE EXISTS (SELECT REGEXP_MATCHES("
        "s.column_name, '([A-Z]+)','g') FROM information_schema.columns s\n"
        "         WHERE t.table_schema=s.table_schema and t.table_name=s.table_name and t.column_name=s.column_name "
        "AND t.table_schema = quote_ident(in_schema) AND column_name = v_colrec.column_name);",
        "         v_cnt1 := CASE WHEN v_colrec.column_name ~ '[A-Z]' THEN 1 ELSE 0 END;",
    ),
)


def _patched_function_sql() -> str:
    sql = CLONE_SCHEMA_FUNCTION
    for old, new in _PATCHES:
        if old not in sql:
            raise RuntimeError("django-tenants' clone function changed: review tenants/clone.py before upgrading.")
        sql = sql.replace(old, new)
    return sql


FUNCTION_SQL = _patched_function_sql()
FUNCTION_VERSION = "cvplus " + hashlib.sha256(FUNCTION_SQL.encode()).hexdigest()[:16]
_SIGNATURE = "public.clone_schema(text, text, public.cloneparms[])"
# Serialises installs: the function's script drops and re-creates types other clones depend on.
_INSTALL_LOCK_ID = 0x43565043  # "CVPC"


def _installed_version(cursor) -> str | None:
    cursor.execute("SELECT to_regtype('public.cloneparms') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT obj_description(to_regprocedure(%s), 'pg_proc')", [_SIGNATURE])
    return cursor.fetchone()[0]


def clone_function_ensure() -> bool:
    """Installs (or upgrades) the clone function when the database lacks this version. Returns True if it did.

    Call inside a transaction: the advisory lock is held until it ends.
    """
    with connection.cursor() as cursor:
        if _installed_version(cursor) == FUNCTION_VERSION:
            return False
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_INSTALL_LOCK_ID])
        if _installed_version(cursor) == FUNCTION_VERSION:
            return False
        db_user = settings.DATABASES["default"].get("USER") or "postgres"
        cursor.execute(FUNCTION_SQL.format(db_user=db_user))
        cursor.execute(f"COMMENT ON FUNCTION {_SIGNATURE} IS %s", [FUNCTION_VERSION])
    return True


def schema_clone(*, source: str, target: str) -> None:
    """Copies ``source`` (tables, sequences, indexes, constraints and rows) into the new schema ``target``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.clone_schema(%s, %s, 'DATA')", [source, target])
