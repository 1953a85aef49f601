"""Regenerate fx_usd_from_survey.csv: yearly exchange rates (units of a currency per USD) implied by the survey itself.

The aijobs.net snapshot publishes each salary in its original currency and in USD, converted with one rate per
currency and year; salary / salary_in_usd recovers that rate. The median ratio of a (currency, year) group is kept
(salary_in_usd is rounded to whole dollars, so single ratios scatter by a few parts per 100,000; the spread is written
next to each rate). Standard library only; deterministic, so running it twice writes the same bytes.

    .venv/bin/python data/reference/aijobs_salaries/build_fx.py
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "salaries_snapshot_2023-12-31.csv"
TARGET = HERE / "fx_usd_from_survey.csv"
COLUMNS = ["currency", "work_year", "units_per_usd", "rows", "max_relative_spread"]


def rates(source: Path = SOURCE) -> list[dict[str, object]]:
    ratios: dict[tuple[str, int], list[float]] = {}
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            usd = float(row["salary_in_usd"])
            if usd > 0:
                key = (row["salary_currency"].strip().upper(), int(row["work_year"]))
                ratios.setdefault(key, []).append(float(row["salary"]) / usd)
    out = []
    for (currency, year), values in sorted(ratios.items()):
        median = statistics.median(values)
        out.append(
            {
                "currency": currency,
                "work_year": year,
                "units_per_usd": f"{median:.8g}",
                "rows": len(values),
                "max_relative_spread": f"{(max(values) - min(values)) / median:.2e}",
            }
        )
    return out


def main() -> None:
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rates())


if __name__ == "__main__":
    main()
