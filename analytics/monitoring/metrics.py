"""The model monitor's figures as plain functions for the alert rules (their metric registry wires these in): each
returns (value, n), value None when n is below the figure's minimum. They read the snapshots (analytics/monitoring/
snapshot.py, at most 5 minutes old), never a tenant's data directly; `tenant` None means every tenant."""

from __future__ import annotations

from analytics.monitoring.report import monitor_report, recent_coverage, snapshots_for
from tenants.models import Client


def salary_coverage(*, tenant: Client | None = None, last_n: int = 200) -> tuple[float | None, int]:
    """The share (0–1) of the newest `last_n` recorded offers that fell inside the P10–P90 salary range predicted
    for their application before the offer, and how many offers that is (fewer than 30: no value)."""
    offers = [offer for snapshot in snapshots_for(tenant) for offer in snapshot.accuracy.get("salary_recent", [])]
    figure = recent_coverage(offers, last_n=last_n)
    return figure.value, figure.n


def psi_max(*, kind: str, tenant: Client | None = None) -> tuple[float | None, int]:
    """The largest population stability index over the input features of the `kind` model that answered most
    inputs in the last 30 days (normally the champion), and how many served inputs it rests on (fewer than 100: no
    value). (None, 0) when no model of the kind has a training reference (the interview prior, match)."""
    rows = [row for row in monitor_report(tenant=tenant).of_kind(kind) if row.psi_max is not None]
    if not rows:
        return None, 0
    busiest = max(rows, key=lambda row: row.observed)
    return busiest.psi_max.value, busiest.psi_max.n
