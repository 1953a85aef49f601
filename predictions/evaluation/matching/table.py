"""The evaluation report as plain-text tables: one row per language, then one per industry. A metric with a target
from the issue shows it and PASS or MISS beside the value; "—" means nothing to measure in that row."""

from __future__ import annotations

from predictions.evaluation.matching.runner import target_for

COLUMNS: tuple[tuple[str, str], ...] = (
    ("skills_precision", "skill P"),
    ("skills_recall", "skill R"),
    ("requirements_precision", "req P"),
    ("requirements_recall", "req R"),
    ("title_accuracy", "title→occ"),
    ("industry_accuracy", "industry"),
    ("years_accuracy", "years±1"),
    ("spearman", "Spearman"),
)


def cell(value: float | None, target: float | None) -> str:
    if value is None:
        return "—"
    if target is None:
        return f"{value:.2f}"
    verdict = "PASS" if value >= target else "MISS"
    return f"{value:.2f} {verdict} ≥{target:g}"


def _rows(groups: dict[str, dict], *, per_language: bool) -> list[list[str]]:
    rows = []
    for name, metrics in groups.items():
        row = [name, str(metrics["documents"]), str(metrics["pairs"])]
        for key, _label in COLUMNS:
            target = target_for(key, name if per_language else "other")
            row.append(cell(metrics[key], target))
        rows.append(row)
    return rows


def _render(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(line[column]) for line in [header, *rows]) for column in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return lines


def report_table(report: dict) -> str:
    """Both tables and the cross-language line, ready to print."""
    header = ["language", "docs", "pairs", *(label for _key, label in COLUMNS)]
    lines = [
        f"Matching evaluation (split: {report['split']}, scorer {report['scorer_version']}, "
        f"'Present' read as {report['evaluation_date']})",
        "",
    ]
    lines += _render(header, _rows(report["by_language"], per_language=True))
    lines.append("")
    lines += _render(["industry", *header[1:]], _rows(report["by_industry"], per_language=False))
    cross = report["cross_language_pairs"]
    lines += [
        "",
        f"cross-language pairs: {cross['pairs']}, Spearman {cell(cross['spearman'], target_for('spearman', 'other'))}",
        "skill P/R: CVs and postings; req P/R: postings' must-have and nice-to-have phrases; title→occ: first title "
        "of each document; industry: postings; years±1: CVs; Spearman: match score vs judged fit, by posting.",
    ]
    return "\n".join(lines)
