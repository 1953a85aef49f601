"""``migrate_schemas`` that skips tenant schemas with nothing to apply.

django-tenants runs Django's full migrate command once per schema even when nothing is pending: a fresh migration
graph, a reconnect and the post-migrate signals, about 100 ms a tenant here (bench/tenants.py). This executor first
compares each schema's ``django_migrations`` rows with the tenant apps' migrations and hands only the schemas that
lack some to django-tenants. It applies only to a plain ``migrate_schemas`` (no app label, target, --fake, --plan,
--check or --prune); anything else runs exactly as django-tenants would.
"""

from __future__ import annotations

import sys

from django_tenants.migration_executors import get_executor as django_tenants_get_executor
from django_tenants.migration_executors.standard import StandardExecutor

_TARGETED_OPTIONS = ("app_label", "migration_name", "fake", "fake_initial", "plan", "check_unapplied", "prune")


class SkipCurrentSchemasExecutor(StandardExecutor):
    codename = "standard"

    def run_migrations(self, tenants=None) -> None:
        tenants = list(tenants or [])
        if any(self.options.get(option) for option in _TARGETED_OPTIONS):
            return super().run_migrations(tenants)
        from tenants.provisioning import schema_migrations_applied, tenant_migrations_expected

        expected = tenant_migrations_expected()
        pending = [
            schema
            for schema in tenants
            if schema == self.PUBLIC_SCHEMA_NAME or not expected <= schema_migrations_applied(schema)
        ]
        skipped = len(tenants) - len(pending)
        if skipped and int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(f"{skipped} tenant schema(s) already up to date, skipped\n")
        return super().run_migrations(pending)


def get_executor(codename: str | None = None) -> type:
    if codename in (None, "", "standard"):
        return SkipCurrentSchemasExecutor
    return django_tenants_get_executor(codename)
