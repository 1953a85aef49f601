"""`manage.py build_keyword_databases [--force]`: build every industry's keyword database as a new version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from market.keyword_databases import KeywordDatabaseError, keyword_databases_build


class Command(BaseCommand):
    help = (
        "Build every industry's keyword database (skills, titles, task words, synonym groups) from the loaded O*NET, "
        "ESCO and BLS data as a new version; skipped when the sources have not changed, unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Build even if the sources are unchanged.")

    def handle(self, *args: object, force: bool, **options: object) -> None:
        try:
            summary = keyword_databases_build(force=force)
        except KeywordDatabaseError as error:
            raise CommandError(str(error)) from None
        if summary is None:
            self.stdout.write("keyword databases: current version is up to date (use --force to rebuild)")
            return
        self.stdout.write(f"keyword databases v{summary.version} built in {summary.seconds:.1f} s: {summary.counts}")
        for code, counts in summary.per_industry.items():
            self.stdout.write(f"  {code:<28} {counts}")
