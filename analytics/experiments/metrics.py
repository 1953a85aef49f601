"""The metrics an experiment can be judged on: each a yes/no per exposed person, computed in SQL from what CVPlus
records, within a window after the person's first exposure.

Each metric's `converted_sql` is a boolean SQL expression over the exposure row `e` (public.analytics_exposure:
`e.user_id`, `e.tenant_id`, `e.exposed_at`), evaluated in the exposed person's tenant schema, so the tracking tables
it names are that tenant's. `%(days)s` is the metric's window. A person counts only once their window has closed
(analytics/experiments/results.py), so a recent exposure is never counted as a "no" that later turns into a "yes".

`tau` is the difference between two variants' rates that the always-valid test is tuned to find soonest
(analytics/experiments/sequential.py): set from what is worth knowing for the metric, never from the data tested. It
is also the futility bound: when the confidence interval of a difference lies within ±tau, no difference that large
is likely and the experiment can stop.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# An action by the seeker on one of their applications: a stage change (not the creation of a new one), a note
# written, a task added or a task ticked off, recorded within the window.
_ACTED = """
    EXISTS (SELECT 1 FROM tracking_applicationevent ev JOIN tracking_application a ON a.id = ev.application_id
            WHERE a.owner_id = e.user_id AND ev.actor_id = e.user_id AND ev.from_stage <> ''
              AND ev.recorded_at >= e.exposed_at AND ev.recorded_at < e.exposed_at + make_interval(days => %(days)s))
    OR EXISTS (SELECT 1 FROM tracking_note n JOIN tracking_application a ON a.id = n.application_id
               WHERE a.owner_id = e.user_id
                 AND n.created_at >= e.exposed_at AND n.created_at < e.exposed_at + make_interval(days => %(days)s))
    OR EXISTS (SELECT 1 FROM tracking_task t JOIN tracking_application a ON a.id = t.application_id
               WHERE a.owner_id = e.user_id
                 AND ((t.created_at >= e.exposed_at AND t.created_at < e.exposed_at + make_interval(days => %(days)s))
                      OR (t.done_at >= e.exposed_at AND t.done_at < e.exposed_at + make_interval(days => %(days)s))))
"""

_ADVANCED = """
    EXISTS (SELECT 1 FROM tracking_applicationevent ev JOIN tracking_application a ON a.id = ev.application_id
            WHERE a.owner_id = e.user_id AND ev.from_stage <> ''
              AND ev.to_stage IN ('screening', 'interviewing', 'offer', 'accepted')
              AND ev.recorded_at >= e.exposed_at AND ev.recorded_at < e.exposed_at + make_interval(days => %(days)s))
"""

_OFFER = """
    EXISTS (SELECT 1 FROM tracking_application a
            WHERE a.owner_id = e.user_id
              AND a.offered_at >= e.exposed_at AND a.offered_at < e.exposed_at + make_interval(days => %(days)s))
"""

# Billing lives in the public schema; a seeker's subscription names the tenant and the user id in it.
_UPGRADED = """
    EXISTS (SELECT 1 FROM public.billing_subscription s JOIN public.billing_plan p ON p.id = s.plan_id
            WHERE s.tenant_id = e.tenant_id AND s.user_id = e.user_id AND p.kind = 'premium'
              AND s.created_at >= e.exposed_at AND s.created_at < e.exposed_at + make_interval(days => %(days)s))
"""


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    description: Promise
    window_days: int
    tau: float
    converted_sql: str


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "acted-7d",
            _("Acted on an application within 7 days"),
            _(
                "Within 7 days after the first exposure, the seeker moved one of their applications to another "
                "stage, wrote a note or added or ticked off a task on one (creating a new application does not "
                "count). For reminder experiments: the exposure is the first reminder sent."
            ),
            7,
            0.05,
            _ACTED,
        ),
        Metric(
            "advanced-14d",
            _("An application moved forward within 14 days"),
            _(
                "Within 14 days after the first exposure, one of the seeker's applications moved to screening, "
                "interviewing, an offer or acceptance."
            ),
            14,
            0.05,
            _ADVANCED,
        ),
        Metric(
            "offer-60d",
            _("Recorded an offer within 60 days"),
            _(
                "Within 60 days after the first exposure (for the salary experiment: the first salary range shown), "
                "one of the seeker's applications first reached the offer stage."
            ),
            60,
            0.03,
            _OFFER,
        ),
        Metric(
            "premium-30d",
            _("Upgraded to premium within 30 days"),
            _(
                "Within 30 days after the first exposure, the seeker's first subscription to a premium plan was "
                "created (a later re-subscription on the same row is not seen)."
            ),
            30,
            0.02,
            _UPGRADED,
        ),
    )
}


def metric_get(key: str) -> Metric | None:
    return METRICS.get(key)


def metric_choices() -> list[tuple[str, Promise]]:
    return [(metric.key, metric.label) for metric in METRICS.values()]
