"""The model monitor's figures from scripted outcomes and served inputs: live accuracy (Brier, ECE, reliability,
coverage) equals a hand computation over the mature outcomes only, a figure on too few outcomes or inputs says so,
each tenant's figures hold its own outcomes only and every tenant's are their sums; drift and latency come from the
prediction log, counted once however often the snapshot runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.models import ModelMonitorSnapshot, ModelServingCursor, ModelServingDay
from analytics.monitoring.metrics import psi_max, salary_coverage
from analytics.monitoring.psi import psi
from analytics.monitoring.report import monitor_report
from analytics.monitoring.snapshot import monitor_snapshot_refresh
from predictions.drift import bin_counts, input_bins_build
from predictions.models import ApplicationPrediction, ModelVersion, PredictionLog
from predictions.registry import model_save
from tests.conftest import wait_until
from tests.predictions.serving_support import salary_reference  # noqa: F401 - fixture
from tests.tracking.factories import ApplicationFactory
from tracking.models import Stage

NOW = timezone.now()
SENT_LONG_AGO = NOW - timedelta(days=40)
PRIOR = {"scope": "prior", "model_label": "shrunk-prior-1"}


def _salary_version(**test) -> ModelVersion:
    """A global salary version: only its held-out figures and id matter here (no artifact is loaded)."""
    return model_save(
        kind="salary",
        artifact="{}",
        metrics={"test": {"mae_usd": 9000, **test}},
        params={},
        feature_names=[],
        data_fingerprint="f",
        training_seconds=0,
    )


def _owner(schema: str, cast) -> User:
    email = {"alpha": cast.owner_email, "beta": cast.stranger_email}[schema]
    return User.objects.get(email=email)


def interview_outcome(owner, p: float, *, reached: bool, sent=SENT_LONG_AGO, stage=None) -> None:
    stage = stage or (Stage.SCREENING if reached else Stage.REJECTED)
    application = ApplicationFactory(owner=owner, stage=stage, applied_at=sent, stage_changed_at=sent)
    if reached:
        application.screened_at = sent + timedelta(days=5)
        application.save(update_fields=["screened_at"])
    ApplicationPrediction.objects.create(
        application=application, kind="interview", interview_probability=p, served_at=sent, source="page", **PRIOR
    )


def offered(owner, version, kind: str, *, applied_at=SENT_LONG_AGO, amount=None, offer_currency="", **predicted):
    """An application with an offer three days ago, and what `version` predicted for it when it was sent."""
    at = NOW - timedelta(days=3)
    application = ApplicationFactory(owner=owner, stage=Stage.OFFER, applied_at=applied_at, stage_changed_at=at)
    application.offered_at, application.offer_amount, application.offer_currency = (
        at,
        Decimal(amount) if amount is not None else None,
        offer_currency,
    )
    application.save(update_fields=["offered_at", "offer_amount", "offer_currency"])
    ApplicationPrediction.objects.create(
        application=application,
        kind=kind,
        model_version_id=version.pk,
        model_version=version.version,
        scope=version.scope,
        source="page",
        served_at=applied_at,
        **predicted,
    )


def salary_offer(owner, version, *, low, high, amount, currency="USD", per_usd=1.0, offer_currency="USD") -> None:
    offered(
        owner,
        version,
        "salary",
        amount=amount,
        offer_currency=offer_currency,
        salary_p10_usd=low,
        salary_p50_usd=(low + high) / 2,
        salary_p90_usd=high,
        salary_currency=currency,
        salary_per_usd=per_usd,
    )


@pytest.fixture
def scripted(cast, db, salary_reference):  # noqa: F811
    """Alpha: 40 mature interview outcomes (plus young and withdrawn ones that must not count) and 37 offers;
    beta: 30 interview outcomes and 10 offers. The snapshots are refreshed in each tenant."""
    version = _salary_version(coverage_p10_p90=79.5, rows=1200)
    with schema_context("alpha"):
        owner = _owner("alpha", cast)
        for i in range(20):
            interview_outcome(owner, 0.05, reached=i < 4)
            interview_outcome(owner, 0.75, reached=i < 12)
        for _ in range(5):  # sent 10 days ago: too recent to count, whatever they show
            interview_outcome(owner, 0.9, reached=False, sent=NOW - timedelta(days=10))
        for _ in range(3):  # withdrawn before any answer: neither yes nor no
            interview_outcome(owner, 0.9, reached=False, stage=Stage.WITHDRAWN)
        for i in range(33):
            amount = 60_000 if i < 28 else 45_000 if i < 31 else 80_000
            salary_offer(owner, version, low=50_000, high=70_000, amount=amount)
        salary_offer(owner, version, low=50_000, high=70_000, amount=54_000, offer_currency="EUR")  # 60,000 USD
        salary_offer(owner, version, low=50_000, high=70_000, amount=63_000, currency="EUR", per_usd=0.9,
                     offer_currency="EUR")  # fmt: skip
        salary_offer(owner, version, low=50_000, high=70_000, amount=1, offer_currency="XYZ")  # no known rate
        salary_offer(owner, version, low=50_000, high=70_000, amount=60_000, offer_currency="")  # the prediction's
        monitor_snapshot_refresh(now=NOW)
    with schema_context("beta"):
        stranger = _owner("beta", cast)
        for _ in range(30):
            interview_outcome(stranger, 0.5, reached=False)
        for _ in range(10):
            salary_offer(stranger, version, low=50_000, high=70_000, amount=60_000)
        monitor_snapshot_refresh(now=NOW)
    return version


def interview_row(report):
    [row] = report.of_kind("interview")
    return row


def test_it_scores_the_mature_interview_outcomes_only(cast, scripted) -> None:
    row = interview_row(monitor_report(tenant=cast.tenant_a))

    brier = (16 * 0.05**2 + 4 * 0.95**2 + 12 * 0.25**2 + 8 * 0.75**2) / 40
    ece = 0.5 * abs(0.05 - 0.2) + 0.5 * abs(0.75 - 0.6)
    assert (row.brier.n, row.ece.n) == (40, 40)
    assert row.brier.value == pytest.approx(brier)
    assert row.ece.value == pytest.approx(ece)
    assert [(p["predicted"], p["observed"], p["n"]) for p in row.reliability] == [
        (pytest.approx(0.05), 0.2, 20),
        (pytest.approx(0.75), 0.6, 20),
    ]
    assert row.label == "published prior, refined by tracked outcomes"


def test_it_sets_offers_against_the_range_at_the_rate_the_answer_used(cast, scripted) -> None:
    [row] = monitor_report(tenant=cast.tenant_a).of_kind("salary")

    # 28 inside, 3 below, 2 above; the EUR offers (converted at the survey's 0.9, or at the answer's own rate) and
    # the offer without a currency are inside; the XYZ offer has no rate and is left out (counted apart).
    assert row.coverage.n == 36
    assert row.coverage.value == pytest.approx(31 / 36)
    assert (row.below, row.above, row.unconverted) == (3, 2, 1)
    assert row.held_out == {"coverage": pytest.approx(0.795), "n": 1200}
    assert row.label == f"v{scripted.version} (global)"


def test_a_figure_on_too_few_outcomes_says_not_enough_data(cast, scripted) -> None:
    [salary] = monitor_report(tenant=cast.tenant_b).of_kind("salary")

    assert salary.coverage.n == 10
    assert salary.coverage.value is None
    assert not salary.coverage.enough
    assert salary_coverage(tenant=cast.tenant_b) == (None, 10)


def test_a_tenants_figures_hold_its_own_outcomes_only_and_everyones_are_their_sums(cast, scripted) -> None:
    alpha = interview_row(monitor_report(tenant=cast.tenant_a))
    beta = interview_row(monitor_report(tenant=cast.tenant_b))
    everyone = interview_row(monitor_report(tenant=None))

    assert beta.brier.n == 30
    assert beta.brier.value == pytest.approx(0.25)
    assert everyone.brier.n == 70
    assert everyone.brier.value == pytest.approx((alpha.brier.value * 40 + 0.25 * 30) / 70)
    [salary_all] = monitor_report(tenant=None).of_kind("salary")
    assert salary_all.coverage.n == 46
    assert salary_all.coverage.value == pytest.approx((31 + 10) / 46)
    value, n = salary_coverage(tenant=cast.tenant_a)
    assert (value, n) == (pytest.approx(31 / 36), 36)
    assert salary_coverage(tenant=None, last_n=40)[1] == 40


def test_an_erased_tenants_snapshot_is_left_out(cast, scripted) -> None:
    from tenants.models import Client

    Client.objects.filter(pk=cast.tenant_b.pk).update(erased_at=NOW)

    assert interview_row(monitor_report(tenant=None)).brier.n == 40


# ---------------------------------------------------------------------------------------------------------------------
# Served inputs and latency: committed rows, as the prediction log's transaction ids need
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def served(cast, committed):
    """A global salary version whose training inputs are 1,000 values of one feature, 0..999; cleaned up after."""
    from numpy import arange

    reference = input_bins_build(arange(1000, dtype=float).reshape(-1, 1), ["score"])
    version = model_save(
        kind="salary",
        artifact="{}",
        metrics={"test": {"mae_usd": 1}},
        params={},
        feature_names=["score"],
        data_fingerprint="f",
        training_seconds=0,
        input_bins=reference,
    )
    yield version, reference
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            PredictionLog.objects.filter(model_version_id=version.pk).delete()
    for model in (ModelServingDay, ModelServingCursor, ModelMonitorSnapshot):
        model.objects.filter(tenant__schema_name__in=["alpha", "beta"]).delete()
    ModelVersion.objects.filter(pk=version.pk).delete()


def log_inputs(schema: str, version, reference, values: list[float], *, latency_ms: float) -> None:
    import numpy as np

    with schema_context(schema):
        PredictionLog.objects.bulk_create(
            PredictionLog(
                kind="salary",
                model_version_id=version.pk,
                model_version=version.version,
                input_hash="h",
                latency_ms=latency_ms,
                input_bins=bin_counts(reference, np.asarray([[value]])),
                source="page",
            )
            for value in values
        )


def refreshed_until(schema: str, *, observed: int) -> None:
    """Refreshes the snapshot until it has counted `observed` inputs: rows are counted once every transaction older
    than theirs has ended, and other sessions on this PostgreSQL server (other test runs) may hold one open."""

    def counted() -> bool:
        with schema_context(schema):
            snapshot = monitor_snapshot_refresh()
        return sum(entry["observed"] for entry in snapshot.serving) >= observed

    assert wait_until(counted, timeout_s=180, interval_s=1)


def test_drift_rests_on_the_served_inputs_and_needs_a_hundred_of_them(cast, served) -> None:
    version, reference = served
    log_inputs("alpha", version, reference, [float(v) for v in range(0, 990, 10)], latency_ms=20)  # 99, all deciles
    refreshed_until("alpha", observed=99)

    [row] = monitor_report(tenant=cast.tenant_a).of_kind("salary")
    assert row.observed == 99
    assert row.psi_max.value is None
    assert psi_max(kind="salary", tenant=cast.tenant_a) == (None, 99)

    log_inputs("alpha", version, reference, [5.0] * 51, latency_ms=200)  # a shift into the first decile
    refreshed_until("alpha", observed=150)
    with schema_context("alpha"):
        monitor_snapshot_refresh()  # a further run counts nothing twice

    [row] = monitor_report(tenant=cast.tenant_a).of_kind("salary")
    live = [10 + 51, *([10] * 8), 9, 0]  # ten deciles of 0..999 stepped by 10, the 51 fives, nothing missing
    assert row.observed == 150
    assert row.psi_max.value == pytest.approx(psi(reference["features"][0]["counts"], live))
    assert row.drift[0].name == "score"
    assert psi_max(kind="salary", tenant=cast.tenant_a) == (pytest.approx(row.psi_max.value), 150)
    assert (row.requests, row.items, row.single_requests) == (150, 150, 150)
    assert row.p50_ms == pytest.approx(20, rel=0.06)
    assert row.p99_ms == pytest.approx(200, rel=0.06)
    assert monitor_report(tenant=cast.tenant_b).of_kind("salary") == []  # beta served nothing
    assert psi_max(kind="salary", tenant=cast.tenant_b) == (None, 0)


def test_a_tenants_own_model_is_shown_as_its_own_and_summed_apart_over_every_tenant(cast, db) -> None:
    with schema_context("alpha"):
        version = model_save(
            kind="time_to_hire",
            scope="tenant",
            artifact="{}",
            metrics={"test": {"mae_days": 5}, "test_title_state_only": {"coverage_p10_p90": 70.0, "n": 90}},
            params={},
            feature_names=[],
            data_fingerprint="f",
            training_seconds=0,
        )
        owner = _owner("alpha", cast)
        for i in range(32):
            days = 25 if i < 24 else 60  # 24 inside 10–40 days, 8 above
            applied_at = NOW - timedelta(days=3 + days)
            offered(owner, version, "time_to_hire", applied_at=applied_at, days_p10=10, days_p50=20, days_p90=40)
        monitor_snapshot_refresh(now=NOW)

    [own] = monitor_report(tenant=cast.tenant_a).of_kind("time_to_hire")
    [merged] = monitor_report(tenant=None).of_kind("time_to_hire")

    assert own.label == "v1 (this tenant's own data)"
    assert (own.coverage.n, own.coverage.value, own.above) == (32, pytest.approx(24 / 32), 8)
    assert own.held_out == {"coverage": pytest.approx(0.7), "n": 90, "case": "title_state_only"}
    assert merged.label == "each tenant's own model"
    assert merged.coverage.n == 32
    assert "choose a tenant" in merged.drift_note
