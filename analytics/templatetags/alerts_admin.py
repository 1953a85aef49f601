"""The admin index's alerts panel: open firings, and how long ago the evaluator and each queue's worker last ran."""

from __future__ import annotations

from django import template
from django.utils import timezone

from analytics.alerts import display
from analytics.alerts.heartbeat import EVALUATOR, QUEUES, worker_heartbeat_name
from analytics.alerts.registry import metric_get
from analytics.models import AlertFiring, Heartbeat

register = template.Library()

# Beat runs the evaluator and the heartbeats every 30 s: older than this, the panel says so.
STALE_AFTER_S = 120
OPEN_FIRINGS_SHOWN = 20


@register.inclusion_tag("analytics/alerts/admin_panel.html")
def alerts_panel() -> dict:
    now = timezone.now()
    open_firings = list(
        AlertFiring.objects.filter(resolved_at__isnull=True)
        .select_related("rule", "rule__tenant")
        .order_by("-fired_at")[:OPEN_FIRINGS_SHOWN]
    )
    beats = dict(Heartbeat.objects.values_list("name", "beat_at"))
    names = [EVALUATOR, *(worker_heartbeat_name(queue) for queue in QUEUES)]
    heartbeats = []
    for name in names:
        beat_at = beats.get(name)
        age_s = None if beat_at is None else max(0, round((now - beat_at).total_seconds()))
        heartbeats.append({"name": name, "age_s": age_s, "stale": age_s is None or age_s > STALE_AFTER_S})
    return {
        "firings": [
            {
                "firing": firing,
                "scope": display.scope_text(firing.rule),
                "value": display.value_text(metric_get(firing.rule.metric), firing.fired_value),
            }
            for firing in open_firings
        ],
        "heartbeats": heartbeats,
    }
