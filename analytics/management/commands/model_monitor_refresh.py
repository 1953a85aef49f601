"""Refreshes the model monitor snapshots of the named tenants (every ready tenant without names) now, as beat does
every 5 minutes; `--rebuild` first recounts their serving days from the whole prediction log."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from analytics.monitoring.serving import serving_days_rebuild
from analytics.monitoring.snapshot import monitor_snapshot_refresh
from tenants.context import ready_tenant_schemas
from tenants.models import Client


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("schemas", nargs="*", help="tenant schema names (default: every ready tenant)")
        parser.add_argument("--rebuild", action="store_true", help="recount the serving days from the whole log")

    def handle(self, *args, schemas: list[str], rebuild: bool, **options) -> None:
        names = schemas or ready_tenant_schemas()
        tenants = {tenant.schema_name: tenant for tenant in Client.objects.filter(schema_name__in=names)}
        unknown = sorted(set(names) - set(tenants))
        if unknown:
            raise CommandError(f"No tenant with the schema {', '.join(unknown)}.")
        for name in names:
            if rebuild:
                serving_days_rebuild(tenants[name])
            with schema_context(name):
                snapshot = monitor_snapshot_refresh()
            self.stdout.write(f"{name}: snapshot refreshed in {snapshot.compute_ms:.0f} ms")
