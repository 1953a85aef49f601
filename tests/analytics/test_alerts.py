"""The alert evaluator (analytics/alerts/evaluation.py) on scripted metric series; the built-in metrics on real rows.

A series is played through a metric registered by the test itself (the registry's hook), one value per evaluation,
30 seconds apart, as beat would.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.alerts.evaluation import FIRED, RESOLVED, SKIPPED, UNCHANGED, alerts_evaluate
from analytics.alerts.heartbeat import EVALUATOR, EVALUATOR_PREVIOUS, heartbeat_stamp
from analytics.alerts.registry import alert_metric, metric_get, metric_unregister
from analytics.alerts.rules import alert_rule_save
from analytics.models import AlertFiring, AlertRule, AlertRuleState, Heartbeat
from analytics.tasks import alerts_evaluate_task, heartbeat_task
from billing.models import WebhookEvent
from predictions.models import PredictionLog
from tenants.context import ready_tenant_schemas
from tenants.models import Client
from tests.conftest import wait_until
from tests.tracking.factories import ReminderFactory
from tracking.models import Reminder

STAFF = "oncall@cvplus.example"
T0 = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)


class Scripted:
    """The value the ``scripted`` metric answers next; ``wait`` (a barrier) holds every caller until all arrive."""

    value: float | None = None
    wait: threading.Barrier | None = None


@pytest.fixture
def scripted() -> Iterator[type[Scripted]]:
    @alert_metric("scripted", label="scripted", unit="%", per_tenant=True)
    def scripted_metric(tenant: Client | None, window: int | None) -> float | None:
        if Scripted.wait is not None:
            Scripted.wait.wait(timeout=10)
        return Scripted.value

    Scripted.value, Scripted.wait = None, None
    yield Scripted
    metric_unregister("scripted")
    Scripted.value, Scripted.wait = None, None


def rule_new(**fields) -> AlertRule:
    values = {
        "name": "Scripted rule",
        "metric": "scripted",
        "comparison": AlertRule.Comparison.ABOVE,
        "threshold": 10.0,
        "staff_emails": STAFF,
    } | fields
    return alert_rule_save(rule=AlertRule(**values))


def play(series: type[Scripted], rule: AlertRule, values: list[float | None], start: int = 0) -> list[str]:
    """Evaluates once per value, 30 s apart; returns what happened to ``rule`` each time."""
    outcomes = []
    for index, value in enumerate(values, start=start):
        series.value = value
        outcomes.append(alerts_evaluate(now=T0 + index * STEP).outcomes[rule.pk])
    return outcomes


def noisy(rng: random.Random, centre: float, spread: float, count: int) -> list[float]:
    return [round(centre + rng.uniform(-spread, spread), 2) for _ in range(count)]


# ---------------------------------------------------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_fires_once_and_resolves_once_on_a_noisy_series_around_the_threshold(scripted) -> None:
    """Coverage falling from 85 % to a noisy 70 ± 2 % (crossing the threshold both ways again and again), then a
    noisy 76 ± 0.9 %: one firing at the first value under 70, one resolution at the first value over 75."""
    rng = random.Random(1414)
    series = noisy(rng, 85, 2, 6) + noisy(rng, 70, 2, 30) + noisy(rng, 76, 0.9, 20)
    assert sum(1 for a, b in zip(series, series[1:], strict=False) if (a < 70) != (b < 70)) == 14  # truly noisy
    rule = rule_new(comparison=AlertRule.Comparison.BELOW, threshold=70, clear_threshold=75)

    outcomes = play(scripted, rule, series)

    assert outcomes.count(FIRED) == 1
    assert outcomes.count(RESOLVED) == 1
    first_below = next(index for index, value in enumerate(series) if value < 70)
    first_clear_after = next(index for index in range(first_below, len(series)) if series[index] > 75)
    assert outcomes.index(FIRED) == first_below
    assert outcomes.index(RESOLVED) == first_clear_after
    (firing,) = AlertFiring.objects.filter(rule=rule)
    assert firing.fired_value == series[first_below]
    assert firing.fired_at == T0 + first_below * STEP
    assert firing.resolved_value == series[first_clear_after]
    assert firing.resolved_at == T0 + first_clear_after * STEP
    assert firing.resolution == AlertFiring.Resolution.VALUE
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "CVPlus alert: Scripted rule (the whole platform) is firing",
        "CVPlus alert resolved: Scripted rule (the whole platform)",
    ]
    assert [message.to for message in mail.outbox] == [[STAFF], [STAFF]]


@pytest.mark.django_db
def test_it_fires_again_and_again_on_the_same_series_without_a_clear_threshold(scripted) -> None:
    """The same noise with no hysteresis band: what the clear threshold is there to prevent."""
    rng = random.Random(1414)
    series = noisy(rng, 85, 2, 6) + noisy(rng, 70, 2, 30) + noisy(rng, 76, 0.9, 20)
    rule = rule_new(comparison=AlertRule.Comparison.BELOW, threshold=70)

    outcomes = play(scripted, rule, series)

    assert outcomes.count(FIRED) == 7
    assert AlertFiring.objects.filter(rule=rule).count() == outcomes.count(FIRED)


@pytest.mark.django_db
def test_it_fires_only_after_the_consecutive_breaches_it_needs(scripted) -> None:
    rule = rule_new(threshold=10, consecutive_breaches=3)

    outcomes = play(scripted, rule, [11, 12, 9, 11, 12, 13, 14])

    assert outcomes == [UNCHANGED, UNCHANGED, UNCHANGED, UNCHANGED, UNCHANGED, FIRED, UNCHANGED]
    assert AlertFiring.objects.get(rule=rule).fired_value == 13


@pytest.mark.django_db
def test_a_value_within_the_threshold_or_missing_restarts_the_breach_count(scripted) -> None:
    rule = rule_new(threshold=10, consecutive_breaches=2)

    outcomes = play(scripted, rule, [11, None, 11, 10, 11, None])

    assert FIRED not in outcomes
    assert AlertRuleState.objects.get(rule=rule).breaches == 0


@pytest.mark.django_db
def test_it_never_fires_without_enough_data(scripted) -> None:
    rule = rule_new(threshold=10)

    outcomes = play(scripted, rule, [None] * 10)

    assert outcomes == [UNCHANGED] * 10
    assert not AlertFiring.objects.exists()
    assert mail.outbox == []
    state = AlertRuleState.objects.get(rule=rule)
    assert (state.breaches, state.last_value, state.evaluated_at) == (0, None, T0 + 9 * STEP)


@pytest.mark.django_db
def test_a_firing_stays_open_while_there_is_no_data_and_resolves_on_evidence(scripted) -> None:
    rule = rule_new(threshold=10)

    outcomes = play(scripted, rule, [20, None, None, 5])

    assert outcomes == [FIRED, UNCHANGED, UNCHANGED, RESOLVED]
    firing = AlertFiring.objects.get(rule=rule)
    assert (firing.fired_value, firing.resolved_value) == (20, 5)


@pytest.mark.django_db
def test_an_evaluation_right_after_another_leaves_the_rule_alone(scripted) -> None:
    rule = rule_new(threshold=10, consecutive_breaches=2)
    scripted.value = 11
    alerts_evaluate(now=T0)

    again = alerts_evaluate(now=T0 + timedelta(seconds=3))

    assert again.outcomes[rule.pk] == SKIPPED
    assert AlertRuleState.objects.get(rule=rule).breaches == 1


@pytest.mark.django_db
def test_turning_a_rule_off_closes_its_open_firing_without_an_email(scripted) -> None:
    rule = rule_new(threshold=10)
    play(scripted, rule, [20])
    mail.outbox.clear()
    rule.enabled = False
    rule.save()

    alerts_evaluate(now=T0 + STEP)

    firing = AlertFiring.objects.get(rule=rule)
    assert (firing.resolved_at, firing.resolved_value) == (T0 + STEP, None)
    assert firing.resolution == AlertFiring.Resolution.RULE_DISABLED
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failing_metric_reads_as_no_data_and_the_run_goes_on(scripted) -> None:
    @alert_metric("broken", label="broken", unit="")
    def broken(tenant: Client | None, window: int | None) -> float | None:
        raise ZeroDivisionError

    try:
        broken_rule = rule_new(name="Broken", metric="broken")
        rule = rule_new(threshold=10)
        scripted.value = 20

        summary = alerts_evaluate(now=T0)
    finally:
        metric_unregister("broken")

    assert summary.outcomes == {broken_rule.pk: UNCHANGED, rule.pk: FIRED}


@pytest.mark.django_db
def test_an_email_that_cannot_be_sent_is_sent_by_the_next_run(scripted, monkeypatch) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    rule = rule_new(threshold=10)

    def refuse(self, messages):
        raise ConnectionRefusedError

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        play(scripted, rule, [20])
    assert mail.outbox == []
    assert AlertFiring.objects.get(rule=rule).fire_notified_at is None

    play(scripted, rule, [20], start=1)

    assert [message.subject for message in mail.outbox] == [
        "CVPlus alert: Scripted rule (the whole platform) is firing"
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Two evaluators at once
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def committed_rules(committed) -> Iterator[list]:
    made: list[AlertRule] = []
    yield made
    AlertRule.objects.filter(pk__in=[rule.pk for rule in made]).delete()
    Heartbeat.objects.filter(name__in=[EVALUATOR, EVALUATOR_PREVIOUS]).delete()


def evaluate_together(now: datetime) -> list[str]:
    """Two evaluators in two threads (two database sessions), both past reading the metric before either goes on."""
    Scripted.wait = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def run() -> None:
        from django.db import connection

        try:
            results.append(alerts_evaluate(now=now).outcomes)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    Scripted.wait = None
    assert errors == []
    return [outcome for outcomes in results for outcome in outcomes.values()]


def test_two_evaluators_at_once_fire_once_and_send_one_email(scripted, committed_rules) -> None:
    rule = rule_new(threshold=10)
    committed_rules.append(rule)
    scripted.value = 20

    outcomes = evaluate_together(T0)

    assert sorted(outcomes) == [FIRED, SKIPPED]
    assert AlertFiring.objects.filter(rule=rule).count() == 1
    assert len(mail.outbox) == 1


def test_two_evaluators_at_once_count_one_breach(scripted, committed_rules) -> None:
    rule = rule_new(threshold=10, consecutive_breaches=2)
    committed_rules.append(rule)
    scripted.value = 20

    assert sorted(evaluate_together(T0)) == [SKIPPED, UNCHANGED]
    assert AlertRuleState.objects.get(rule=rule).breaches == 1
    assert sorted(evaluate_together(T0 + STEP)) == [FIRED, SKIPPED]
    assert AlertFiring.objects.filter(rule=rule).count() == 1


# ---------------------------------------------------------------------------------------------------------------------
# The built-in metrics on real rows
# ---------------------------------------------------------------------------------------------------------------------
def value_of(key: str, tenant: Client | None, window: int | None) -> float | None:
    return metric_get(key).value(tenant, window)


@pytest.mark.django_db
def test_the_training_worker_silent_metric_reads_a_stale_heartbeat_and_fires(cast) -> None:
    assert value_of("training_worker_silent_s", None, None) is None  # never stamped: not enough data
    heartbeat_stamp("worker:training", at=timezone.now() - timedelta(seconds=300))
    rule = alert_rule_save(
        rule=AlertRule(
            name="Training silent",
            metric="training_worker_silent_s",
            threshold=120,
            clear_threshold=60,
            staff_emails=STAFF,
        )
    )

    assert 300 <= value_of("training_worker_silent_s", None, None) < 310
    assert alerts_evaluate().outcomes[rule.pk] == FIRED
    assert 300 <= AlertFiring.objects.get(rule=rule).fired_value < 310

    heartbeat_task.apply(args=("training",))  # what a worker of the training queue runs when beat sends it

    assert value_of("training_worker_silent_s", None, None) < 5
    assert alerts_evaluate(now=timezone.now() + STEP).outcomes[rule.pk] == RESOLVED


@pytest.mark.django_db
def test_a_silent_beat_or_default_worker_is_told_by_the_first_evaluation_after_it(cast) -> None:
    """Nothing is evaluated while beat or the default worker is silent; the next run sees the gap since the last."""
    rule = alert_rule_save(
        rule=AlertRule(name="Beat silent", metric="evaluator_gap_s", threshold=120, staff_emails=STAFF)
    )
    heartbeat_stamp(EVALUATOR, at=timezone.now() - timedelta(seconds=600))  # the last run before the silence

    assert alerts_evaluate().outcomes[rule.pk] == FIRED
    assert 600 <= AlertFiring.objects.get(rule=rule).fired_value < 610

    assert alerts_evaluate(now=timezone.now() + STEP).outcomes[rule.pk] == RESOLVED  # runs again: no gap
    assert AlertFiring.objects.get(rule=rule).resolved_value < 5
    assert [message.subject for message in mail.outbox] == [
        "CVPlus alert: Beat silent (the whole platform) is firing",
        "CVPlus alert resolved: Beat silent (the whole platform)",
    ]


@pytest.mark.django_db
def test_the_evaluator_stamps_its_own_run(cast) -> None:
    alerts_evaluate()

    assert (timezone.now() - Heartbeat.objects.get(name=EVALUATOR).beat_at) < timedelta(seconds=5)


def predictions_logged(schema: str, latencies: list[float], *, age: timedelta = timedelta(0)) -> None:
    with schema_context(schema):
        rows = PredictionLog.objects.bulk_create(
            PredictionLog(kind=PredictionLog.Kind.SALARY, input_hash="0" * 64, latency_ms=latency)
            for latency in latencies
        )
        if age:
            PredictionLog.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=timezone.now() - age)


@pytest.mark.django_db
def test_p99_latency_is_per_tenant_and_platform_wide_and_needs_20_predictions(cast) -> None:
    for schema in ready_tenant_schemas():
        with schema_context(schema):
            PredictionLog.objects.all().delete()  # rolled back with the test
    predictions_logged("alpha", [10.0] * 19)
    assert value_of("prediction_latency_p99_ms", cast.tenant_a, 15) is None  # 19 predictions: not enough

    predictions_logged("alpha", [10.0] * 80 + [1000.0])
    predictions_logged("beta", [50.0] * 99 + [5000.0])
    predictions_logged("beta", [9000.0] * 5, age=timedelta(minutes=20))  # outside a 15-minute window

    # PostgreSQL's percentile_cont: rank 0.99 × (n − 1), interpolated between its neighbours.
    assert value_of("prediction_latency_p99_ms", cast.tenant_a, 15) == pytest.approx(10 + 0.01 * (1000 - 10))
    assert value_of("prediction_latency_p99_ms", cast.tenant_b, 15) == pytest.approx(50 + 0.01 * (5000 - 50))
    assert value_of("prediction_latency_p99_ms", None, 15) == pytest.approx(50 + 0.01 * (1000 - 50))
    assert value_of("prediction_latency_p99_ms", cast.tenant_b, 30) == 9000.0


@pytest.mark.django_db
def test_the_reminder_backlog_counts_reminders_overdue_by_more_than_the_window(cast) -> None:
    now = timezone.now()
    for schema in ready_tenant_schemas():
        with schema_context(schema):
            Reminder.objects.all().delete()  # rolled back with the test
    with schema_context("alpha"):
        ReminderFactory(due_at=now - timedelta(minutes=45))
        ReminderFactory(due_at=now - timedelta(minutes=45), status=Reminder.Status.SENDING)
        ReminderFactory(due_at=now - timedelta(minutes=10))  # overdue, but less than the window
        ReminderFactory(due_at=now - timedelta(hours=3), status=Reminder.Status.SENT)
        ReminderFactory(due_at=now - timedelta(hours=3), status=Reminder.Status.OFF)
    with schema_context("beta"):
        ReminderFactory(due_at=now - timedelta(hours=2))

    assert value_of("reminder_backlog", cast.tenant_a, 30) == 2
    assert value_of("reminder_backlog", cast.tenant_a, 5) == 3
    assert value_of("reminder_backlog", cast.tenant_b, 30) == 1
    assert value_of("reminder_backlog", None, 30) == 3


@pytest.mark.django_db
def test_failed_stripe_events_are_counted_over_the_window(cast) -> None:
    def event(event_id: str, outcome: str, minutes_ago: int) -> None:
        row = WebhookEvent.objects.create(
            event_id=event_id, type="invoice.paid", created=0, payload={}, outcome=outcome
        )
        WebhookEvent.objects.filter(pk=row.pk).update(received_at=timezone.now() - timedelta(minutes=minutes_ago))

    event("evt_alert_1", WebhookEvent.Outcome.FAILED, 5)
    event("evt_alert_2", WebhookEvent.Outcome.FAILED, 50)
    event("evt_alert_3", WebhookEvent.Outcome.FAILED, 90)
    event("evt_alert_4", WebhookEvent.Outcome.APPLIED, 5)

    assert value_of("stripe_events_failed", None, 60) == 2
    assert value_of("stripe_events_failed", None, 10) == 1


# ---------------------------------------------------------------------------------------------------------------------
# Beat and the worker
# ---------------------------------------------------------------------------------------------------------------------
def test_beat_evaluates_every_30_s_and_sends_a_heartbeat_to_each_queue(settings) -> None:
    from cvplus.celery import app

    evaluate = settings.CELERY_BEAT_SCHEDULE["evaluate-alert-rules"]
    assert (evaluate["task"], evaluate["schedule"]) == (alerts_evaluate_task.name, 30)
    beats = {
        entry["args"]: entry["options"]["queue"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == heartbeat_task.name
    }
    assert beats == {("training",): "training"}
    assert {alerts_evaluate_task.name, heartbeat_task.name} <= set(app.tasks)


def test_a_worker_stamps_the_heartbeat_beat_sends_it(celery_worker) -> None:
    Heartbeat.objects.filter(name="worker:training").delete()
    try:
        heartbeat_task.apply_async(args=("training",))  # to the test's default queue: its worker is the one running

        assert wait_until(lambda: Heartbeat.objects.filter(name="worker:training").exists(), timeout_s=30)
        assert metric_get("training_worker_silent_s").value(None, None) < 30
    finally:
        Heartbeat.objects.filter(name="worker:training").delete()
