"""Appending domain events (tracking.DomainEvent) for the analytics that come later."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tracking.models import DomainEvent


def domain_event_record(
    *, kind: str, actor_id: int | None, subject_id: int | None, payload: dict | None = None, at: datetime | None = None
) -> DomainEvent:
    return DomainEvent.objects.create(
        kind=kind, actor_id=actor_id, subject_id=subject_id, payload=payload or {}, occurred_at=at or timezone.now()
    )
