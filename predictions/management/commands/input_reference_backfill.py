"""`manage.py input_reference_backfill [--all]`: the training-input bins (the model monitor's drift reference) of
every model version saved without them, global ones in public and each tenant's own in its schema, recomputed from
the same training data (predictions/input_reference.py). `--all` recomputes every version's."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Compute the training-input bins of model versions trained before they were stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Recompute every version's bins, not only missing ones.")

    def handle(self, *args: object, **options: object) -> None:
        from predictions.input_reference import input_reference_backfill
        from predictions.models import ModelVersion
        from tenants.context import dangerously_for_each_tenant, public_schema_context

        def backfill(where: str) -> int:
            versions = ModelVersion.objects.defer("artifact").order_by("kind", "scope", "version")
            if not options["all"]:
                versions = versions.filter(input_bins={})
            done = 0
            for version in versions:
                try:
                    bins = input_reference_backfill(version)
                except Exception as error:  # noqa: BLE001 - one version's data may be gone; the others go on
                    self.stderr.write(f"{where}: {version}: not computed ({error})")
                    continue
                exact = "same data as its training" if bins["exact"] else "data changed since its training"
                self.stdout.write(f"{where}: {version}: {bins['rows']:,} rows, {exact}")
                done += 1
            return done

        with public_schema_context():
            total = backfill("public")
        for _schema, done in dangerously_for_each_tenant(backfill):
            total += done
        self.stdout.write(self.style.SUCCESS(f"{total} model versions have their input bins"))
