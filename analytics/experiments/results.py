"""An experiment's results: per variant the exposures, the people whose metric window has closed, how many of them
converted, the rate with its always-valid interval, the difference against the control with its always-valid
interval and p-value, the sample-ratio-mismatch check and the decision.

Counting. The exposures live in the public schema and the metric's data in each tenant's schema, so each tenant that
has exposures is counted in its own schema (`schema_context`), joining only its own exposures (`e.tenant_id`) with its
own tables: no tenant's data meets another's. A person counts once their window has closed (exposed at least the
metric's window ago); each look then sees a prefix, in exposure time, of a sequence whose outcomes no longer change,
which is what the always-valid test assumes. People still inside their window are shown as pending.

The test (analytics/experiments/sequential.py) keeps its state across looks in `Experiment.sequential_state`: per
variant the smallest p-value and the intersection of the intervals seen so far. A look at any moment is a stop at a
stopping time, so the running minimum and intersection stay valid however often the page is opened. With more than
one variant against the control, each comparison uses alpha divided by their number (Bonferroni).

Decision, per variant against the control (the metric is a rate where higher is better):
- "stop: sample ratio mismatch" when the split of exposures is far from the weights (srm.py): nothing else is read;
- "keep running" while either group has fewer than MIN_GROUP people whose window has closed, or no variance yet;
- "variant better" / "control better" when the interval of the difference excludes 0 (p <= alpha);
- "stop: no difference likely" when the interval lies within ±tau, the difference the metric cares about;
- "keep running" otherwise.
The experiment's decision: a variant better than the control wins; else the control when every variant is worse;
else "no difference" when every comparison says so; else keep running.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from analytics.experiments.metrics import Metric, metric_get
from analytics.experiments.sequential import ALPHA, Arm, interval, look
from analytics.experiments.srm import SrmCheck, srm_check
from analytics.models import Experiment, Exposure

MIN_GROUP = 5  # never show a group smaller than this (and never decide on one)

KEEP_RUNNING = "keep-running"
VARIANT_BETTER = "variant-better"
CONTROL_BETTER = "control-better"
NO_DIFFERENCE = "no-difference"
SAMPLE_RATIO_MISMATCH = "sample-ratio-mismatch"
DECISIONS: dict[str, Promise] = {
    KEEP_RUNNING: _("keep running"),
    VARIANT_BETTER: _("variant better"),
    CONTROL_BETTER: _("control better"),
    NO_DIFFERENCE: _("stop: no difference likely"),
    SAMPLE_RATIO_MISMATCH: _("stop: sample ratio mismatch, fix the assignment before reading anything"),
}


@dataclass
class Counts:
    exposures: int = 0
    simulated: int = 0
    matured: int = 0
    conversions: int = 0


@dataclass(frozen=True)
class Comparison:
    difference: float  # variant rate − control rate, at this look
    low: float  # the always-valid interval of the difference (intersection over looks)
    high: float
    p_value: float  # always valid (smallest over looks)
    alpha: float
    decision: str

    @property
    def decision_label(self) -> Promise:
        return DECISIONS[self.decision]


@dataclass(frozen=True)
class VariantResult:
    name: str
    weight: int
    counts: Counts
    shown: bool  # at least MIN_GROUP people whose window has closed
    rate: float | None = None
    low: float | None = None
    high: float | None = None
    comparison: Comparison | None = None
    is_control: bool = False

    @property
    def pending(self) -> int:
        return self.counts.exposures - self.counts.matured


@dataclass(frozen=True)
class Results:
    experiment: Experiment
    metric: Metric
    variants: list[VariantResult]
    srm: SrmCheck
    decision: str
    computed_at: datetime
    simulated_exposures: int = 0
    total_exposures: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def decision_label(self) -> Promise:
        return DECISIONS[self.decision]


def _exposure_table() -> str:
    quote = connection.ops.quote_name
    return f"{quote(get_public_schema_name())}.{quote(Exposure._meta.db_table)}"


def experiment_counts(experiment: Experiment, metric: Metric, *, now: datetime) -> dict[str, Counts]:
    """Counts by variant, summed over the tenants that have exposures, each counted in its own schema."""
    from tenants.models import Client

    exposed_tenants = Exposure.objects.filter(experiment=experiment).values("tenant_id")
    tenants = Client.objects.filter(pk__in=exposed_tenants, is_ready=True, erased_at__isnull=True)
    sql = (
        "SELECT e.variant, count(*), count(*) FILTER (WHERE e.simulated), "  # noqa: S608 - a table name and a constant expression, not input
        "count(*) FILTER (WHERE e.exposed_at <= %(matured_before)s), "
        f"count(*) FILTER (WHERE e.exposed_at <= %(matured_before)s AND ({metric.converted_sql})) "
        f"FROM {_exposure_table()} e WHERE e.experiment_id = %(experiment)s AND e.tenant_id = %(tenant)s "
        "GROUP BY e.variant"
    )
    totals: dict[str, Counts] = defaultdict(Counts)
    for schema, tenant_id in tenants.order_by("schema_name").values_list("schema_name", "pk"):
        params = {
            "matured_before": now - timedelta(days=metric.window_days),
            "days": metric.window_days,
            "experiment": experiment.pk,
            "tenant": tenant_id,
        }
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute(sql, params)
            for variant, exposures, simulated, matured, conversions in cursor.fetchall():
                counts = totals[variant]
                counts.exposures += exposures
                counts.simulated += simulated
                counts.matured += matured
                counts.conversions += conversions
    return dict(totals)


def _arm(counts: Counts) -> Arm:
    n = counts.matured
    mean = counts.conversions / n if n else 0.0
    variance = mean * (1 - mean) * n / (n - 1) if n > 1 else 0.0  # the sample variance of 0/1 outcomes
    return Arm(n=n, mean=mean, variance=variance)


def _decide(low: float, high: float, p_value: float, alpha: float, tau: float) -> str:
    if p_value <= alpha and low > 0:
        return VARIANT_BETTER
    if p_value <= alpha and high < 0:
        return CONTROL_BETTER
    if -tau < low and high < tau:
        return NO_DIFFERENCE
    return KEEP_RUNNING


def _overall(decisions: list[str]) -> str:
    if not decisions:
        return KEEP_RUNNING
    if VARIANT_BETTER in decisions:
        return VARIANT_BETTER
    if all(decision == CONTROL_BETTER for decision in decisions):
        return CONTROL_BETTER
    if all(decision == NO_DIFFERENCE for decision in decisions):
        return NO_DIFFERENCE
    return KEEP_RUNNING


def experiment_results(experiment: Experiment, *, now: datetime | None = None, remember: bool = True) -> Results:
    """The results at `now`. With `remember`, this look is added to the experiment's sequential state (the results
    page does; a test that only reads passes False)."""
    now = now or timezone.now()
    metric = metric_get(experiment.metric)
    if metric is None:
        raise ValueError(f"experiment {experiment.key} has an unknown metric {experiment.metric!r}")
    counts = experiment_counts(experiment, metric, now=now)
    pairs = experiment.variant_pairs()
    srm = srm_check({name: c.exposures for name, c in counts.items()}, pairs)
    control_name = pairs[0][0]
    control_counts = counts.get(control_name, Counts())
    control_arm = _arm(control_counts)
    alpha = ALPHA / max(1, len(pairs) - 1)
    state = dict(experiment.sequential_state or {})
    results: list[VariantResult] = []
    decisions: list[str] = []
    for name, weight in pairs:
        variant_counts = counts.get(name, Counts())
        shown = variant_counts.matured >= MIN_GROUP
        arm = _arm(variant_counts)
        rate_interval = interval(arm, tau=metric.tau, alpha=alpha) if shown else None
        comparison = None
        if name != control_name:
            comparison = _compare(control_arm, arm, state, name, metric, alpha) if shown else None
            decisions.append(comparison.decision if comparison is not None else KEEP_RUNNING)
        results.append(
            VariantResult(
                name=name,
                weight=weight,
                counts=variant_counts,
                shown=shown,
                rate=arm.mean if shown else None,
                low=max(0.0, rate_interval[0]) if rate_interval else None,
                high=min(1.0, rate_interval[1]) if rate_interval else None,
                comparison=comparison,
                is_control=name == control_name,
            )
        )
    decision = SAMPLE_RATIO_MISMATCH if srm.flagged else _overall(decisions)
    if remember and state != (experiment.sequential_state or {}):
        Experiment.objects.filter(pk=experiment.pk).update(sequential_state=state)
        experiment.sequential_state = state
    return Results(
        experiment=experiment,
        metric=metric,
        variants=results,
        srm=srm,
        decision=decision,
        computed_at=now,
        simulated_exposures=sum(c.simulated for c in counts.values()),
        total_exposures=sum(c.exposures for c in counts.values()),
    )


def _compare(control: Arm, treatment: Arm, state: dict, name: str, metric: Metric, alpha: float) -> Comparison | None:
    """This look against the control, folded into the variant's running state (which it updates in `state`)."""
    if control.n < MIN_GROUP:
        return None
    current = look(control, treatment, tau=metric.tau, alpha=alpha)
    before = state.get(name) or {}
    if current is None:  # no variance at this look: what earlier looks established still holds
        if not before:
            return None
        low, high, p_value = float(before["low"]), float(before["high"]), float(before["p_value"])
        decision = _decide(low, high, p_value, alpha, metric.tau)
        return Comparison(treatment.mean - control.mean, low, high, p_value, alpha, decision)
    p_value = min(float(before.get("p_value", 1.0)), current.p_value)
    low = max(float(before.get("low", current.low)), current.low)
    high = min(float(before.get("high", current.high)), current.high)
    if low > high:  # intervals that no longer meet (a rare chance event): read this look's alone
        low, high = current.low, current.high
    state[name] = {"p_value": p_value, "low": low, "high": high, "looks": int(before.get("looks", 0)) + 1}
    return Comparison(current.difference, low, high, p_value, alpha, _decide(low, high, p_value, alpha, metric.tau))
