"""`manage.py tune_match_weights [--data-dir data/evaluation]`: search the match score's weights on the tune half of
the labelled pairs and print Spearman per language and cross-language on both halves, for the current weights and
the tuned ones (predictions.evaluation.matching.tuning explains the search). Writes nothing: adopting the weights is
an edit of predictions/match/weights.py, decided on the check half."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Tune the match score's weights on the tune half of data/evaluation/ and report both halves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=Path(settings.BASE_DIR) / "data" / "evaluation")

    def handle(self, *args: object, **options: object) -> None:
        from predictions.evaluation.matching.dataset import evaluation_set_load
        from predictions.evaluation.matching.tuning import weights_tune

        directory: Path = options["data_dir"]
        if not (directory / "pairs.yaml").exists():
            raise CommandError(f"{directory} holds no evaluation set (pairs.yaml is missing)")
        dataset = evaluation_set_load(directory)
        if dataset.problems:
            raise CommandError("the evaluation set cannot be read:\n" + "\n".join(dataset.problems))
        report = weights_tune(dataset=dataset, progress=self.stderr.write)
        self.stdout.write(f"untuned: {report['untuned'].describe()}")
        self.stdout.write(f"tuned:   {report['tuned'].describe()}")
        columns = list(next(iter(report["figures"].values())))
        self.stdout.write("weights  half   " + " ".join(f"{column:>8}" for column in columns))
        for (label, half), values in report["figures"].items():
            cells = " ".join("       —" if value is None else f"{value:8.2f}" for value in values.values())
            self.stdout.write(f"{label:8} {half:6} {cells}")
