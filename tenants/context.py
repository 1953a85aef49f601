"""Tenant context helpers. Tenant-only code calls :func:`require_tenant_schema` first and fails closed in public."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
