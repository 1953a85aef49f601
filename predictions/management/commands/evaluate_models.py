"""`manage.py evaluate_models [--only salary,time_to_hire,interview] [--seed N] [--output-dir docs/]`: run each
model's evaluation for real and write the model card, its calibration plot and interval-coverage table."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Evaluate every model on held-out data and write docs/model-card.md and docs/model-card-calibration.png."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", default="salary,time_to_hire,interview", help="comma-separated kinds to evaluate")
        parser.add_argument("--seed", type=int, default=None, help="one seed for every model (default: each its own)")
        parser.add_argument("--output-dir", type=Path, default=Path(settings.BASE_DIR) / "docs")

    def handle(self, *args: object, **options: object) -> None:
        from predictions.evaluation.report import evaluation_run, git_commit, model_card_write

        kinds = [kind.strip() for kind in str(options["only"]).split(",") if kind.strip()]
        try:
            sections = evaluation_run(kinds=kinds, seed=options["seed"], progress=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        card, plot = model_card_write(
            sections, output_dir=options["output_dir"], seed=options["seed"], commit=git_commit()
        )
        for section in sections:
            if section.skipped:
                self.stdout.write(self.style.WARNING(f"{section.kind}: not evaluated ({section.skipped})"))
            else:
                self.stdout.write(self.style.SUCCESS(f"{section.kind}: evaluated in {section.seconds:,.1f} s"))
        self.stdout.write(f"wrote {card} and {plot}")
