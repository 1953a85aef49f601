"""Making tenant schemas: a migrated template schema is cloned, never migrated from scratch on the request path.

The template (``settings.TENANT_TEMPLATE_SCHEMA``) holds every tenant migration and nothing else. Provisioning a
tenant clones it (structure and the django_migrations rows) inside one transaction that also marks the tenant
ready, so a failure half-way leaves neither a schema nor a ready flag, and the next attempt starts clean.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.clone import clone_function_ensure, schema_clone
from tenants.models import Client

logger = logging.getLogger(__name__)
TEMPLATE_LOCK_ID = 0x43565054  # "CVPT"


def _tenant_app_labels() -> set[str]:
    from django.apps import apps

    return {app.label for app in apps.get_app_configs() if app.name in settings.TENANT_APPS}


def tenant_migrations_expected() -> set[tuple[str, str]]:
    """Every migration of the tenant apps, as (app_label, name)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    labels = _tenant_app_labels()
    return {key for key in loader.graph.nodes if key[0] in labels}


def schema_migrations_applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
            "AND table_name = 'django_migrations')",
            [schema],
        )
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')  # noqa: S608 - schema is validated
        return set(cursor.fetchall())


def template_schema_is_current() -> bool:
    schema = settings.TENANT_TEMPLATE_SCHEMA
    return schema_exists(schema) and tenant_migrations_expected() <= schema_migrations_applied(schema)


def template_schema_sync(*, verbosity: int = 0) -> bool:
    """Creates the template schema if needed and applies any tenant migration it lacks.

    Returns True when something was done. Safe to run any number of times.
    """
    connection.set_schema_to_public()
    with transaction.atomic():
        clone_function_ensure()
    if template_schema_is_current():
        return False
    schema = settings.TENANT_TEMPLATE_SCHEMA
    # Two workers provisioning at once must not migrate the template together. A session lock, because
    # migrate_schemas commits and reconnects; it is released when the connection closes if not before.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK_ID])
    try:
        if template_schema_is_current():
            return False
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=verbosity)
        return True
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")


class ProvisioningError(RuntimeError):
    pass


def tenant_provision(*, client_id: int) -> Client:
    """Gives the tenant its schema (a clone of the template) and marks it ready. Idempotent.

    Runs in the public schema, from a Celery task or a management command; never on a request.
    """
    connection.set_schema_to_public()
    template_schema_sync()
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client_id)
        if client.schema_name == get_public_schema_name():
            raise ProvisioningError("The public tenant uses the public schema; it is migrated, not provisioned.")
        if client.is_ready and schema_exists(client.schema_name):
            return client
        if schema_exists(client.schema_name):
            # Made outside this service (or by an older release): bring it up to date instead of cloning over it.
            call_command("migrate_schemas", tenant=True, schema_name=client.schema_name, interactive=False, verbosity=0)
            connection.set_schema_to_public()
        else:
            schema_clone(source=settings.TENANT_TEMPLATE_SCHEMA, target=client.schema_name)
        client.is_ready = True
        client.provisioned_at = timezone.now()
        client.save(update_fields=["is_ready", "provisioned_at"])
    logger.info("tenant %s provisioned", client.schema_name)
    return client


def tenant_schema_drop(*, client: Client) -> None:
    """Removes a tenant's schema and its rows. Used by tests and benchmarks; staff deletion comes later."""
    connection.set_schema_to_public()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{client.schema_name}" CASCADE')
        client.domains.all().delete()
        Client.objects.filter(pk=client.pk).delete()
