"""An experiment's results on a scripted data set: counts, rates, intervals, the difference and its p-value equal a
computation by hand from the mSPRT's formulas; people inside their window wait; small groups are not shown; each
metric counts what it says and nothing of another person or tenant; a skewed split is flagged as a sample ratio
mismatch; and the sequential state keeps the smallest p-value across looks."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.experiments.metrics import METRICS
from analytics.experiments.results import (
    CONTROL_BETTER,
    KEEP_RUNNING,
    NO_DIFFERENCE,
    SAMPLE_RATIO_MISMATCH,
    VARIANT_BETTER,
    experiment_counts,
    experiment_results,
)
from analytics.experiments.srm import srm_check
from analytics.models import Experiment, Exposure
from tests.accounts.factories import UserFactory
from tests.analytics.experiment_support import experiment_make, fresh_caches  # noqa: F401
from tests.tracking.factories import ApplicationFactory, NoteFactory, TaskFactory
from tracking.models import Application, ApplicationEvent, Note, Stage, Task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def expose(experiment: Experiment, tenant, user_id: int, variant: str, *, days_ago: float) -> Exposure:
    return Exposure.objects.create(
        experiment=experiment,
        tenant=tenant,
        user_id=user_id,
        variant=variant,
        exposed_at=timezone.now() - timedelta(days=days_ago),
    )


def offer(user, *, days_ago: float) -> None:
    application = ApplicationFactory(owner=user)
    Application.objects.filter(pk=application.pk).update(offered_at=timezone.now() - timedelta(days=days_ago))


def half_width(s2: float, tau: float, alpha: float = 0.05) -> float:
    t2 = tau * tau
    return math.sqrt(s2 * (s2 + t2) / t2 * (math.log((s2 + t2) / s2) - 2 * math.log(alpha)))


def test_it_matches_a_hand_computation_on_a_scripted_data_set(cast) -> None:
    experiment = experiment_make("offer-copy", metric="offer-60d", starts_days_ago=200)
    with schema_context("alpha"):
        control = [UserFactory() for _ in range(10)]
        treatment = [UserFactory() for _ in range(12)]
        for user in control:
            expose(experiment, cast.tenant_a, user.pk, "control", days_ago=100)
        for user in treatment[:10]:
            expose(experiment, cast.tenant_a, user.pk, "treatment", days_ago=100)
        for user in treatment[10:]:  # inside their 60-day window: pending, their offers not counted yet
            expose(experiment, cast.tenant_a, user.pk, "treatment", days_ago=10)
            offer(user, days_ago=5)
        for user in control[:3]:  # 3 of 10 record an offer 40 days after exposure
            offer(user, days_ago=60)
        offer(control[3], days_ago=30)  # 70 days after exposure: outside the window
        offer(control[4], days_ago=101)  # before the exposure: does not count
        for user in treatment[:6]:  # 6 of 10
            offer(user, days_ago=50)

    results = experiment_results(experiment)

    by_name = {variant.name: variant for variant in results.variants}
    c, t = by_name["control"], by_name["treatment"]
    assert (c.counts.exposures, c.counts.matured, c.counts.conversions) == (10, 10, 3)
    assert (t.counts.exposures, t.counts.matured, t.counts.conversions, t.pending) == (12, 10, 6, 2)
    tau = METRICS["offer-60d"].tau
    var_c, var_t = 0.3 * 0.7 * 10 / 9, 0.6 * 0.4 * 10 / 9
    assert c.rate == pytest.approx(0.3)
    assert (c.low, c.high) == pytest.approx((max(0, 0.3 - half_width(var_c / 10, tau)), 1.0))  # clipped to [0, 1]
    s2 = var_c / 10 + var_t / 10
    d = 0.3
    log_lambda = 0.5 * math.log(s2 / (s2 + tau**2)) + tau**2 * d * d / (2 * s2 * (s2 + tau**2))
    comparison = t.comparison
    assert comparison.difference == pytest.approx(0.3)
    assert comparison.p_value == pytest.approx(min(1.0, math.exp(-log_lambda)))
    assert (comparison.low, comparison.high) == pytest.approx((d - half_width(s2, tau), d + half_width(s2, tau)))
    # Ten people a side: the interval still holds 0 and differences far beyond tau, so the test cannot decide yet.
    assert comparison.low < 0 < comparison.high
    assert comparison.decision == KEEP_RUNNING
    assert results.decision == KEEP_RUNNING
    assert results.srm.checked  # 11 expected a side
    assert results.srm.chi_square == pytest.approx(2 / 11)  # (10 − 11)² / 11 + (12 − 11)² / 11
    assert not results.srm.flagged
    experiment.refresh_from_db()
    assert experiment.sequential_state["treatment"]["p_value"] == pytest.approx(comparison.p_value)


def test_it_does_not_show_a_group_smaller_than_five(cast) -> None:
    experiment = experiment_make("offer-copy", metric="offer-60d", starts_days_ago=200)
    with schema_context("alpha"):
        for index, user in enumerate(UserFactory() for _ in range(9)):
            expose(experiment, cast.tenant_a, user.pk, "control" if index < 5 else "treatment", days_ago=100)

    results = experiment_results(experiment)

    shown = {variant.name: (variant.shown, variant.rate) for variant in results.variants}
    assert shown == {"control": (True, 0.0), "treatment": (False, None)}
    assert results.variants[1].comparison is None
    assert results.decision == KEEP_RUNNING


def test_each_metric_counts_the_persons_own_actions_within_the_window_only(cast, owner_and_other) -> None:
    owner, other = owner_and_other
    now = timezone.now()
    with schema_context("alpha"):
        application = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=now - timedelta(days=20))
        others = ApplicationFactory(owner=other, stage=Stage.APPLIED, stage_changed_at=now - timedelta(days=20))
        # Another person's move, and the owner's own application created in the window: neither is an action.
        move = ApplicationEvent.objects.create(
            application=others, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING, occurred_at=now, actor=other
        )
        ApplicationEvent.objects.filter(pk=move.pk).update(recorded_at=now - timedelta(days=8))
        ApplicationFactory(owner=owner, stage=Stage.SAVED, stage_changed_at=now - timedelta(days=8))

    def acted() -> int:
        experiment = Experiment.objects.get(key="acted")
        return experiment_counts(experiment, METRICS["acted-7d"], now=now)["control"].conversions

    experiment = experiment_make("acted", variants=[["control", 100], ["unused", 0]], metric="acted-7d")
    expose(experiment, cast.tenant_a, owner.pk, "control", days_ago=10)
    assert acted() == 0
    with schema_context("alpha"):
        note = NoteFactory(application=application)
        Note.objects.filter(pk=note.pk).update(created_at=now - timedelta(days=2))  # 8 days after: outside
    assert acted() == 0
    with schema_context("alpha"):
        Note.objects.filter(pk=note.pk).update(created_at=now - timedelta(days=4))  # 6 days after: inside
    assert acted() == 1
    with schema_context("alpha"):
        Note.objects.all().delete()
        task = TaskFactory(application=application)
        Task.objects.filter(pk=task.pk).update(created_at=now - timedelta(days=30), done_at=now - timedelta(days=9))
    assert acted() == 1  # ticked off a day after the exposure
    with schema_context("alpha"):
        Task.objects.all().delete()
        step = ApplicationEvent.objects.create(
            application=application, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING, occurred_at=now, actor=owner
        )
        ApplicationEvent.objects.filter(pk=step.pk).update(recorded_at=now - timedelta(days=9, hours=12))
    assert acted() == 1
    later = now + timedelta(days=5)  # the 14-day window of an advance has closed by then
    counts = experiment_counts(Experiment.objects.get(key="acted"), METRICS["advanced-14d"], now=later)
    assert counts["control"].conversions == 1  # the same move is an advance


@pytest.fixture
def owner_and_other(cast):
    from tests.analytics.experiment_support import person

    with schema_context("alpha"):
        other = UserFactory()
    return person("alpha", cast.owner_email), other


def test_a_tenants_exposures_are_counted_with_its_own_data_only(cast) -> None:
    experiment = experiment_make("offer-copy", metric="offer-60d", starts_days_ago=200)
    with schema_context("alpha"):
        alpha_people = [UserFactory() for _ in range(5)]
        for user in alpha_people:
            offer(user, days_ago=50)  # every alpha person records an offer
    for user in alpha_people:
        # beta's people carry the same ids as alpha's; beta's schema has no offers for them
        expose(experiment, cast.tenant_b, user.pk, "control", days_ago=100)

    results = experiment_results(experiment, remember=False)

    control = results.variants[0]
    assert (control.counts.exposures, control.counts.conversions) == (5, 0)


def test_the_premium_metric_reads_the_public_billing_rows_of_the_person(cast) -> None:
    from tests.billing.grants import plan_grant

    experiment = experiment_make("upgrade-copy", metric="premium-30d", variants=[["control", 100], ["off", 0]])
    owner = plan_grant(schema="alpha", email=cast.owner_email)  # created now
    expose(experiment, cast.tenant_a, owner.user_id, "control", days_ago=40)
    expose(experiment, cast.tenant_b, owner.user_id, "control", days_ago=40)  # same id, other tenant: no upgrade

    counts = experiment_counts(experiment, METRICS["premium-30d"], now=timezone.now() + timedelta(days=31))

    assert (counts["control"].matured, counts["control"].conversions) == (2, 0)  # 40 days: outside the window
    Exposure.objects.update(exposed_at=timezone.now() - timedelta(days=10))
    counts = experiment_counts(experiment, METRICS["premium-30d"], now=timezone.now() + timedelta(days=31))
    assert (counts["control"].matured, counts["control"].conversions) == (2, 1)


@pytest.mark.parametrize(
    ("counts", "flagged"),
    [({"control": 500, "treatment": 400}, True), ({"control": 480, "treatment": 420}, False)],
)
def test_the_sample_ratio_check_matches_the_chi_square_by_hand(counts, flagged) -> None:
    check = srm_check(counts, [("control", 50), ("treatment", 50)])
    expected = sum(counts.values()) / 2
    statistic = sum((value - expected) ** 2 / expected for value in counts.values())
    assert check.chi_square == pytest.approx(statistic)
    assert check.p_value == pytest.approx(math.erfc(math.sqrt(statistic / 2)))  # chi-square, one degree of freedom
    assert check.flagged is flagged


def test_a_skewed_split_stops_the_experiment_as_a_sample_ratio_mismatch(cast) -> None:
    experiment = experiment_make("skewed", metric="offer-60d", starts_days_ago=200)
    Exposure.objects.bulk_create(
        Exposure(
            experiment=experiment,
            tenant=cast.tenant_a,
            user_id=1_000_000 + i,
            variant="control" if i < 560 else "treatment",
            exposed_at=timezone.now() - timedelta(days=90),
        )
        for i in range(1000)
    )

    results = experiment_results(experiment, remember=False)

    assert results.srm.flagged
    assert results.srm.p_value < 0.001
    assert results.decision == SAMPLE_RATIO_MISMATCH
    assert srm_check({"a": 3, "off": 1}, [("a", 100), ("off", 0)]).flagged  # a variant of weight 0 was served


def test_a_clear_difference_is_decided_and_kept_across_later_looks(cast) -> None:
    experiment = experiment_make("clear", metric="offer-60d", starts_days_ago=200)
    rows, offers = [], []
    with schema_context("alpha"):
        users = [UserFactory() for _ in range(400)]
        for index, user in enumerate(users):
            variant = "control" if index % 2 else "treatment"
            rows.append(Exposure(experiment=experiment, tenant=cast.tenant_a, user_id=user.pk, variant=variant))
            # treatment converts 60 %, control 20 %
            if (variant == "treatment" and index % 10 < 6) or (variant == "control" and index % 10 == 1):
                offers.append(user)
        for user in offers:
            offer(user, days_ago=50)
    for row in rows:
        row.exposed_at = timezone.now() - timedelta(days=100)
    Exposure.objects.bulk_create(rows)

    first = experiment_results(experiment)
    assert first.decision == VARIANT_BETTER
    assert first.variants[1].comparison.low > 0

    with schema_context("alpha"):  # the data changes (erasures, edits): this look alone is weaker evidence
        treated = [user.pk for index, user in enumerate(users) if index % 10 == 0]  # 60 % -> 40 %
        Application.objects.filter(owner_id__in=treated).update(offered_at=None)
    experiment.refresh_from_db()
    later = experiment_results(experiment)
    assert later.variants[1].comparison.difference < first.variants[1].comparison.difference
    assert later.variants[1].comparison.p_value == pytest.approx(first.variants[1].comparison.p_value)  # the minimum
    assert later.decision == VARIANT_BETTER
    assert experiment.sequential_state["treatment"]["looks"] == 2


@pytest.mark.parametrize(
    ("low", "high", "p_value", "decision"),
    [(0.01, 0.05, 0.01, VARIANT_BETTER), (-0.05, -0.01, 0.01, CONTROL_BETTER), (-0.01, 0.02, 0.9, NO_DIFFERENCE)],
)
def test_the_decision_rule(low, high, p_value, decision) -> None:
    from analytics.experiments.results import _decide

    assert _decide(low, high, p_value, 0.05, tau=0.03) == decision
    assert _decide(-0.04, 0.04, 0.5, 0.05, tau=0.03) == KEEP_RUNNING
