"""`manage.py train <model> [--promote] [--tenant SCHEMA]`: fit, evaluate on held-out data, save a candidate,
optionally promote. The model card (docs/model-card.md) is written by `manage.py evaluate_models`, which evaluates
every model together; `--model-card PATH` writes this model's section alone."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Train a prediction model, evaluate it on held-out data and save it as a candidate version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=["salary", "time_to_hire", "interview"])
        parser.add_argument("--tenant", default=None, help="Tenant schema: train on its own outcomes (tenant scope).")
        parser.add_argument("--promote", action="store_true", help="Promote if it beats the champion.")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--model-card", default=None, help="Also write this model's card section to this path.")

    def handle(self, *args: object, **options: object) -> None:
        from contextlib import nullcontext

        from django_tenants.utils import schema_context

        from predictions.errors import TrainingDataMissing
        from predictions.training import model_train

        tenant = options["tenant"]
        try:
            with schema_context(tenant) if tenant else nullcontext():
                summary = model_train(
                    options["model"],
                    promote=options["promote"],
                    scope="tenant" if tenant else "global",
                    seed=options["seed"],
                    progress=self.stdout.write,
                )
        except TrainingDataMissing as error:
            raise CommandError(str(error)) from error  # the message names the kind and what to do
        if summary.promotion_requested:
            style = self.style.SUCCESS if summary.promoted else self.style.WARNING
            self.stdout.write(style(f"promoted v{summary.version}" if summary.promoted else "kept the champion"))
        if summary.model_card and options["model_card"]:
            Path(options["model_card"]).write_text(summary.model_card, encoding="utf-8")
            self.stdout.write(f"wrote {options['model_card']}")
