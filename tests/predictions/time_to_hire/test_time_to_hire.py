"""Time-to-hire pipeline: cleaning, the split by vacancy, training, registry, serving and the tenant's own model.

Rows built here are SIMULATED (a seeded generator with a known structure): they prove the pipeline works and their
numbers are never accuracy. Only the split test reads the real GSA file, and it asserts structure, not scores.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from predictions import reference as reference_module
from predictions.errors import NoTimeToHireModel
from predictions.features import MarketReference
from predictions.kinds import KINDS
from predictions.registry import champion_get, model_cache_clear, model_promote, model_save
from predictions.time_to_hire import repeated as repeated_module
from predictions.time_to_hire.card import time_to_hire_model_card
from predictions.time_to_hire.data import (
    FEATURE_NAMES,
    SEEKER_FEATURES,
    GsaRow,
    TimeToHireInput,
    features_only,
    features_without,
    gsa_rows_clean,
    gsa_rows_load,
    opm_series_family,
    soc_family,
    time_to_hire_feature_matrix,
    time_to_hire_split,
)
from predictions.time_to_hire.evaluation import time_to_hire_test_mae
from predictions.time_to_hire.model import TimeToHireModel
from predictions.time_to_hire.repeated import time_to_hire_repeated_cv
from predictions.time_to_hire.serving import time_to_hire_predict, time_to_hire_predict_batch
from predictions.time_to_hire.tenant import MIN_TENANT_DURATIONS, tenant_durations_collect, time_to_hire_train_tenant
from predictions.time_to_hire.training import time_to_hire_train
from tenants.context import NotInTenantSchema
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application, ApplicationEvent, Stage

BUDGET = {"trials": 3, "tuning_seconds": 30.0, "folds": 3, "max_rounds": 150}
FAMILY_SERIES = {"0301A": 30.0, "1102B": 45.0, "0560": 35.0, "2210A": 55.0, "0810": 50.0}
STATES = {"Fort Worth, TX": 0.0, "Washington DC Metro Area, DC": 12.0, "Denver, CO": -6.0}
TITLES = {
    "contract specialist": ("13-1023.00", "13-1023"),
    "budget analyst": ("13-2031.00", "13-2031"),
    "software developer": ("15-1252.00", "15-1252"),
    "civil engineer": ("17-2051.00", "17-2051"),
}


def simulated_gsa_rows(vacancies: int = 260, seed: int = 11) -> list[GsaRow]:
    """SIMULATED vacancies of 1-4 rows: days = family base + state effect + 0.15 x applicants + 0.5 x days the posting
    is open + noise."""
    rng = np.random.default_rng(seed)
    rows: list[GsaRow] = []
    for vacancy in range(vacancies):
        series = str(rng.choice(list(FAMILY_SERIES)))
        location = str(rng.choice(list(STATES)))
        applicants = int(rng.integers(1, 200))
        opened = date(2006, 1, 1) + timedelta(days=int(rng.integers(0, 1000)))
        open_days = int(rng.choice([5, 14, 30]))
        closed = opened + timedelta(days=open_days)
        days = FAMILY_SERIES[series] + STATES[location] + 0.15 * applicants + 0.5 * open_days + rng.normal(0, 6)
        for _ in range(int(rng.integers(1, 5))):
            offered = closed + timedelta(days=max(0, round(days + rng.normal(0, 2))))
            n = len(rows) + 1
            rows.append(GsaRow(n, f"V{vacancy}", series, location, applicants, opened, closed, offered, f"k{n}"))
    return rows


def simulated_reference() -> MarketReference:
    return MarketReference(title_occupations=TITLES, country_regions={"US": "NA"}, bls_national={})


@pytest.fixture(scope="module")
def simulated_run():
    return time_to_hire_train(simulated_gsa_rows(), seed=5, **BUDGET)


@pytest.fixture
def reference_loaded(monkeypatch):
    monkeypatch.setattr(reference_module, "_cached", simulated_reference())
    model_cache_clear()
    yield
    model_cache_clear()


def save(run, *, scope: str = "global"):
    return model_save(
        kind="time_to_hire",
        scope=scope,
        artifact=run.model.artifact_dumps(),
        metrics=run.metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
    )


@pytest.fixture
def global_champion(db, simulated_run, reference_loaded):
    version = save(simulated_run)
    assert model_promote(candidate=version, metric=KINDS[version.kind].metric).promoted
    return version


def test_it_never_lets_a_real_gsa_vacancy_straddle_train_and_test() -> None:
    rows = gsa_rows_load()
    usable, _ = gsa_rows_clean(rows)
    split = time_to_hire_split(usable, seed=3)
    train_vacancies = {r.group for r in split.train}
    test_vacancies = {r.group for r in split.test}
    assert train_vacancies.isdisjoint(test_vacancies)
    assert len(split.train) + len(split.test) == len(usable)
    assert 0.1 < len(test_vacancies) / len({r.group for r in usable}) < 0.3
    assert time_to_hire_split(usable, seed=3).counts() == split.counts()  # seeded
    assert time_to_hire_split(usable, seed=4).counts() != split.counts()


def test_it_drops_duplicate_missing_negative_and_absurd_timelines_and_counts_them() -> None:
    good = simulated_gsa_rows(vacancies=5)
    base = good[0]
    bad = [
        replace(base, id=1001),  # same row_key: an exact duplicate line
        replace(base, id=1002, row_key="missing", offered_date=None),
        replace(base, id=1003, row_key="negative", offered_date=base.close_date - timedelta(days=1)),
        replace(base, id=1004, row_key="absurd", offered_date=base.close_date + timedelta(days=366)),
        replace(base, id=1005, row_key="edge", offered_date=base.close_date + timedelta(days=365)),
    ]
    usable, dropped = gsa_rows_clean(good + bad)
    assert dropped == {"exact_duplicates": 1, "missing_dates": 1, "offer_before_close": 1, "over_365_days": 1}
    assert {r.id for r in usable} == {r.id for r in good} | {1005}
    assert all(0 <= r.days <= 365 for r in usable)


def test_it_takes_the_posting_window_from_the_open_and_close_dates() -> None:
    row = simulated_gsa_rows(vacancies=1)[0]
    usable, _ = gsa_rows_clean([replace(row, close_date=row.open_date + timedelta(days=21))])
    assert usable[0].item.posting_open_days == 21
    x = time_to_hire_feature_matrix([usable[0].item, TimeToHireInput("administration", "TX", 3)])
    assert x.shape == (2, len(FEATURE_NAMES))
    assert x[0, FEATURE_NAMES.index("posting_open_days")] == 21.0
    assert np.isnan(x[1, FEATURE_NAMES.index("posting_open_days")])


def test_it_keeps_only_the_seeker_fields_when_asked() -> None:
    x = time_to_hire_feature_matrix([TimeToHireInput("administration", "TX", 3, 80, 14)])
    seeker = features_only(x, SEEKER_FEATURES)
    assert [name for name, value in zip(FEATURE_NAMES, seeker[0], strict=True) if np.isnan(value)] == [
        "application_count"
    ]
    assert np.isnan(features_without(x, ["posting_open_days"])[0, FEATURE_NAMES.index("posting_open_days")])
    assert not np.isnan(x).any()  # the input matrix itself is left alone


def test_it_maps_opm_series_and_soc_codes_to_the_same_families() -> None:
    assert opm_series_family("0301AU") == soc_family("43-6014") == "administration"
    assert opm_series_family("560") == "finance_accounting"  # a lost leading zero: 0560 budget analysis
    assert opm_series_family("1102B") == soc_family("13-1023") == "business_contracting"
    assert opm_series_family("2210A") == soc_family("15-1252.00") == "information_technology"
    assert soc_family("13-1071") == opm_series_family("0201D") == "human_resources"  # longest prefix wins
    assert opm_series_family("4749") == "trades_facilities"
    assert opm_series_family("n/a") is None
    assert soc_family(None) is None


def test_it_trains_end_to_end_on_simulated_rows_within_the_tuning_budget(simulated_run) -> None:
    metrics = simulated_run.metrics
    assert metrics["test"]["n"] == len(simulated_run.split.test) > 0
    for case in ("test", "test_without_application_count", "test_seeker_fields", "test_title_state_only"):
        assert set(metrics[case]) == {"n", "mae_days", "median_abs_error_days", "coverage_p10_p90", "median_width_days"}
        assert metrics[case]["n"] == metrics["test"]["n"]
    assert set(metrics["targets"]) == {
        "mae_15pct_below_median",
        "mae_15pct_below_median_without_application_count",
        "mae_15pct_below_median_seeker_fields",
        "mae_15pct_below_median_title_state_only",
    }
    assert set(metrics["baselines"]) == {"global_median", "family_median"}
    assert 1 <= metrics["tuning"]["trials"] <= BUDGET["trials"]
    assert metrics["tuning"]["cv_folds"] == BUDGET["folds"]
    assert metrics["split"]["test_groups"] + metrics["split"]["train_groups"] == 260
    # SIMULATED structure the median cannot see: the pipeline must use it (a wiring check, not accuracy).
    assert metrics["test"]["mae_days"] < metrics["baselines"]["global_median"]["mae_days"]
    assert isinstance(metrics["targets"]["mae_15pct_below_median"], bool)
    band = metrics["improvement_over_global_median"]["with_application_count"]
    global_mae = metrics["baselines"]["global_median"]["mae_days"]
    assert band["improvement_pct"] == pytest.approx(100 * (1 - metrics["test"]["mae_days"] / global_mae))
    assert band["improvement_pct_p5"] <= band["improvement_pct"] <= band["improvement_pct_p95"]
    assert time_to_hire_test_mae(simulated_run.model.artifact_dumps(), simulated_run.split) == pytest.approx(
        metrics["test"]["mae_days"]
    )
    card = time_to_hire_model_card(metrics, version=1, params=simulated_run.model.params)
    assert f"{metrics['test']['mae_days']:.1f}" in card
    assert f"{metrics['test_seeker_fields']['mae_days']:.1f}" in card


@pytest.fixture(scope="module")
def simulated_repeated_cv():
    """A 2 x 2 repeated CV on SIMULATED rows with a tiny budget, recording which vacancies each outer fold's pipeline
    was fitted on and which it was scored on."""
    usable, _ = gsa_rows_clean(simulated_gsa_rows(vacancies=80, seed=21))
    fitted_on: list[set[str]] = []
    scored_on: list[set[str]] = []
    real_fit, real_evaluate = repeated_module.time_to_hire_fit, repeated_module.time_to_hire_evaluate

    def fit(split, **kwargs):
        fitted_on.append({r.group for r in split.train})
        return real_fit(split, **kwargs)

    def evaluate(model, split, *, seed):
        scored_on.append({r.group for r in split.test})
        return real_evaluate(model, split, seed=seed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repeated_module, "time_to_hire_fit", fit)
        patch.setattr(repeated_module, "time_to_hire_evaluate", evaluate)
        report = time_to_hire_repeated_cv(usable, repeats=2, folds=2, seed=4, trials=1, inner_folds=2, max_rounds=30)
    return usable, report, fitted_on, scored_on


def test_it_never_lets_a_vacancy_straddle_an_outer_fold_of_the_repeated_cv(simulated_repeated_cv) -> None:
    usable, report, fitted_on, scored_on = simulated_repeated_cv
    vacancies = {r.group for r in usable}
    assert len(fitted_on) == len(scored_on) == 4
    for train, test in zip(fitted_on, scored_on, strict=True):
        assert train.isdisjoint(test)
        assert train | test == vacancies
    for repeat in (scored_on[:2], scored_on[2:]):  # each repeat holds every vacancy out exactly once
        assert repeat[0].isdisjoint(repeat[1])
        assert repeat[0] | repeat[1] == vacancies
    assert scored_on[0] not in scored_on[2:]  # each repeat is its own shuffle
    assert [(f["repeat"], f["fold"]) for f in report["outer_folds"]] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [f["test_groups"] for f in report["outer_folds"]] == [len(test) for test in scored_on]
    with pytest.raises(ValueError, match="folds"):
        time_to_hire_repeated_cv(usable, folds=1, seed=4)
    with pytest.raises(ValueError, match="repeats"):
        time_to_hire_repeated_cv(usable, repeats=0, seed=4)


def test_it_reports_the_repeated_cv_per_input_case_and_in_the_card(simulated_run, simulated_repeated_cv) -> None:
    usable, report, _, _ = simulated_repeated_cv
    assert (report["repeats"], report["folds"], report["trials"], report["rows"]) == (2, 2, 1, len(usable))
    assert report["groups"] == 80
    assert set(report["cases"]) == {
        "test",
        "test_without_application_count",
        "test_seeker_fields",
        "test_title_state_only",
    }
    assert set(report["baselines"]) == {"global_median", "family_median"}
    for case, m in report["cases"].items():
        assert set(m) == {
            "mae_days",
            "improvement_pct",
            "folds_reaching_target",
            "share_reaching_target",
            "target_met_on_average",
            "coverage_p10_p90",
            "median_width_days",
        }
        folds = report["outer_folds"]
        maes = [f["cases"][case]["mae_days"] for f in folds]
        assert m["mae_days"]["mean"] == pytest.approx(np.mean(maes))
        assert m["mae_days"]["std"] == pytest.approx(np.std(maes, ddof=1))
        gains = [100 * (1 - f["cases"][case]["mae_days"] / f["baselines"]["global_median"]) for f in folds]
        assert m["improvement_pct"]["mean"] == pytest.approx(np.mean(gains))
        assert m["folds_reaching_target"] == sum(gain >= 15 for gain in gains)
        assert m["target_met_on_average"] is bool(np.mean(gains) >= 15)
    metrics = simulated_run.metrics
    plain = time_to_hire_model_card(metrics, version=1, params=simulated_run.model.params)
    assert "more reliable than one split" not in plain  # only when the metrics contain it
    card = time_to_hire_model_card({**metrics, "repeated_cv": report}, version=1, params=simulated_run.model.params)
    assert "### Repeated grouped cross-validation (more reliable than one split)" in card
    mae = report["cases"]["test"]["mae_days"]
    assert f"{mae['mean']:.1f} ± {mae['std']:.1f}" in card
    assert card.count("on average (") == 4


def test_it_round_trips_the_artifact_and_rejects_a_corrupt_one(simulated_run) -> None:
    text = simulated_run.model.artifact_dumps()
    loaded = TimeToHireModel.artifact_loads(text)
    x = np.asarray([[2.0, 43.0, 5.0, 30.0, 14.0], [np.nan, np.nan, 1.0, np.nan, np.nan]])
    for ours, theirs in zip(simulated_run.model.predict_days(x), loaded.predict_days(x), strict=True):
        np.testing.assert_allclose(ours, theirs)
    for corrupt in ("not json", "{}", text.replace("cvplus-time-to-hire-v1", "other"), text[: len(text) // 2]):
        with pytest.raises(ValueError, match="time-to-hire"):
            TimeToHireModel.artifact_loads(corrupt)


def test_it_raises_no_model_when_there_is_no_champion(db, reference_loaded) -> None:
    with pytest.raises(NoTimeToHireModel):
        time_to_hire_predict(title="budget analyst", country="US")


def test_it_predicts_an_ordered_interval_with_the_version_and_factors(global_champion) -> None:
    result = time_to_hire_predict(title="Budget Analyst", country="US", state="DC", application_count=40)
    assert 0 <= result["days_p10"] <= result["days_p50"] <= result["days_p90"]
    assert (result["model_version_id"], result["model_version"]) == (global_champion.pk, global_champion.version)
    assert (result["scope"], result["occupation_family"], result["low_confidence"]) == (
        "global",
        "finance_accounting",
        False,
    )
    assert "2004–2010" in result["source"]
    assert 1 <= len(result["factors"]) <= 3
    assert all(set(f) == {"factor", "label", "effect_days"} for f in result["factors"])


def test_it_serves_the_posting_window_through_the_same_features(global_champion) -> None:
    request = {"title": "Budget Analyst", "country": "US", "state": "TX", "posted_on": date(2026, 3, 1)}
    short, long = (time_to_hire_predict(**request, posting_open_days=days)["days_p50"] for days in (5, 30))
    # SIMULATED rows take 0.5 day per day open: a wiring check that serving passes the window, not accuracy.
    assert long > short


def test_it_flags_an_unknown_title_and_a_country_outside_the_us_as_low_confidence(global_champion) -> None:
    result = time_to_hire_predict(title="Xyzzy Wrangler", country="DE")
    assert result["low_confidence"] is True
    assert [r["code"] for r in result["low_confidence_reasons"]] == ["unknown_title", "outside_us"]
    assert "DE" in result["low_confidence_reasons"][1]["message"]
    assert result["occupation_family"] is None
    assert result["days_p10"] <= result["days_p50"] <= result["days_p90"]


@pytest.mark.parametrize(
    ("field", "request_"),
    [
        ("title", {"title": "  "}),
        ("state", {"title": "budget analyst", "state": "ZZ"}),
        ("country", {"title": "budget analyst", "country": "USA"}),
        ("application_count", {"title": "budget analyst", "application_count": -1}),
        ("posting_open_days", {"title": "budget analyst", "posting_open_days": -3}),
        ("posting_open_days", {"title": "budget analyst", "posting_open_days": "14"}),
    ],
)
def test_it_rejects_malformed_input_naming_the_field(global_champion, field, request_) -> None:
    with pytest.raises(ValidationError) as error:
        time_to_hire_predict(**request_)
    assert list(error.value.message_dict) == [field]


def test_it_answers_a_batch_exactly_as_single_requests(global_champion) -> None:
    posted = date(2026, 3, 1)
    items = [
        {"title": "Contract Specialist", "country": "US", "state": "TX", "application_count": 5, "posted_on": posted},
        {"title": "budget analyst", "state": "DC", "posting_open_days": 30, "posted_on": posted},
        {"title": "software developer", "country": "US", "state": None, "posted_on": posted},
        {"title": "Xyzzy Wrangler", "country": "FR", "application_count": 150, "posted_on": posted},
        {"title": "civil engineer", "posted_on": posted},
    ]
    batch = time_to_hire_predict_batch(items, explain=True)
    assert batch == [time_to_hire_predict(**item) for item in items]
    assert all(row["factors"] == [] for row in time_to_hire_predict_batch(items))


# ---------------------------------------------------------------------------------------------------------------------
# The tenant's own durations
# ---------------------------------------------------------------------------------------------------------------------


def offer_after(owner: User, *, days: float, title: str = "Software Developer", location: str = "Austin, TX"):
    """An application of `owner` that moved applied -> offer `days` later (events and stage kept consistent)."""
    applied = timezone.now() - timedelta(days=400)
    application = ApplicationFactory(
        owner=owner, stage=Stage.APPLIED, stage_changed_at=applied, posting__title=title, posting__location=location
    )
    offered = applied + timedelta(days=days)
    ApplicationEvent.objects.create(
        application=application, from_stage=Stage.APPLIED, to_stage=Stage.OFFER, occurred_at=offered, actor=owner
    )
    Application.objects.filter(pk=application.pk).update(stage=Stage.OFFER, stage_changed_at=offered)
    return application


@pytest.fixture
def owner(cast, db):
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


def test_it_collects_durations_only_from_the_current_tenant(cast, owner) -> None:
    mine = offer_after(owner, days=21)
    offer_after(owner, days=-2)  # an offer before applying: dropped
    ApplicationFactory(owner=owner, stage=Stage.APPLIED)  # still waiting: no duration
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
        offer_after(stranger, days=9)
    with schema_context("alpha"):
        durations = tenant_durations_collect()
    assert [(d.application_id, round(d.days)) for d in durations] == [(mine.pk, 21)]
    with schema_context("beta"):
        assert [round(d.days) for d in tenant_durations_collect()] == [9]


def test_it_refuses_to_collect_durations_on_the_public_schema(db) -> None:
    with pytest.raises(NotInTenantSchema):
        tenant_durations_collect()


def test_it_trains_no_tenant_model_below_the_minimum(owner) -> None:
    for i in range(MIN_TENANT_DURATIONS - 1):
        offer_after(owner, days=10 + i)
    assert time_to_hire_train_tenant(**BUDGET) is None
    assert champion_get("time_to_hire", scope="tenant", load=KINDS["time_to_hire"].load) is None


def test_it_prefers_the_tenants_own_champion_over_the_global_one(cast, owner, global_champion) -> None:
    rng = np.random.default_rng(2)
    for _ in range(MIN_TENANT_DURATIONS + 10):
        title = str(rng.choice(["Software Developer", "Budget Analyst"]))
        offer_after(owner, days=float(rng.uniform(5, 40)), title=title)
    trained = time_to_hire_train_tenant(seed=1, **BUDGET)
    assert trained is not None
    assert trained.promotion.promoted
    assert (trained.version.scope, trained.run.metrics["measured_from"]) == ("tenant", "applied")
    ours = time_to_hire_predict(title="Software Developer", country="US")
    assert (ours["scope"], ours["model_version_id"]) == ("tenant", trained.version.pk)
    assert f"({len(trained.run.split.train)} applied" in ours["source"]  # what the model learnt from
    with schema_context("beta"):
        theirs = time_to_hire_predict(title="Software Developer", country="US")
    assert (theirs["scope"], theirs["model_version_id"]) == ("global", global_champion.pk)
