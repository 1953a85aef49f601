"""Interview / offer probability: censored labels, the calibrated pipeline on SIMULATED data and on the real
campus_placement data, the cold-start prior, the registry, tenant isolation and fail-closed access.

SIMULATED rows come from predictions.interview.simulator (known true probabilities): they prove the pipeline
recovers them and are never accuracy. The campus test checks the real-data pipeline runs beside logistic regression.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from predictions.errors import InsufficientOutcomes
from predictions.interview.campus import campus_evaluate
from predictions.interview.card import interview_model_card
from predictions.interview.features import (
    FACTOR_OF_FEATURE,
    INTERVIEW_FEATURE_NAMES,
    InterviewInput,
    interview_features,
    outcome_labels,
)
from predictions.interview.model import (
    MIN_LABELLED_OUTCOMES,
    InterviewModel,
    interview_predict,
    interview_predict_for,
    interview_train,
)
from predictions.interview.outcomes import OutcomeRow, interview_input_for, interview_outcomes_collect, outcome_counts
from predictions.interview.shrinkage import shrunk_prior_brier
from predictions.interview.simulator import censoring_check, simulate_outcomes, simulator_evaluate
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import champion_get, model_cache_clear, model_promote, model_save
from tests.predictions.interview.published import published_prior
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory
from tracking.models import ApplicationEvent, Stage

AS_OF = datetime(2025, 6, 1, 12, tzinfo=UTC)


def days_ago(days: float, *, now: datetime = AS_OF) -> datetime:
    return now - timedelta(days=days)


@pytest.fixture
def owner(cast, db):
    """Tenant A's owner, with the connection on tenant A's schema for the whole test (rows roll back after it)."""
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


@pytest.fixture
def member(owner, cast) -> User:
    return User.objects.get(email=cast.member_email)


def application_with_history(owner: User, *moves: tuple[str, float], cv=None):
    """An application sent `moves[0][1]` days before now, then moved through the later (stage, days ago) steps."""
    first_stage, first_days = moves[0]
    sent = timezone.now() - timedelta(days=first_days)
    application = ApplicationFactory(owner=owner, stage=first_stage, stage_changed_at=sent, cv=cv)
    previous = first_stage
    for stage, days in moves[1:]:
        at = timezone.now() - timedelta(days=days)
        ApplicationEvent.objects.create(application=application, from_stage=previous, to_stage=stage, occurred_at=at)
        application.stage, application.stage_changed_at, previous = stage, at, stage
    application.save()
    return application


@pytest.fixture(scope="module")
def simulated_rows() -> list[OutcomeRow]:
    """SIMULATED tracked outcomes (300 applications of 30 users over 300 days) for the training pipeline."""
    inputs, _, labels = simulate_outcomes(300, seed=11)
    rows = []
    for i, (item, label) in enumerate(zip(inputs, labels, strict=True)):
        stages = [(Stage.APPLIED, days_ago(300 - i))] + ([(Stage.SCREENING, days_ago(295 - i))] if label else [])
        labels_ = outcome_labels(stages=stages, applied_at=days_ago(300 - i), as_of=AS_OF)
        rows.append(OutcomeRow(i + 1, i % 30, days_ago(300 - i), labels_, item))
    return rows


@pytest.fixture(scope="module")
def simulated_run(simulated_rows):
    return interview_train(simulated_rows, seed=3, n_trials=2, timeout_s=30)


@pytest.fixture
def clean_cache():
    model_cache_clear()
    yield
    model_cache_clear()


# ---------------------------------------------------------------------------------------------------------------------
# Labels and censoring
# ---------------------------------------------------------------------------------------------------------------------
def test_it_censors_a_young_waiting_application_and_labels_old_ones() -> None:
    young = outcome_labels(stages=[(Stage.APPLIED, days_ago(5))], applied_at=days_ago(5), as_of=AS_OF)
    assert (young.interview, young.interview_reason) == (None, "too_recent")
    ghosted = outcome_labels(stages=[(Stage.APPLIED, days_ago(40))], applied_at=days_ago(40), as_of=AS_OF)
    assert (ghosted.interview, ghosted.interview_reason) == (0, "silent_past_horizon")
    interviewed = outcome_labels(
        stages=[(Stage.APPLIED, days_ago(40)), (Stage.INTERVIEWING, days_ago(30)), (Stage.REJECTED, days_ago(20))],
        applied_at=days_ago(40),
        as_of=AS_OF,
    )
    assert (interviewed.interview, interviewed.offer) == (1, None)  # the offer label waits 60 days
    withdrawn = outcome_labels(
        stages=[(Stage.APPLIED, days_ago(90)), (Stage.WITHDRAWN, days_ago(80))], applied_at=days_ago(90), as_of=AS_OF
    )
    assert (withdrawn.interview, withdrawn.offer) == (None, None)
    offered = outcome_labels(
        stages=[(Stage.SAVED, days_ago(100)), (Stage.APPLIED, days_ago(90)), (Stage.OFFER, days_ago(50))],
        applied_at=None,
        as_of=AS_OF,
    )
    assert (offered.interview, offered.offer) == (1, 1)
    still_interviewing = outcome_labels(
        stages=[(Stage.APPLIED, days_ago(90)), (Stage.INTERVIEWING, days_ago(10))], applied_at=days_ago(90), as_of=AS_OF
    )
    assert (still_interviewing.offer, still_interviewing.offer_reason) == (None, "in_process")
    never_sent = outcome_labels(stages=[(Stage.SAVED, days_ago(90))], applied_at=None, as_of=AS_OF)
    assert never_sent.interview_reason == "not_applied"


def test_it_shows_the_naive_labels_under_estimate_while_censoring_aware_ones_do_not() -> None:
    check = censoring_check(n=20_000, seed=5)
    assert check["label"] == "SIMULATED"
    assert abs(check["censoring_aware_rate"] - check["true_rate"]) < 0.01
    assert check["naive_rate"] < check["true_rate"] - 0.01
    assert check["censored"] > 0


def test_it_collects_censored_labels_from_the_current_tenant_only(owner, cast) -> None:
    waiting = application_with_history(owner, (Stage.APPLIED, 5))
    ghosted = application_with_history(owner, (Stage.APPLIED, 45))
    interviewed = application_with_history(owner, (Stage.APPLIED, 45), (Stage.INTERVIEWING, 30))
    rejected = application_with_history(owner, (Stage.APPLIED, 45), (Stage.REJECTED, 40))
    saved = application_with_history(owner, (Stage.SAVED, 45))
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
        application_with_history(stranger, (Stage.APPLIED, 45), (Stage.SCREENING, 40))
        beta_rows = interview_outcomes_collect(with_inputs=False)
    rows = {row.application_id: row for row in interview_outcomes_collect()}
    assert set(rows) == {waiting.pk, ghosted.pk, interviewed.pk, rejected.pk}  # never sent: not an outcome
    assert saved.pk not in rows
    assert rows[waiting.pk].interview_label is None
    assert rows[waiting.pk].input is None
    assert (rows[ghosted.pk].interview_label, rows[interviewed.pk].interview_label) == (0, 1)
    assert rows[rejected.pk].interview_label == 0
    assert rows[interviewed.pk].input.channel == "job_board"
    assert {row.owner_id for row in rows.values()} == {owner.pk}
    assert len(beta_rows) == 1
    assert beta_rows[0].interview_label == 1
    assert outcome_counts(list(rows.values())) == {
        "applications": 4,
        "labelled": 3,
        "positives": 1,
        "negatives": 2,
        "censored": 1,
        "offer_labelled": 0,
        "offer_positives": 0,
    }


# ---------------------------------------------------------------------------------------------------------------------
# The pipeline on SIMULATED and real data
# ---------------------------------------------------------------------------------------------------------------------
def test_it_recovers_simulated_probabilities_with_a_calibration_error_under_3_points() -> None:
    report = simulator_evaluate(n_outcomes=5000, holdout_rows=20_000, n_trials=2, timeout_s=60, seed=7)
    assert report["label"] == "SIMULATED"
    assert report["calibration"] == "isotonic"
    assert report["ece"] < 0.03
    assert report["mean_abs_error_vs_true_p"] < 0.06
    assert report["brier"] >= report["brier_true_p"] - 0.005  # nothing beats the truth by more than noise


def test_it_runs_the_campus_pipeline_beside_logistic_regression() -> None:
    report = campus_evaluate(repeats=1, folds=3, n_trials=2, timeout_s=20, seed=1)
    assert (report["rows"], report["placed"]) == (215, 148)
    assert "salary" not in report["features"]
    assert "sl_no" not in report["features"]
    for model in ("lightgbm_calibrated", "logistic_regression"):
        assert report[model]["auc"]["n"] == 3
        assert 0.6 < report[model]["auc"]["mean"] <= 1.0
        assert report[model]["brier"]["mean"] < report["base_rate"]["brier"]["mean"]
    assert report["winner_brier"] in ("lightgbm", "logistic_regression")
    card = interview_model_card({"campus": report})
    assert "logistic regression" in card
    assert "± " in card


def test_it_rejects_an_unknown_channel_naming_the_field() -> None:
    with pytest.raises(ValueError, match="channel"):
        interview_features([InterviewInput(channel="carrier pigeon")])
    with pytest.raises(ValueError, match="must_have_coverage"):
        interview_features([InterviewInput(must_have_coverage=1.5)])
    row = interview_features([InterviewInput()])
    assert row.shape == (1, len(INTERVIEW_FEATURE_NAMES))
    assert np.isnan(row).all()


def test_the_postings_industry_is_one_hot_and_an_unknown_one_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="industry"):
        interview_features([InterviewInput(industry="underwater basket weaving")])
    healthcare, unknown = interview_features([InterviewInput(industry="healthcare"), InterviewInput()])
    columns = [i for i, name in enumerate(INTERVIEW_FEATURE_NAMES) if name.startswith("industry_")]

    assert [INTERVIEW_FEATURE_NAMES[i] for i in columns if healthcare[i] == 1.0] == ["industry_healthcare"]
    assert sum(healthcare[i] for i in columns) == 1.0
    assert all(np.isnan(unknown[i]) for i in columns)  # unknown: NaN, not "none of them"
    assert {FACTOR_OF_FEATURE[INTERVIEW_FEATURE_NAMES[i]] for i in columns} == {"industry"}


# ---------------------------------------------------------------------------------------------------------------------
# Training, registry and serving
# ---------------------------------------------------------------------------------------------------------------------
def test_it_refuses_to_train_below_the_minimum_of_labelled_outcomes(simulated_rows) -> None:
    with pytest.raises(InsufficientOutcomes):
        interview_train(simulated_rows[: MIN_LABELLED_OUTCOMES - 1], seed=1)


def test_it_trains_with_a_time_split_and_baselines(simulated_run, simulated_rows) -> None:
    metrics = simulated_run.metrics
    assert metrics["split"]["method"] == "time"
    labelled = [row for row in simulated_rows if row.interview_label is not None]
    assert len(labelled) < len(simulated_rows)  # the youngest SIMULATED applications are censored
    assert metrics["split"]["train"] + metrics["split"]["test"] == metrics["labelled_outcomes"] == len(labelled)
    assert max(r.applied_at for r in labelled[: metrics["split"]["train"]]) < min(
        r.applied_at for r in labelled[metrics["split"]["train"] :]
    )
    assert metrics["split"]["cv"] == "folds grouped by user"
    assert set(metrics["baselines"]) == {"base_rate", "logistic_regression", "shrunk_prior"}
    split = simulated_run.split  # the shrunk prior learnt from the training rows, scored on the same test rows
    assert metrics["baselines"]["shrunk_prior"]["brier"] == pytest.approx(shrunk_prior_brier(split.train, split.test))
    assert metrics["must_beat"] == ["shrunk_prior"]
    assert 0 <= metrics["test"]["brier"] <= 1
    assert metrics["test"]["n"] == metrics["split"]["test"]
    assert metrics["tuning"]["trials"] <= 2
    assert len(metrics["test_fingerprint"]) == len(simulated_run.data_fingerprint) == 64
    loaded = InterviewModel.artifact_loads(simulated_run.model.artifact_dumps())
    x = interview_features([row.input for row in simulated_rows[:20]])
    assert np.allclose(loaded.interview.predict(x), simulated_run.model.interview.predict(x))


@pytest.mark.parametrize(
    "artifact",
    [
        "not json",
        json.dumps({"format": "cvplus-salary-v1"}),
        json.dumps({"format": "cvplus-interview-v1", "feature_names": ["other"]}),
        json.dumps(
            {
                "format": "cvplus-interview-v1",
                "feature_names": INTERVIEW_FEATURE_NAMES,
                "interview": {"model": "tree\ngarbage", "calibrator": {"method": "platt"}},
            }
        ),
    ],
)
def test_it_raises_value_error_on_a_corrupt_artifact(artifact: str) -> None:
    with pytest.raises(ValueError, match="interview model artifact"):
        InterviewModel.artifact_loads(artifact)


def test_it_answers_the_shrunk_prior_without_a_champion_and_counts_outcomes_as_they_arrive(
    owner, member, clean_cache
) -> None:
    pending = application_with_history(owner, (Stage.APPLIED, 2))
    result = interview_predict_for(user=owner, application=pending)
    a, b = published_prior("applied_interview", pending.channel)
    assert result["interview_probability"] == pytest.approx(a / (a + b), abs=1e-4)
    assert (result["insufficient_data"], result["scope"], result["method"]) == (False, "prior", "shrunk_prior")
    assert result["basis"]["seeker_outcomes"] == result["basis"]["workspace_outcomes"] == 0
    assert result["basis"]["text"] == "Based on published rates."
    for _ in range(3):  # three of the member's outcomes through the same channel: the workspace's
        application_with_history(member, (Stage.APPLIED, 45), (Stage.SCREENING, 40))
    application_with_history(owner, (Stage.APPLIED, 50))  # one of the owner's own, never answered
    result = interview_predict_for(user=owner, application=pending)
    assert (result["basis"]["seeker_outcomes"], result["basis"]["workspace_outcomes"]) == (1, 3)
    assert result["basis"]["text"] == "Based on published rates + 1 of your outcomes + 3 from others in this workspace."
    assert result["interview_probability"] > a / (a + b)  # three of three reached screening
    assert result["low_confidence"] is True


def test_it_serves_a_champion_only_when_it_beat_the_shrunk_prior(owner, simulated_run, clean_cache) -> None:
    metrics = dict(simulated_run.metrics, baselines={"shrunk_prior": {"brier": 0.01}}, must_beat=[])
    version = model_save(
        kind="interview",
        scope="tenant",
        artifact=simulated_run.model.artifact_dumps(),
        metrics=metrics,  # promoted before the rule existed (no must_beat): it did not beat the prior
        params=simulated_run.model.params,
        feature_names=INTERVIEW_FEATURE_NAMES,
        data_fingerprint="x",
        training_seconds=1.0,
    )
    assert model_promote(candidate=version, metric="brier").promoted
    assert interview_predict([InterviewInput()])[0]["method"] == "shrunk_prior"


def test_it_refuses_another_users_application(owner, member, clean_cache) -> None:
    theirs = application_with_history(member, (Stage.APPLIED, 3))
    with pytest.raises(PermissionError):
        interview_predict_for(user=owner, application=theirs)
    assert ModelVersion.objects.count() == 0


def test_it_serves_the_tenant_champion_with_factors(owner, simulated_run, clean_cache) -> None:
    run = simulated_run
    version = model_save(
        kind="interview",
        scope="tenant",
        artifact=run.model.artifact_dumps(),
        metrics=run.metrics,
        params=run.model.params,
        feature_names=INTERVIEW_FEATURE_NAMES,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
    )
    assert model_promote(candidate=version, metric=KINDS[version.kind].metric).promoted
    assert champion_get("interview", scope="tenant", load=KINDS["interview"].load).version.pk == version.pk
    cv = CVDocumentFactory(owner=owner, text="Data Engineer\nPython and SQL, 6 years.", parsed={"years_experience": 6})
    posting = JobPostingFactory(owner=owner, title="Senior Data Engineer")
    application = ApplicationFactory(owner=owner, posting=posting, cv=cv, channel="referral")
    result = interview_predict_for(user=owner, application=application)
    assert result["insufficient_data"] is False
    assert (result["model_version_id"], result["scope"]) == (version.pk, "tenant")
    assert 0.0 <= result["interview_probability"] <= 1.0
    assert result["labelled_outcomes"] == run.model.labelled_outcomes
    assert all({"factor", "label", "effect"} <= set(factor) for factor in result["factors"])
    assert len(result["factors"]) <= 3
    with schema_context("beta"):  # the other tenant has no champion of its own
        assert interview_predict([InterviewInput()])[0]["method"] == "shrunk_prior"


def test_it_predicts_a_batch_in_one_matrix(simulated_run, clean_cache, monkeypatch) -> None:
    from predictions.interview import model as module
    from predictions.registry import LoadedModel

    version = ModelVersion(pk=1, kind="interview", scope="global", version=4)
    monkeypatch.setattr(module, "_champion", lambda: LoadedModel(version=version, model=simulated_run.model))
    inputs, _, _ = simulate_outcomes(2000, seed=2)
    results = interview_predict(inputs, explain=True)
    assert len(results) == 2000
    probabilities = np.asarray([r["interview_probability"] for r in results])
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert probabilities.std() > 0
    assert {r["model_version"] for r in results} == {4}


def test_it_rescores_a_champion_on_the_candidates_test_rows(simulated_run) -> None:
    from predictions.interview.model import interview_test_brier

    brier = interview_test_brier(simulated_run.model.artifact_dumps(), simulated_run.split)
    assert brier == pytest.approx(simulated_run.metrics["test"]["brier"])


def test_it_refuses_to_train_a_tenant_model_below_the_minimum(owner) -> None:
    from django.core.management import CommandError, call_command

    application_with_history(owner, (Stage.APPLIED, 45), (Stage.SCREENING, 40))
    with pytest.raises(CommandError, match="labelled outcomes"):
        call_command("train", "interview", "--tenant", "alpha")
    assert ModelVersion.objects.filter(kind="interview").count() == 0


def test_an_applications_features_carry_its_postings_industry(owner) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner, title="Registered Nurse", industry="healthcare")
        application = ApplicationFactory(owner=owner, posting=posting)
        item = interview_input_for(application)

    assert item.industry == "healthcare"
