"""`manage.py train salary [--promote]`: fit, evaluate on held-out data, save a candidate, optionally promote."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

MODEL_CARD = Path(settings.BASE_DIR) / "docs" / "model-card.md"


class Command(BaseCommand):
    help = "Train a prediction model, evaluate it on held-out data and save it as a candidate version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=["salary"])
        parser.add_argument("--promote", action="store_true", help="Promote if it beats the champion.")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--no-model-card", action="store_true", help="Do not rewrite docs/model-card.md.")

    def handle(self, *args: object, **options: object) -> None:
        from predictions import salary
        from predictions.reference import market_reference
        from predictions.registry import model_promote, model_save

        seed = options["seed"] if options["seed"] is not None else salary.SEED
        reference = market_reference()
        rows = salary.survey_rows_load()
        if not rows:
            raise CommandError("No salary survey rows: run `manage.py load_reference_data` first.")
        self.stdout.write(f"salary: {len(rows):,} survey rows")
        run = salary.salary_train(rows, reference=reference, seed=seed, progress=self.stdout.write)
        version = model_save(
            kind="salary",
            artifact=run.model.artifact_dumps(),
            metrics=run.metrics,
            params=run.model.params,
            feature_names=run.model.feature_names,
            data_fingerprint=run.data_fingerprint,
            training_seconds=run.training_seconds,
        )
        self.stdout.write(salary.salary_metrics_table(run.metrics))
        self.stdout.write(f"targets: {run.metrics['targets']}")
        self.stdout.write(f"saved {version} in {run.training_seconds:.1f} s")
        if options["promote"]:
            result = model_promote(
                candidate=version,
                champion_rescore=lambda champion: salary.salary_test_mae(
                    champion.artifact, run.split, reference=reference
                ),
            )
            style = self.style.SUCCESS if result.promoted else self.style.WARNING
            self.stdout.write(style(f"promotion: {'promoted' if result.promoted else 'refused'} ({result.reason})"))
        if not options["no_model_card"]:
            MODEL_CARD.write_text(
                salary.salary_model_card(run.metrics, version=version.version, params=run.model.params),
                encoding="utf-8",
            )
            self.stdout.write(f"wrote {MODEL_CARD.relative_to(settings.BASE_DIR)}")
