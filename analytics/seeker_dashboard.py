"""The seeker dashboard (issue 14, item 2): one seeker's own figures, read from their own applications and stage
history (two indexed queries whatever their number) and computed by analytics/seeker_figures.py. Nothing here reads
another user's rows or the domain events; the predictors it asks for the comparison read what they always read.

Own data has no minimum group size. Below a handful of sent applications the page says the figures cannot tell much.

The comparison with CVPlus's predictions uses the predictions as they are *now*: the prediction log keeps which
model answered and a hash of the input, not the answer, so the odds or range a seeker saw when applying cannot be
read back (portal/outcomes_salary.py says the same of the salary ranges). Each part asks billing.entitlements
first; a plan without the feature gets the locked section, and the predictor is not run.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics import seeker_figures as figures
from analytics.seeker_figures import ApplicationRow, EventRow
from billing.entitlements import entitlement_check, plan_for
from billing.gating import locked_section
from billing.models import Feature
from portal.outcomes import offer_position
from portal.outcomes_queries import OutcomeFilters, offer_list
from portal.outcomes_salary import READY, predicted_ranges
from predictions import service
from predictions.interview.features import outcome_labels
from predictions.interview.outcomes import interview_input_for
from predictions.models import PredictionLog
from tenants.context import require_tenant_schema
from tracking.models import Application, ApplicationEvent

logger = logging.getLogger(__name__)
NOT_AVAILABLE = "failed"


@dataclass(frozen=True)
class OfferCheck:
    application_id: int
    title: str
    company: str
    amount: Decimal
    currency: str
    accepted: bool
    low: Decimal | None  # the predicted 10th–90th percentile range in the offer's currency; None without one
    high: Decimal | None
    position: str | None  # portal.outcomes BELOW / INSIDE / ABOVE; None without a range


@dataclass
class SeekerDashboard:
    applications: int  # tracked, saved ones included
    sent: int
    funnel: list[figures.FunnelStep]
    channels: list[figures.ChannelRate]
    stage_times: list[figures.StageTime]
    weeks: list[figures.Week]
    interview: figures.InterviewCheck | None = None
    interview_waiting: int = 0  # sent applications whose interview outcome is not known yet (too recent, withdrawn)
    interview_locked: dict | None = None
    interview_status: str = READY
    offers: list[OfferCheck] = field(default_factory=list)
    offers_locked: dict | None = None
    offers_status: str = READY

    @property
    def few(self) -> bool:
        return self.sent < figures.FEW_APPLICATIONS


def _rows(user: User) -> tuple[list[ApplicationRow], dict[int, tuple[str, str]], dict[int, list[EventRow]]]:
    applications = Application.objects.filter(owner=user).order_by("pk")
    rows, postings = [], {}
    for values in applications.values_list(*ApplicationRow._fields, "posting__title", "posting__company"):
        rows.append(ApplicationRow._make(values[:-2]))
        postings[values[0]] = values[-2:]
    events: dict[int, list[EventRow]] = defaultdict(list)
    history = ApplicationEvent.objects.filter(application__owner=user).order_by("application_id", "occurred_at", "pk")
    for values in history.values_list(*EventRow._fields):
        events[values[0]].append(EventRow._make(values))
    return rows, postings, events


def _isolated(what: str, compute):
    """A failing predictor's queries roll back alone and the rest of the page is shown."""
    try:
        with transaction.atomic():
            return compute()
    except Exception:  # noqa: BLE001 - the section says "not available right now" instead
        logger.exception("seeker dashboard: the %s comparison failed", what)
        return None


def _interview_outcomes(
    user: User, rows: list[ApplicationRow], events: dict[int, list[EventRow]], now: datetime.datetime
) -> tuple[dict[int, int], int]:
    """{application id: interview label} for the sent applications whose outcome is known, and how many sent ones
    are still waiting for theirs."""
    labels, waiting = {}, 0
    for row in rows:
        if row.applied_at is None:
            continue
        stages = [(event.to_stage, event.occurred_at) for event in events.get(row.id, [])]
        label = outcome_labels(stages=stages, applied_at=row.applied_at, as_of=now).interview
        if label is None:
            waiting += 1
        else:
            labels[row.id] = label
    return labels, waiting


def _interview_probabilities(user: User, ids: list[int]) -> list[float]:
    applications = Application.objects.filter(owner=user, pk__in=ids).select_related(
        "posting", "cv", "cv__correction", "owner"
    )
    ordered = sorted(applications, key=lambda application: ids.index(application.pk))
    inputs = [asdict(interview_input_for(application)) for application in ordered]
    results = service.interview_serve(user=user, inputs=inputs, explain=False, source=PredictionLog.Source.PAGE)
    return [float(result["interview_probability"]) for result in results]


def _interview_part(dashboard: SeekerDashboard, user: User, rows, events, now, plan) -> None:
    entitlement = entitlement_check(user=user, feature=Feature.INTERVIEW, plan=plan)
    if not entitlement.allowed:
        dashboard.interview_locked = locked_section(entitlement)
        return
    labels, dashboard.interview_waiting = _interview_outcomes(user, rows, events, now)
    if not labels:
        return
    ids = sorted(labels)
    probabilities = _isolated("interview", lambda: _interview_probabilities(user, ids))
    if probabilities is None:
        dashboard.interview_status = NOT_AVAILABLE
        return
    dashboard.interview = figures.interview_check(list(zip(probabilities, (labels[i] for i in ids), strict=True)))


def _offers_part(dashboard: SeekerDashboard, user: User, postings: dict[int, tuple[str, str]], plan) -> None:
    entitlement = entitlement_check(user=user, feature=Feature.SALARY_RANGE, plan=plan)
    if not entitlement.allowed:
        dashboard.offers_locked = locked_section(entitlement)
        return
    offers = offer_list(OutcomeFilters(), members=User.objects.filter(pk=user.pk).values("pk"))
    if not offers:
        return
    answer = _isolated("salary", lambda: predicted_ranges(viewer=user, offers=offers))
    predicted, dashboard.offers_status = answer if answer is not None else ({}, NOT_AVAILABLE)
    for row in offers:
        found = predicted.get(row["id"])
        title, company = postings.get(row["id"], ("", ""))
        dashboard.offers.append(
            OfferCheck(
                application_id=row["id"],
                title=title,
                company=company,
                amount=row["offer_amount"],
                currency=row["offer_currency"],
                accepted=row["stage"] == "accepted",
                low=found.low if found else None,
                high=found.high if found else None,
                position=offer_position(row["offer_amount"], found) if found else None,
            )
        )


def seeker_dashboard(*, user: User, now: datetime.datetime | None = None, predictions: bool = True) -> SeekerDashboard:
    """Every figure of `user`'s dashboard as of `now`. With `predictions` False, the comparison with the predictions
    is left out (nothing is predicted)."""
    require_tenant_schema()
    now = now or timezone.now()
    rows, postings, events = _rows(user)
    dashboard = SeekerDashboard(
        applications=len(rows),
        sent=sum(1 for row in rows if row.applied_at is not None),
        funnel=figures.funnel_steps(rows),
        channels=figures.response_by_channel(rows, Application.Channel.values),
        stage_times=figures.stage_times(events, now=now),
        weeks=figures.weekly_activity((e for history in events.values() for e in history), today=now.date()),
    )
    if predictions and dashboard.sent:
        plan = plan_for(user)
        _interview_part(dashboard, user, rows, events, now, plan)
        _offers_part(dashboard, user, postings, plan)
    return dashboard
