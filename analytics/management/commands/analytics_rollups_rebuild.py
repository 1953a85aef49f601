"""Recounts the event rollups of the named tenants (every ready tenant without names) from their events."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analytics.rollups import rollups_rebuild
from tenants.context import ready_tenant_schemas
from tenants.models import Client


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("schemas", nargs="*", help="tenant schema names (default: every ready tenant)")

    def handle(self, *args, schemas: list[str], **options) -> None:
        names = schemas or ready_tenant_schemas()
        tenants = {tenant.schema_name: tenant for tenant in Client.objects.filter(schema_name__in=names)}
        unknown = sorted(set(names) - set(tenants))
        if unknown:
            raise CommandError(f"No tenant with the schema {', '.join(unknown)}.")
        for name in names:
            rows = rollups_rebuild(tenants[name])
            self.stdout.write(f"{name}: {rows} rollup rows recounted")
