from django.conf import settings
from django.core.management.base import BaseCommand

from cvplus.runtime import database_ensure


class Command(BaseCommand):
    help = "Creates the database if it does not exist yet (the first step of a fresh set-up)."
    requires_system_checks: list = []

    def handle(self, *args, **options) -> None:
        config = settings.DATABASES["default"]
        created = database_ensure(config)
        where = f"{config.get('HOST') or 'socket'}:{config.get('PORT') or ''} ({settings.DATABASE_SOURCE})"
        verb = "created" if created else "exists"
        self.stdout.write(f"database {config['NAME']} on {where}: {verb}")
