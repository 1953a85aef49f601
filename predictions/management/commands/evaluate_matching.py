"""`manage.py evaluate_matching [--data-dir data/evaluation] [--split all|tune|check] [--json path]`: measure CV
reading and the CV-to-job match on the labelled set (issue 15) and print the table against the issue's targets."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from predictions.evaluation.matching.dataset import SPLITS


class Command(BaseCommand):
    help = "Evaluate skill, requirement, title and industry extraction and the match score on data/evaluation/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=Path(settings.BASE_DIR) / "data" / "evaluation")
        parser.add_argument(
            "--split",
            choices=SPLITS,
            default="all",
            help="pairs to score: all, or the tuning or checking half (split by posting; see SOURCE.md)",
        )
        parser.add_argument("--json", type=Path, default=None, help="also write the full report as JSON here")

    def handle(self, *args: object, **options: object) -> None:
        from predictions.evaluation.matching.dataset import (
            evaluation_set_check,
            evaluation_set_fingerprint,
            evaluation_set_load,
        )
        from predictions.evaluation.matching.runner import matching_evaluate
        from predictions.evaluation.matching.table import report_table

        directory: Path = options["data_dir"]
        if not (directory / "pairs.yaml").exists():
            raise CommandError(f"{directory} holds no evaluation set (pairs.yaml is missing)")
        dataset = evaluation_set_load(directory)
        problems = evaluation_set_check(dataset)
        if dataset.problems:
            raise CommandError("the evaluation set cannot be read:\n" + "\n".join(dataset.problems))
        for problem in problems:
            self.stderr.write(self.style.WARNING(f"evaluation set: {problem}"))
        report = matching_evaluate(dataset=dataset, split=str(options["split"]), progress=self.stderr.write)
        base = Path(settings.BASE_DIR)
        shown = directory.resolve()
        report["dataset"] = {
            "directory": str(shown.relative_to(base) if shown.is_relative_to(base) else shown),
            "fingerprint": evaluation_set_fingerprint(directory),
            "cvs": len(dataset.of_kind("cv")),
            "postings": len(dataset.of_kind("posting")),
            "pairs": len(dataset.pairs),
            "problems": problems,
        }
        table = report_table(report)
        self.stdout.write(table)
        if "MISS" in table:
            self.stdout.write(
                "Each MISS is explained, with what was tried, in docs/model-card.md, "
                '"The match after issue 15: state on main" (the latest section).'
            )
        if options["json"]:
            path: Path = options["json"]
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {path}")
