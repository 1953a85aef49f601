"""Heartbeats: when a periodic job last ran, in the public schema (analytics.Heartbeat).

``worker:<queue>`` is stamped by a task that beat sends to that queue every 30 s, so its age grows when beat stops
sending or no worker of the queue takes it. ``alerts`` is stamped by the evaluator at each run. The evaluator runs
from beat on the default queue too, so it cannot report its own silence, nor the default queue's: staff see both
ages on the admin index (analytics/templatetags/alerts_admin.py), and a rule on the training queue's heartbeat fires
from a live evaluator.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from analytics.models import Heartbeat

EVALUATOR = "alerts"
QUEUES = ("default", "training")


def worker_heartbeat_name(queue: str) -> str:
    return f"worker:{queue}"


def heartbeat_stamp(name: str, *, at: datetime | None = None) -> None:
    """Records that ``name`` ran now (one upsert)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": at or timezone.now()})


def heartbeat_age_s(name: str, *, now: datetime | None = None) -> float | None:
    """Seconds since ``name`` last ran; None when it never has (e.g. CVPlus running its tasks inline, without beat)."""
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return max(0.0, ((now or timezone.now()) - beat_at).total_seconds())


def heartbeats_all() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("name"))
