"""Salary model pipeline: dedup before split, the temporal split, training, registry promotion and prediction.

Every row here is SIMULATED (a seeded generator with a known structure): these tests prove the pipeline works, and
their numbers are never accuracy.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pytest

from predictions import reference as reference_module
from predictions.features import MarketReference, category_vocabulary_build, salary_feature_matrix
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import champion_get, model_cache_clear, model_promote, model_save
from predictions.salary.data import SurveyRow, salary_split, survey_rows_deduplicate
from predictions.salary.model import SalaryModel, salary_fit, salary_tune
from predictions.salary.serving import salary_predict
from predictions.salary.training import salary_train
from predictions.tuning import TuningBudget, group_kfold

TITLES = {"Data Scientist": 1.0, "Data Engineer": 0.95, "Security Analyst": 0.8, "Data Analyst": 0.7}
COUNTRIES = {"US": 1.0, "CA": 0.8, "DE": 0.6, "GB": 0.65, "IN": 0.25, "BR": 0.3}
EXPERIENCE = {"EN": 0.7, "MI": 0.9, "SE": 1.15, "EX": 1.5}
TINY_BUDGET = TuningBudget(trials=2, seconds=120)


def simulated_reference() -> MarketReference:
    return MarketReference(
        title_occupations={
            "data scientist": ("15-2051.00", "15-2051"),
            "data engineer": ("15-1243.00", "15-1243"),
            "security analyst": ("15-1212.00", "15-1212"),
            "data analyst": ("15-2041.00", "15-2041"),
        },
        country_regions={"US": "NA", "CA": "NA", "DE": "EU", "GB": "EU", "IN": "APAC", "BR": None},
        bls_national={
            "15-2051": (60000.0, 80000.0, 110000.0, 150000.0, 190000.0),
            "15-1243": (70000.0, 95000.0, 130000.0, 170000.0, 200000.0),
            "15-1212": (65000.0, 85000.0, 120000.0, 160000.0, 190000.0),
            "15-2041": (55000.0, 75000.0, 100000.0, 135000.0, 170000.0),
        },
    )


def simulated_rows(n: int = 900, seed: int = 7) -> list[SurveyRow]:
    """SIMULATED survey rows: log salary = structure + noise, 2020-2023, with every 10th row duplicated."""
    rng = np.random.default_rng(seed)
    rows: list[SurveyRow] = []
    for i in range(n):
        title = rng.choice(list(TITLES))
        country = rng.choice(list(COUNTRIES), p=[0.6, 0.1, 0.1, 0.1, 0.05, 0.05])
        level = rng.choice(list(EXPERIENCE))
        year = int(rng.choice([2020, 2021, 2022, 2023], p=[0.15, 0.2, 0.3, 0.35]))
        salary = 120000 * TITLES[title] * COUNTRIES[country] * EXPERIENCE[level] * (1.04 ** (year - 2020))
        salary *= float(np.exp(rng.normal(0, 0.2)))
        values = (year, level, "FT", str(title), int(salary), str(country), 0, str(country), "M")
        key = hashlib.sha256(repr(values).encode()).hexdigest()
        row = SurveyRow(
            i + 1, "aijobs", year, level, "FT", str(title), int(salary), str(country), 0, str(country), "M", key
        )
        rows.append(row)
    duplicates = [replace(row, id=n + 1 + j, source="infosec") for j, row in enumerate(rows[::10])]
    return rows + duplicates


@pytest.fixture(scope="module")
def simulated_run():
    return salary_train(simulated_rows(), reference=simulated_reference(), budget=TINY_BUDGET)


@pytest.fixture
def simulated_reference_loaded(monkeypatch) -> MarketReference:
    reference = simulated_reference()
    monkeypatch.setattr(reference_module, "_cached", reference)
    model_cache_clear()
    yield reference
    model_cache_clear()


def save(run, *, mae: float | None = None, fingerprint: str | None = None) -> ModelVersion:
    metrics = dict(run.metrics)
    metrics["test"] = dict(metrics["test"], mae_usd=mae if mae is not None else metrics["test"]["mae_usd"])
    if fingerprint is not None:
        metrics["test_fingerprint"] = fingerprint
    return model_save(
        kind="salary",
        artifact=run.model.artifact_dumps(),
        metrics=metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
    )


def test_it_collapses_duplicates_before_splitting_so_none_straddle_train_and_test() -> None:
    rows = simulated_rows()
    # A published duplicate whose copy is dated a year later would leak if the split came first.
    leaked = replace(rows[0], id=10_000, work_year=2023)
    first = replace(rows[0], work_year=2022)
    split = salary_split([first, leaked, *rows[1:]])
    train_keys = {r.duplicate_key for r in split.train + split.validation}
    test_keys = {r.duplicate_key for r in split.test}
    assert train_keys.isdisjoint(test_keys)
    unique = survey_rows_deduplicate(rows)
    assert len(unique) == len({r.duplicate_key for r in rows}) == 900
    assert [r.id for r in unique] == sorted(r.id for r in unique) == list(range(1, 901))
    assert split.rows_before_dedup == len(rows) + 1
    assert split.rows_after_dedup == 900


def test_it_splits_by_year_with_the_validation_slice_inside_the_last_training_year() -> None:
    split = salary_split(simulated_rows())
    assert {r.work_year for r in split.train} == {2020, 2021, 2022}
    assert {r.work_year for r in split.validation} == {2022}
    assert {r.work_year for r in split.test} == {2023}
    assert len(split.train) + len(split.validation) + len(split.test) == split.rows_after_dedup
    assert split.counts() == salary_split(simulated_rows()).counts()  # seeded


def test_it_trains_end_to_end_on_simulated_rows_with_one_thread_and_saves_a_candidate(db, simulated_run) -> None:
    version = save(simulated_run)
    stored = ModelVersion.objects.get(pk=version.pk)
    assert (stored.kind, stored.scope, stored.status, stored.version) == ("salary", "global", "candidate", 1)
    assert stored.params["num_threads"] == 1
    assert stored.params["calibration"] == "out_of_time:2023"
    assert len(stored.data_fingerprint) == 64
    assert stored.metrics["split"]["folds"]["2023"]["test"] == len(simulated_run.split.folds[-1].test)
    assert {"candidate", "group_median_min1", "group_median_min5", "linear_ridge"} <= set(
        stored.metrics["backtest"]["years"]["2023"]
    )
    loaded = SalaryModel.artifact_loads(stored.artifact)
    assert loaded.feature_names == stored.feature_names
    assert set(loaded.boosters) == {"p10", "p50", "p90"}


def test_it_promotes_the_first_candidate_then_refuses_a_worse_one_on_the_same_rows(db, simulated_run) -> None:
    first = save(simulated_run, mae=10000)
    assert model_promote(candidate=first, metric="mae_usd").promoted
    worse = save(simulated_run, mae=10001)
    result = model_promote(candidate=worse, metric="mae_usd")
    assert not result.promoted
    assert (result.candidate_score, result.champion_score) == (10001, 10000)
    assert ModelVersion.objects.get(pk=first.pk).status == "champion"
    assert ModelVersion.objects.get(pk=worse.pk).status == "candidate"


def test_it_promotes_a_better_candidate_and_archives_the_old_champion(db, simulated_run) -> None:
    first = save(simulated_run, mae=10000)
    model_promote(candidate=first, metric="mae_usd")
    better = save(simulated_run, mae=9000)
    assert model_promote(candidate=better, metric="mae_usd").promoted
    assert ModelVersion.objects.get(pk=first.pk).status == "archived"
    assert ModelVersion.objects.get(pk=better.pk).status == "champion"


def test_it_rescores_the_champion_when_the_held_out_rows_differ(db, simulated_run) -> None:
    first = save(simulated_run, mae=10000, fingerprint="a" * 64)
    model_promote(candidate=first, metric="mae_usd")
    other_rows = save(simulated_run, mae=9000, fingerprint="b" * 64)
    assert not model_promote(candidate=other_rows, metric="mae_usd").promoted  # not comparable without re-scoring
    result = model_promote(candidate=other_rows, metric="mae_usd", champion_rescore=lambda champion: 8500.0)
    assert not result.promoted
    assert result.champion_score == 8500.0
    assert model_promote(candidate=other_rows, metric="mae_usd", champion_rescore=lambda champion: 9500.0).promoted


def test_it_predicts_an_ordered_interval_with_the_model_version(db, simulated_run, simulated_reference_loaded) -> None:
    version = save(simulated_run)
    model_promote(candidate=version, metric="mae_usd")
    result = salary_predict(
        title="Data Scientist",
        experience_level="SE",
        employment_type="FT",
        remote_ratio=0,
        company_size="M",
        company_country="US",
    )
    assert result["salary_p10_usd"] <= result["salary_p50_usd"] <= result["salary_p90_usd"]
    assert result["model_version_id"] == version.pk
    assert result["title_match"] == "exact"
    assert result["occupation_soc_code"] == "15-2051"
    assert result["factors"]
    assert all({"factor", "label", "effect_usd"} <= set(f) for f in result["factors"])
    assert champion_get("salary", load=KINDS["salary"].load).version.pk == version.pk


def test_it_flags_an_unknown_title_as_low_confidence_with_the_reason(
    db, simulated_run, simulated_reference_loaded
) -> None:
    model_promote(candidate=save(simulated_run), metric=KINDS["salary"].metric)
    result = salary_predict(
        title="Xyzzy Wrangler",
        experience_level="MI",
        employment_type="FT",
        remote_ratio=100,
        company_size="S",
        company_country="DE",
    )
    assert result["low_confidence"] is True
    assert "unknown_title" in [reason["code"] for reason in result["low_confidence_reasons"]]
    assert result["salary_p10_usd"] <= result["salary_p50_usd"] <= result["salary_p90_usd"]


def test_it_keeps_every_duplicate_group_inside_one_cv_fold() -> None:
    groups = [f"g{i % 37}" for i in range(300)]
    folds = group_kfold(groups, n_splits=5, seed=3)
    held = np.concatenate([held for _, held in folds])
    assert sorted(held.tolist()) == list(range(300))  # every row is held out exactly once
    for train_index, held_index in folds:
        assert {groups[i] for i in train_index}.isdisjoint({groups[i] for i in held_index})
    assert [h.tolist() for _, h in folds] == [h.tolist() for _, h in group_kfold(groups, n_splits=5, seed=3)]


def test_it_tunes_within_the_trial_budget_and_repeats_itself_with_the_same_seed() -> None:
    rows = salary_split(simulated_rows(n=400)).train  # SIMULATED training rows only
    reference = simulated_reference()
    vocabulary = category_vocabulary_build(r.as_input() for r in rows)
    x = salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=vocabulary)
    budget = TuningBudget(trials=4, seconds=300)
    first = salary_tune(rows, x, seed=11, budget=budget, folds=3)
    second = salary_tune(rows, x, seed=11, budget=budget, folds=3)
    assert first.trials == 4
    assert first.stopped_by == "trials"
    assert len(first.history) == 4
    assert first.best_params == second.best_params
    assert first.best_cv == second.best_cv
    assert len(first.best_cv.fold_scores) == 3
    assert first.best_params["num_threads"] == 1


def test_it_records_the_tuning_summary_of_the_previous_champions_recipe() -> None:
    _, tuning_result = salary_fit(salary_split(simulated_rows()), reference=simulated_reference(), budget=TINY_BUDGET)
    tuning = tuning_result.summary()
    assert tuning["trials"] == TINY_BUDGET.trials
    assert tuning["cv_score_mean"] > 0
    assert {"num_leaves", "min_data_in_leaf"} <= set(tuning["best_params"])


def test_it_rejects_an_empty_budget_naming_the_field() -> None:
    with pytest.raises(ValueError, match="trials"):
        TuningBudget(trials=0, seconds=10)
