"""Heartbeats: when a periodic job last ran, in the public schema (analytics.Heartbeat).

- ``worker:training`` is stamped by a task that beat sends to the training queue every 30 s: its age grows when no
  training worker takes it (or beat stops sending it), and the evaluator, on the default queue, reads it live.
- ``alerts`` is stamped by the evaluator at the start of each run, and the stamp it replaces is kept as
  ``alerts:previous``. The evaluator runs from beat on the default queue, so while beat or the default worker is
  silent nothing is evaluated at all; the gap between the two stamps tells, on the first run afterwards, how long
  they were silent. Staff see the live ages on the admin index (analytics/templatetags/alerts_admin.py).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from analytics.models import Heartbeat

EVALUATOR = "alerts"
EVALUATOR_PREVIOUS = "alerts:previous"
QUEUES = ("training",)


def worker_heartbeat_name(queue: str) -> str:
    return f"worker:{queue}"


def heartbeat_stamp(name: str, *, at: datetime | None = None) -> None:
    """Records that ``name`` ran now (one upsert)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": at or timezone.now()})


def evaluator_stamp(*, at: datetime | None = None) -> None:
    """The evaluator's stamp, keeping the one it replaces as ``alerts:previous``."""
    previous = Heartbeat.objects.filter(name=EVALUATOR).values_list("beat_at", flat=True).first()
    if previous is not None:
        heartbeat_stamp(EVALUATOR_PREVIOUS, at=previous)
    heartbeat_stamp(EVALUATOR, at=at)


def heartbeat_age_s(name: str, *, now: datetime | None = None) -> float | None:
    """Seconds since ``name`` last ran; None when it never has (e.g. CVPlus running its tasks inline, without beat)."""
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return max(0.0, ((now or timezone.now()) - beat_at).total_seconds())


def evaluator_silence_s() -> float | None:
    """Seconds between the evaluator's last two runs; None before its second."""
    stamps = dict(Heartbeat.objects.filter(name__in=[EVALUATOR, EVALUATOR_PREVIOUS]).values_list("name", "beat_at"))
    if len(stamps) < 2:
        return None
    return max(0.0, (stamps[EVALUATOR] - stamps[EVALUATOR_PREVIOUS]).total_seconds())
