"""The model monitor's figures for one tenant or for every tenant, read from the snapshots alone (a few rows) and the
global model versions' held-out figures and references (public, without their artifacts).

Every tenant's figures are the sums of the tenants' parts. A model trained on one tenant's own data is that tenant's
alone: over every tenant its rows are summed into one "each tenant's own model" line per kind, without drift (each
has its own reference; a tenant's view shows it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from analytics.models import ModelMonitorSnapshot
from analytics.monitoring import accuracy, latency
from analytics.monitoring.psi import MIN_INPUTS, psi_band, psi_by_feature
from analytics.monitoring.snapshot import version_facts
from predictions.drift import counts_add as bins_add
from predictions.models import ModelVersion
from tenants.context import public_schema_context
from tenants.models import Client

KIND_ORDER = ("salary", "interview", "time_to_hire", "match")
TENANT_MODELS = "tenant:*"  # the key of "each tenant's own model" over every tenant


def snapshots_for(tenant: Client | None) -> QuerySet[ModelMonitorSnapshot]:
    """The snapshots of `tenant`, or of every ready tenant not erased."""
    snapshots = ModelMonitorSnapshot.objects.select_related("tenant").filter(
        tenant__is_ready=True, tenant__erased_at__isnull=True
    )
    return snapshots.filter(tenant=tenant) if tenant is not None else snapshots.order_by("tenant__schema_name")


@dataclass
class Figure:
    """A live figure and the outcomes (or inputs) behind it; `value` is None when there are fewer than `minimum`."""

    value: float | None
    n: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.n >= self.minimum


@dataclass
class FeatureDrift:
    name: str
    psi: float
    band: str


@dataclass
class ModelRow:
    kind: str
    key: str
    label: str
    status: str = ""
    requests: int = 0
    items: int = 0
    single_requests: int = 0
    p50_ms: float | None = None
    p99_ms: float | None = None
    observed: int = 0
    drift: list[FeatureDrift] = field(default_factory=list)
    psi_max: Figure | None = None
    drift_note: str = ""
    coverage: Figure | None = None  # salary: offers inside P10–P90; time to hire: offers inside P10–P90 days
    below: int = 0
    above: int = 0
    unconverted: int = 0
    brier: Figure | None = None
    ece: Figure | None = None
    reliability: list[dict] = field(default_factory=list)
    held_out: dict = field(default_factory=dict)
    demo: int = 0  # outcomes behind the accuracy figures that the demo simulated
    measured_from: str = ""
    tenants: int = 0


@dataclass
class MonitorReport:
    tenant: Client | None
    rows: list[ModelRow]
    computed_at: datetime | None
    tenants: int
    salary_recent: Figure

    def of_kind(self, kind: str) -> list[ModelRow]:
        return [row for row in self.rows if row.kind == kind]


def _merged_key(key: str, *, overall: bool) -> str:
    return TENANT_MODELS if overall and key.startswith("tenant:") else key


def _global_facts(keys: set[str]) -> dict[str, dict]:
    ids = [int(key.split(":", 1)[1]) for key in keys if key.split(":", 1)[0] == "global"]
    with public_schema_context():
        versions = ModelVersion.objects.filter(pk__in=ids).exclude(scope=ModelVersion.Scope.TENANT).defer("artifact")
        return {f"global:{v.pk}": version_facts(v) for v in versions}


def _label(kind: str, key: str, facts: dict | None, identity: dict) -> str:
    if key == TENANT_MODELS:
        return _("each tenant's own model")
    if facts is not None:
        scope = _("this tenant's own data") if facts["scope"] == ModelVersion.Scope.TENANT else _("global")
        return _("v%(version)s (%(scope)s)") % {"version": facts["version"], "scope": scope}
    if kind == "interview" and identity.get("scope") == "prior":
        return _("published prior, refined by tracked outcomes")
    if identity.get("model_label"):
        return str(identity["model_label"])
    if identity.get("model_version") is not None:
        return _("v%(version)s") % {"version": identity["model_version"]}
    return key


def _row(rows: dict[tuple[str, str], ModelRow], kind: str, key: str) -> ModelRow:
    if (kind, key) not in rows:
        rows[(kind, key)] = ModelRow(kind=kind, key=key, label="")
    return rows[(kind, key)]


def _drift(row: ModelRow, facts: dict | None, live: dict) -> None:
    reference = (facts or {}).get("reference") or {}
    if row.key == TENANT_MODELS:
        row.drift_note = _("Each tenant's own model has its own reference: choose a tenant to see its drift.")
        return
    if not reference.get("features"):
        if facts is None:
            row.drift_note = _("No training data to compare with (not a trained model).")
        else:
            row.drift_note = _("No reference bins yet: run manage.py input_reference_backfill.")
        return
    by_feature = psi_by_feature(reference, live) if row.observed else {}
    row.drift = [
        FeatureDrift(name, value, psi_band(value))
        for name, value in sorted(by_feature.items(), key=lambda item: item[1], reverse=True)
    ]
    worst = row.drift[0].psi if row.drift else None
    row.psi_max = Figure(worst if row.observed >= MIN_INPUTS else None, row.observed, MIN_INPUTS)
    if reference.get("backfilled") and not reference.get("exact"):
        row.drift_note = _(
            "The reference was recomputed after training from data that has changed since: an approximation."
        )


def monitor_report(*, tenant: Client | None) -> MonitorReport:
    """The figures of `tenant`, or of every tenant (None)."""
    overall = tenant is None
    snapshots = list(snapshots_for(tenant))
    rows: dict[tuple[str, str], ModelRow] = {}
    identities: dict[tuple[str, str], dict] = {}
    live_bins: dict[tuple[str, str], dict] = {}
    latency_counts: dict[tuple[str, str], dict] = {}
    tenant_facts: dict[str, dict] = {}
    parts: dict[tuple[str, str], list] = {}
    recent: list[list] = []
    for snapshot in snapshots:
        if not overall:
            tenant_facts |= snapshot.accuracy.get("tenant_models", {})
        for entry in snapshot.serving:
            key = (entry["kind"], _merged_key(entry["version_key"], overall=overall))
            row = _row(rows, *key)
            identities.setdefault(key, entry)
            row.requests += entry["requests"]
            row.items += entry["items"]
            row.observed += entry["observed"]
            row.tenants += 1
            latency.counts_add(latency_counts.setdefault(key, {}), entry["latency_counts"])
            bins_add(live_bins.setdefault(key, {}), entry["input_bins"])
        for kind in ("interview", "salary", "time_to_hire"):
            for version_key, entry in snapshot.accuracy.get(kind, {}).items():
                key = (kind, _merged_key(version_key, overall=overall))
                row = _row(rows, *key)
                identities.setdefault(key, entry)
                part = parts.get(key)
                parts[key] = _copied(entry["parts"]) if part is None else _added(part, entry["parts"], kind)
                row.demo += entry.get("demo", 0)
                row.unconverted += entry.get("unconverted", 0)
                row.measured_from = entry.get("measured_from", row.measured_from)
        recent += snapshot.accuracy.get("salary_recent", [])
    global_facts = _global_facts({key for _kind, key in rows})
    for (kind, key), row in rows.items():
        facts = tenant_facts.get(key) or global_facts.get(key)
        row.label = _label(kind, key, facts, identities[(kind, key)])
        row.status = (facts or {}).get("status", "")
        row.held_out = (facts or {}).get("held_out", {})
        counts = latency_counts.get((kind, key), {})
        row.single_requests = sum(counts.values())
        row.p50_ms, row.p99_ms = latency.percentile(counts, 0.5), latency.percentile(counts, 0.99)
        _drift(row, facts, live_bins.get((kind, key), {}))
        _accuracy(row, parts.get((kind, key)))
    recent.sort(key=lambda offer: offer[0], reverse=True)
    ordered = sorted(rows.values(), key=lambda r: (KIND_ORDER.index(r.kind), r.status != "champion", -r.requests))
    return MonitorReport(
        tenant=tenant,
        rows=ordered,
        computed_at=min((s.computed_at for s in snapshots), default=None),
        tenants=len(snapshots),
        salary_recent=recent_coverage(recent, last_n=200),
    )


def _copied(part: list) -> list:
    return [list(p) if isinstance(p, list) else p for p in part]


def _added(total: list, more: list, kind: str) -> list:
    if kind == "interview":
        return accuracy.parts_add(total, more)
    return [a + b for a, b in zip(total, more, strict=True)]


def _accuracy(row: ModelRow, part: list | None) -> None:
    if part is None:
        return
    minimum = accuracy.MIN_OUTCOMES
    if row.kind == "interview":
        n = int(sum(p[0] for p in part))
        enough = n >= minimum
        row.brier = Figure(accuracy.brier(part) if enough else None, n, minimum)
        row.ece = Figure(accuracy.ece(part) if enough else None, n, minimum)
        row.reliability = accuracy.reliability_points(part) if enough else []
        return
    n, below, _inside, above = part
    row.coverage = Figure(accuracy.coverage(part) if n >= minimum else None, n, minimum)
    row.below, row.above = below, above


def recent_coverage(offers: list[list], *, last_n: int) -> Figure:
    """Coverage of the salary range over the newest `last_n` offers ([offered_at ISO, inside 1/0, demo 1/0])."""
    newest = sorted(offers, key=lambda offer: offer[0], reverse=True)[:last_n]
    n = len(newest)
    value = sum(offer[1] for offer in newest) / n if n >= accuracy.MIN_OUTCOMES else None
    return Figure(value, n, accuracy.MIN_OUTCOMES)
