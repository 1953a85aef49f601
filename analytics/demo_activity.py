"""The demo's past activity (called by `manage.py demo_setup`): SIMULATED page views and served predictions for each
demo person, so that the dashboards' activity, active users and retention have months of history on a fresh machine.
Every event written here carries ``"simulated": true`` in its payload; activity from using the demo afterwards is real.

Derived from the demo's generated histories (already in the tenant's tables), per person:
- on each day they moved an application, they looked at their board and at the application, and the application
  page served a salary range and an interview probability (latencies drawn around what bench/predict.py measures);
- on other days since they joined (an organisation's member: `Membership.joined_at`; a seeker: `date_joined`), a
  visit to the board with a chance that fades from about one day in three to one in twenty over two months, the
  usual shape of engagement after sign-up, until a day drawn for each person (a consumer site's seekers about a month
  on average, a programme's members about five) after which only their own moves bring them back.
Idempotent per schema: nothing is written when the schema has any simulated page view already.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.kick import rollups_kick
from tracking.models import ApplicationEvent, DomainEvent

Kind = DomainEvent.Kind
# How long people keep coming back between their own moves, on average: a programme's members are followed by a coach,
# a consumer site's seekers drift away (most stop within weeks, as sign-up cohorts of consumer apps do).
MEAN_STAY_DAYS = {"enterprise": 150, "consumer": 30}


def _joined(schema_kind: str) -> dict[int, datetime]:
    if schema_kind == "enterprise":
        from portal.models import Membership

        return dict(Membership.objects.values_list("user_id", "joined_at"))
    return dict(User.objects.filter(is_active=True).values_list("pk", "date_joined"))


def _event(kind: str, at: datetime, actor: int, **payload: object) -> DomainEvent:
    return DomainEvent(kind=kind, occurred_at=at, actor_id=actor, payload={**payload, "simulated": True})


def _latency_ms(rng: random.Random, median: float) -> float:
    return round(rng.lognormvariate(math.log(median), 0.4), 1)


def _day_of_work(rng: random.Random, actor: int, at: datetime) -> list[DomainEvent]:
    seen = at - timedelta(minutes=rng.randrange(1, 30))
    return [
        _event(Kind.PAGE_VIEWED, seen, actor, key="board"),
        _event(Kind.PAGE_VIEWED, at, actor, key="application"),
        _event(Kind.PREDICTION_SERVED, at, actor, key="salary", value=round(rng.lognormvariate(math.log(18), 0.4), 1)),
        _event(
            Kind.PREDICTION_SERVED, at, actor, key="interview", value=round(rng.lognormvariate(math.log(9), 0.4), 1)
        ),
    ]


def demo_activity_ensure(*, schema: str, schema_kind: str, now: datetime | None = None, seed: int = 14) -> int:
    """Writes the schema's simulated activity once; returns the number of events written."""
    now = now or timezone.now()
    rng = random.Random(f"{seed}:{schema}")  # noqa: S311 - simulated demo activity, not a secret
    with schema_context(schema):
        if DomainEvent.objects.filter(kind=Kind.PAGE_VIEWED, payload__simulated=True).exists():
            return 0
        joined = _joined(schema_kind)
        moves: dict[int, set] = {}
        for actor, at in ApplicationEvent.objects.filter(application__owner__in=joined).values_list(
            "application__owner_id", "occurred_at"
        ):
            moves.setdefault(actor, set()).add(at)
        events: list[DomainEvent] = []
        for actor, since in sorted(joined.items()):
            worked_days = {at.date() for at in moves.get(actor, ())}
            for at in sorted(moves.get(actor, ())):
                events += _day_of_work(rng, actor, at)
            day = since.date()
            stays = rng.expovariate(1 / MEAN_STAY_DAYS[schema_kind])  # days until they stop coming back
            while day < now.date():
                age = (day - since.date()).days
                if age > stays:
                    break
                if day not in worked_days and rng.random() < 0.05 + 0.28 * math.exp(-age / 60):
                    at = datetime.combine(day, datetime.min.time(), tzinfo=since.tzinfo) + timedelta(
                        hours=rng.randrange(7, 22), minutes=rng.randrange(60)
                    )
                    events.append(_event(Kind.PAGE_VIEWED, at, actor, key=rng.choice(["board", "board", "reminders"])))
                day += timedelta(days=1)
        DomainEvent.objects.bulk_create(events, batch_size=2000)
        rollups_kick(schema)
    return len(events)


def simulated_history_record(*, schema: str) -> int:
    """Counts the schema's simulated events into SimulatedHistory (after the demo set-up wrote them); returns them."""
    from analytics.models import SimulatedHistory
    from tenants.models import Client

    with schema_context(schema):
        simulated = DomainEvent.objects.filter(payload__simulated=True).aggregate(
            events=models.Count("pk"), earliest=models.Min("occurred_at"), latest=models.Max("occurred_at")
        )
    tenant = Client.objects.get(schema_name=schema)
    if simulated["events"]:
        SimulatedHistory.objects.update_or_create(tenant=tenant, defaults=simulated)
    else:
        SimulatedHistory.objects.filter(tenant=tenant).delete()
    return simulated["events"]


def simulated_note(tenants: list) -> dict | None:
    """What analytics/_simulated.html says about the simulated events of these tenants (None: there are none)."""
    from analytics.models import SimulatedHistory

    histories = list(SimulatedHistory.objects.filter(tenant__in=tenants).select_related("tenant").order_by("tenant"))
    if not histories:
        return None
    events = sum(history.events for history in histories)
    return {
        "events": events,
        "events_text": number_format(events, force_grouping=True),
        "where": ", ".join(history.tenant.name for history in histories),
        "earliest": min((h.earliest for h in histories if h.earliest), default=None),
        "latest": max((h.latest for h in histories if h.latest), default=None),
    }
