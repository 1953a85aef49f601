"""Tenant context helpers. Tenant-only code calls :func:`require_tenant_schema` first and fails closed in public."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
