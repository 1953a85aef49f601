from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.provisioning import template_schema_sync


class Command(BaseCommand):
    help = "Creates the tenant template schema if needed and applies any tenant migration it lacks."

    def handle(self, *args, **options) -> None:
        changed = template_schema_sync(verbosity=options["verbosity"] - 1)
        state = "migrated" if changed else "already current"
        self.stdout.write(f"{settings.TENANT_TEMPLATE_SCHEMA}: {state}")
