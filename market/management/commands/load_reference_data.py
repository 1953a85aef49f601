from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from market.cv_rules import cv_rules_ensure
from market.readers import ReferenceDataError
from market.services import DATASET_NAMES, reference_data_load


class Command(BaseCommand):
    help = "Load the reference data sets from data/reference into the public schema (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="+", choices=DATASET_NAMES, metavar="NAME", help="data sets to load")
        parser.add_argument("--force", action="store_true", help="reload even when the files are unchanged")
        parser.add_argument("--base-dir", type=Path, help="directory holding the data set folders")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = reference_data_load(
                names=options["only"], base_dir=options["base_dir"], force=options["force"], stdout=self.stdout
            )
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        # The CV rules are content defined in code (market/cv_rules_catalogue.py) that names countries and regions.
        rules = cv_rules_ensure()
        self.stdout.write(
            _("CV rules: %(written)d written, %(deleted)d removed")
            % {"written": rules.written, "deleted": rules.deleted}
        )
        if rules.missing_scopes:
            self.stdout.write(
                _("CV rules not written for %(scopes)s: load cldr_countries first.")
                % {"scopes": ", ".join(rules.missing_scopes)}
            )
        loaded = [result for result in results if not result.skipped]
        self.stdout.write(
            self.style.SUCCESS(
                _("%(loaded)d data sets loaded, %(skipped)d unchanged, %(seconds).1f s")
                % {
                    "loaded": len(loaded),
                    "skipped": len(results) - len(loaded),
                    "seconds": sum(result.elapsed_s for result in results),
                }
            )
        )
