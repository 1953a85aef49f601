"""`manage.py billing_plans_ensure`: create the catalogue's plans that do not exist yet (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the plans of billing/catalogue.py that do not exist yet; existing plans are left as staff set them."

    def handle(self, *args: object, **options: object) -> None:
        from billing.catalogue import plans_ensure

        for plan in plans_ensure():
            self.stdout.write(f"{plan.code}: {plan.name} ({plan.price_minor / 100:.2f} {plan.currency})")
