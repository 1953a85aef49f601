"""How the served salary recipe's fixed shape and drift handling were chosen: `.venv/bin/python bench/salary_recipes.py`
(with the development database's survey rows loaded: `manage.py load_reference_data`).

Prints the P50 MAE of every shape x drift mode on the rolling-origin backtest (predictions.salary.training), per test
year and the mean. The recipe in predictions.salary.recipe keeps the lowest mean; docs/model-card.md quotes the table.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")

SHAPES = (
    (7, 40, 150),
    (7, 40, 300),
    (7, 40, 600),
    (15, 40, 300),
    (4, 40, 400),
    (7, 80, 300),
    (7, 20, 300),
    (15, 80, 300),
)


def main() -> None:
    import django

    django.setup()
    from predictions.reference import market_reference
    from predictions.salary.data import survey_rows_load
    from predictions.salary.recipe import SERVED_RECIPE
    from predictions.salary.training import backtest_build, drift_comparison

    reference, backtest = market_reference(), backtest_build(survey_rows_load())
    years = [str(fold.year) for fold in backtest.folds]
    print(f"| leaves, min rows per leaf, rounds | drift | {' | '.join(years)} | mean |")
    for leaves, min_rows, rounds in SHAPES:
        recipe = replace(
            SERVED_RECIPE,
            num_leaves=leaves,
            min_data_in_leaf=min_rows,
            rounds=dict.fromkeys(("p10", "p50", "p90"), rounds),
        )
        for mode, figures in drift_comparison(recipe, backtest, reference=reference).items():
            cells = " | ".join(f"${figures[key]['mae_usd']:,.0f}" for key in (*years, "mean"))
            print(f"| {leaves}, {min_rows}, {rounds} | {mode} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
