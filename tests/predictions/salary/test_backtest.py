"""The rolling-origin backtest, the model served from a refit through the newest year, promotion on the backtest, the
drift handling and the BLS fallback routing.

Every survey row here is SIMULATED (tests.predictions.test_salary.simulated_rows): the tests prove the pipeline, and
their numbers are never accuracy.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

import numpy as np
import pytest

from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import champion_get, model_cache_clear, model_promote
from predictions.salary.data import SurveyRow
from predictions.salary.evaluation import served_predict_rows
from predictions.salary.fallback import FallbackCalibration
from predictions.salary.model import PROMOTION_METRIC as SALARY_METRIC
from predictions.salary.model import SalaryModel
from predictions.salary.recipe import SERVED_RECIPE, log_growth_per_year
from predictions.salary.training import backtest_build, salary_test_mae, salary_train
from tests.predictions.salary.test_salary import TINY_BUDGET, save, simulated_reference, simulated_rows


@pytest.fixture(scope="module")
def backtest_run():
    return salary_train(simulated_rows(), reference=simulated_reference(), budget=TINY_BUDGET, full_report=True)


def test_it_derives_the_folds_from_the_data_and_trains_each_only_on_earlier_years() -> None:
    rows = [replace(row, work_year=row.work_year - 3) for row in simulated_rows()]  # SIMULATED years 2017-2020
    backtest = backtest_build(rows)
    assert [fold.year for fold in backtest.folds] == [2019, 2020]
    for fold in backtest.folds:
        assert {r.work_year for r in fold.train} == set(range(2017, fold.year))
        assert {r.work_year for r in fold.test} == {fold.year}
        assert len(fold.train) == sum(1 for r in backtest.rows if r.work_year < fold.year)


def test_it_deduplicates_before_splitting_so_no_identical_row_is_on_both_sides() -> None:
    rows = simulated_rows()
    # The same published row dated in a training year and again in a test year: removed before any fold is built.
    first = replace(rows[0], work_year=2021)
    copy = replace(rows[0], id=10_000, work_year=2023)
    backtest = backtest_build([first, copy, *rows[1:]])
    assert backtest.rows_before_dedup == len(rows) + 1
    assert len(backtest.rows) == len({r.duplicate_key for r in rows})
    for fold in backtest.folds:
        train_keys = {r.duplicate_key for r in fold.train}
        assert train_keys.isdisjoint({r.duplicate_key for r in fold.test})
    assert copy.id not in {r.id for fold in backtest.folds for r in fold.test}


def test_it_serves_a_champion_refit_through_the_newest_year_calibrated_on_it(db, backtest_run) -> None:
    newest = max(r.work_year for r in simulated_rows())
    model_cache_clear()
    assert model_promote(candidate=save(backtest_run), metric=SALARY_METRIC).promoted
    champion = champion_get("salary", load=KINDS["salary"].load)
    assert newest in champion.model.params["training_years"]
    assert champion.model.latest_work_year == newest
    assert champion.model.params["calibration"] == f"out_of_time:{newest}"
    assert champion.model.margins == backtest_run.model.margins
    model_cache_clear()


def test_it_reports_every_year_and_the_mean_for_every_method(backtest_run) -> None:
    report = backtest_run.metrics["backtest"]
    assert list(report["years"]) == ["2022", "2023"]
    methods = {"candidate", "group_median_min1", "group_median_min5", "linear_ridge", "previous_champion"}
    for entry in report["years"].values():
        assert methods <= set(entry)
    for name in methods:
        per_year = [report["years"][year][name]["mae_usd"] for year in ("2022", "2023")]
        assert report["mean"][name]["mae_usd"] == pytest.approx(sum(per_year) / 2)
    assert backtest_run.metrics["test"]["mae_usd"] == report["mean"]["candidate"]["mae_usd"]
    assert set(backtest_run.metrics["drift_comparison"]) == {"year_feature", "recency", "trend", "trend_recency"}


def test_it_rescores_a_champion_by_rerunning_its_recipe_on_the_same_backtest(backtest_run) -> None:
    rescored = salary_test_mae(backtest_run.model.artifact_dumps(), backtest_run.split, reference=simulated_reference())
    assert rescored == pytest.approx(backtest_run.metrics["test"]["mae_usd"])


def test_it_compares_candidate_and_champion_on_the_candidates_backtest(db, backtest_run) -> None:
    champion = save(backtest_run)
    assert model_promote(candidate=champion, metric=SALARY_METRIC).promoted
    same = save(backtest_run)  # same folds, same recipe: equal, so refused without re-running anything
    result = model_promote(candidate=same, metric=SALARY_METRIC)
    assert not result.promoted
    assert result.champion_score == backtest_run.metrics["test"]["mae_usd"]
    other = save(backtest_run)
    ModelVersion.objects.filter(pk=other.pk).update(metrics={**backtest_run.metrics, "test_fingerprint": "b" * 64})
    other.refresh_from_db()
    calls = []

    def rescore(version: ModelVersion) -> float:
        calls.append(version.pk)
        return salary_test_mae(version.artifact, backtest_run.split, reference=simulated_reference())

    assert not model_promote(candidate=other, metric=SALARY_METRIC, champion_rescore=rescore).promoted
    assert calls == [champion.pk]


def test_it_measures_like_for_like_growth() -> None:
    rows = simulated_rows(n=4000, seed=11)  # SIMULATED: pay grows 4 % a year inside every group
    assert log_growth_per_year(rows) == pytest.approx(math.log(1.04), abs=0.03)
    flat = [replace(r, salary_usd=100_000 + r.id % 7) for r in rows]
    assert log_growth_per_year(flat) == pytest.approx(0.0, abs=1e-3)


def test_it_adds_the_trend_for_one_unseen_year_at_most(backtest_run) -> None:
    model = backtest_run.model
    growth = model.params["trend"]["log_growth"]
    year_column = model.feature_names.index("work_year")
    features = np.zeros((3, len(model.feature_names)))
    features[:, year_column] = [model.latest_work_year, model.latest_work_year + 1, model.latest_work_year + 5]
    assert model.trend_shift(features).tolist() == pytest.approx([0.0, growth, growth])


def _row(i: int, title: str, year: int = 2023) -> SurveyRow:
    key = hashlib.sha256(f"{i}".encode()).hexdigest()
    return SurveyRow(i, "aijobs", year, "SE", "FT", title, 150_000, "US", 0, "US", "M", key)


def test_it_routes_to_the_fallback_only_uncovered_occupations_and_those_it_measured_better(backtest_run) -> None:
    model = backtest_run.model
    nurse_reference = simulated_reference()
    nurse_reference.title_occupations["registered nurse"] = ("29-1141.00", "29-1141")
    nurse_reference.bls_national["29-1141"] = (66000.0, 78000.0, 93000.0, 112000.0, 135000.0)  # SIMULATED
    assert model.fallback is not None
    assert model.routes_to_fallback("29-1141", "Registered Nurse")  # no survey row
    assert not model.routes_to_fallback("15-2051", "Data Scientist")  # covered, and the fallback did not win
    assert not model.routes_to_fallback(None, "Xyzzy Wrangler")
    measured_better = replace(model, fallback_socs=("15-2051",))
    assert measured_better.routes_to_fallback("15-2051", "Data Scientist")
    assert not replace(model, fallback=None).routes_to_fallback("29-1141", "Registered Nurse")
    rows = [_row(1, "Data Scientist"), _row(2, "Registered Nurse"), _row(3, "Data Engineer")]
    *_, methods, _ = served_predict_rows(measured_better, rows, reference=nurse_reference)
    assert methods.tolist() == ["bls_fallback", "bls_fallback", "model"]


def test_it_keeps_the_old_routing_for_an_artifact_saved_before_the_backtest(backtest_run) -> None:
    legacy = SalaryModel(
        boosters=backtest_run.model.boosters,
        vocabulary=backtest_run.model.vocabulary,
        margins={"global": 0.0},
        calibration_rows={},
        params={"seed": 1},
        latest_work_year=2022,
        covered_socs={"15-2051": 19, "15-1243": 20},
        fallback=FallbackCalibration(),
    )
    loaded = SalaryModel.artifact_loads(legacy.artifact_dumps())
    assert loaded.routes_to_fallback("15-2051", "Head Of Data Science")  # under 20 rows, not a frequent title
    assert not loaded.routes_to_fallback("15-1243", "Data Engineer")


def test_it_reports_rows_answered_and_mae_per_method(backtest_run) -> None:
    for entry in backtest_run.metrics["backtest"]["years"].values():
        by_method = entry["candidate"]["by_method"]
        assert sum(m["rows"] for m in by_method.values()) == entry["test_rows"]
    routing = backtest_run.metrics["routing"]
    assert routing["served_fallback_socs"] == list(backtest_run.model.fallback_socs)
    assert SERVED_RECIPE.to_json()["drift"] == backtest_run.metrics["recipe"]["drift"]
