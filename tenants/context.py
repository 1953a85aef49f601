"""Tenant context helpers. Tenant-only code calls :func:`require_tenant_schema` first and fails closed in public."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

T = TypeVar("T")


class NotInTenantSchema(RuntimeError):
    """Raised when tenant-only code runs while the connection points at the public schema."""


def current_schema() -> str:
    return connection.schema_name


def require_tenant_schema() -> str:
    """Returns the current tenant schema, or raises :class:`NotInTenantSchema` in public."""
    schema = connection.schema_name
    if not schema or schema == get_public_schema_name():
        raise NotInTenantSchema("This operation needs a tenant schema; the connection is on the public schema.")
    return schema


def current_tenant():  # -> tenants.models.Client
    """The current tenant's Client row (fails closed in public). Requests carry the real row; ``schema_context()``
    only sets a stand-in without the tenant's fields, so that case reads it by schema name."""
    from tenants.models import Client

    schema = require_tenant_schema()
    tenant = getattr(connection, "tenant", None)
    return tenant if isinstance(tenant, Client) else Client.objects.get(schema_name=schema)


def public_schema_context() -> AbstractContextManager:
    """The public schema, without switching (and so without two extra SET search_path round trips) when the
    connection is already there, as it is on the public host and in management commands."""
    public = get_public_schema_name()
    return nullcontext() if getattr(connection, "schema_name", public) == public else schema_context(public)


def ready_tenant_schemas() -> list[str]:
    """Schemas of every tenant that is provisioned, excluding the public site."""
    from tenants.models import Client

    return list(
        Client.objects.filter(is_ready=True)
        .exclude(kind=Client.Kind.PUBLIC)
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


def dangerously_for_each_tenant(fn: Callable[[str], T]) -> Iterator[tuple[str, T]]:
    """Runs ``fn(schema)`` inside each ready tenant's schema in turn: the one sanctioned cross-tenant loop.

    Named loudly because code inside ``fn`` sees one tenant's data at a time and must not carry any of it into the
    next iteration.
    """
    for schema in ready_tenant_schemas():
        with schema_context(schema):
            yield schema, fn(schema)


def dangerously_union_over_tenants(select: str, schemas: Sequence[str]) -> tuple[str, dict[str, str]]:
    """One statement reading a tenant table in every given schema: ``select`` repeated per schema and joined by
    ``UNION ALL``, with ``{schema}`` replaced by the quoted schema name (write ``{schema}.tracking_importjob``) and
    ``{tenant}`` by a parameter holding it (select it to know each row's tenant). Returns the SQL and those parameters,
    to run with the caller's own named parameters; ``schemas`` must not be empty.

    The read-only sibling of :func:`dangerously_for_each_tenant` for staff aggregates: one round trip whatever the
    number of tenants, where a loop costs a query and two search-path switches per tenant. Named loudly because its
    rows mix tenants: aggregate them, never hand them to anyone but staff.
    """
    if not schemas:
        raise ValueError("No schema to read: the caller decides what no tenant means.")
    parts, params = [], {}
    for index, schema in enumerate(schemas):
        name = f"union_schema_{index}"
        params[name] = schema
        parts.append(select.format(schema=connection.ops.quote_name(schema), tenant=f"%({name})s"))
    return "\nUNION ALL\n".join(parts), params
