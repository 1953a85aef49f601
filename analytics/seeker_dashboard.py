"""The seeker dashboard (issue 14, item 2): one seeker's own figures, read from their own applications and stage
history (two indexed queries whatever their number) and computed by analytics/seeker_figures.py. Nothing here reads
another user's rows or the domain events; the predictors it asks for the comparison read what they always read.

Own data has no minimum group size. Below a handful of sent applications the page says the figures cannot tell much.

The comparison with CVPlus's predictions uses the predictions as they are *now*: the prediction log keeps which
model answered and a hash of the input, not the answer, so the odds or range a seeker saw when applying cannot be
read back (portal/outcomes_salary.py says the same of the salary ranges). Each part asks billing.entitlements
first; a plan without the feature gets the locked section, and the predictor is not run.

The comparison costs a match and a prediction per application with a known outcome (seconds for thousands), so the
page leaves it to its own fragment (``seeker_comparison``), and the interview part is cached until the seeker's
applications or the interview champions change, or the hour turns (``comparison_cache_key``).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import FloatField, Func
from django.utils import timezone

from accounts.models import User
from analytics import seeker_figures as figures
from analytics.seeker_figures import ApplicationRow, EventRow
from analytics.shared_cache import cached_or_computed
from billing.entitlements import entitlement_check, plan_for
from billing.gating import locked_section
from billing.models import Feature
from portal.outcomes import offer_position
from portal.outcomes_queries import OutcomeFilters, offer_list
from portal.outcomes_salary import READY, predicted_ranges
from predictions import service
from predictions.interview.features import outcome_labels
from predictions.interview.model import InterviewModel
from predictions.interview.outcomes import interview_input_for
from predictions.models import PredictionLog
from predictions.registry import champion_get
from tenants.context import require_tenant_schema
from tracking.cv import keywords
from tracking.models import Application, ApplicationEvent

logger = logging.getLogger(__name__)
NOT_AVAILABLE = "failed"
CACHE_S = 3600


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


@dataclass(kw_only=True)
class PredictedComparison:
    """The seeker's outcomes against CVPlus's predictions: the page's deferred section (/app/insights/predicted/)."""

    interview: figures.InterviewCheck | None = None
    interview_waiting: int = 0  # sent applications whose interview outcome is not known yet (too recent, withdrawn)
    interview_locked: dict | None = None
    interview_status: str = READY
    offers: list[OfferCheck] = field(default_factory=list)
    offers_locked: dict | None = None
    offers_status: str = READY


@dataclass(kw_only=True)
class SeekerDashboard(PredictedComparison):
    applications: int  # tracked, saved ones included
    sent: int
    funnel: list[figures.FunnelStep]
    channels: list[figures.ChannelRate]
    stage_times: list[figures.StageTime]
    weeks: list[figures.Week]

    @property
    def few(self) -> bool:
        return self.sent < figures.FEW_APPLICATIONS


class _Epoch(Func):
    """A timestamp as seconds since 1970 (float8): psycopg parses a timestamptz from text at about 10 µs, and a seeker
    with 5,000 applications has some 40,000 of them; datetime.fromtimestamp takes a fraction of that."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
    output_field = FloatField()


def _when(seconds: float | None) -> datetime.datetime | None:
    return None if seconds is None else datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _rows(user: User) -> tuple[list[ApplicationRow], dict[int, list[EventRow]]]:
    times = {name: _Epoch(name) for name in ("applied_at", "screened_at", "interviewed_at", "offered_at")}
    applications = (
        Application.objects.filter(owner=user).order_by("pk").annotate(**{f"{k}_s": v for k, v in times.items()})
    )
    rows = [
        ApplicationRow(pk, channel, stage, _when(applied), _when(screened), _when(interviewed), _when(offered))
        for pk, channel, stage, applied, screened, interviewed, offered in applications.values_list(
            "id", "channel", "stage", *(f"{name}_s" for name in times)
        )
    ]
    events: dict[int, list[EventRow]] = defaultdict(list)
    history = (
        ApplicationEvent.objects.filter(application__owner=user)
        .order_by("application_id", "occurred_at", "pk")
        .annotate(occurred_s=_Epoch("occurred_at"))
        .values_list("application_id", "from_stage", "to_stage", "occurred_s")
    )
    for application_id, from_stage, to_stage, occurred in history:
        events[application_id].append(EventRow(application_id, from_stage, to_stage, _when(occurred)))
    return rows, events


def _isolated(what: str, compute):
    """A failing predictor's queries roll back alone and the rest of the page is shown."""
    try:
        with transaction.atomic():
            return compute()
    except Exception:  # noqa: BLE001 - the section says "not available right now" instead
        logger.exception("seeker dashboard: the %s comparison failed", what)
        return None


def _interview_outcomes(
    rows: list[ApplicationRow], events: dict[int, list[EventRow]], now: datetime.datetime
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
    by_id = {application.pk: application for application in applications}
    index = keywords.keyword_index()  # once, not once per application
    inputs = [asdict(interview_input_for(by_id[pk], index=index)) for pk in ids]
    results = service.interview_serve(user=user, inputs=inputs, explain=False, source=PredictionLog.Source.PAGE)
    return [float(result["interview_probability"]) for result in results]


@dataclass(frozen=True)
class _InterviewAnswer:
    check: figures.InterviewCheck | None
    waiting: int
    status: str


def _interview_answer(user: User, now: datetime.datetime) -> _InterviewAnswer:
    """The comparison with the interview odds from the seeker's rows as they are now (two queries, then one
    prediction per application with a known outcome: the slow part, a match each)."""
    rows, events = _rows(user)
    labels, waiting = _interview_outcomes(rows, events, now)
    if not labels:
        return _InterviewAnswer(None, waiting, READY)
    ids = sorted(labels)
    probabilities = _isolated("interview", lambda: _interview_probabilities(user, ids))
    if probabilities is None:
        return _InterviewAnswer(None, waiting, NOT_AVAILABLE)
    check = figures.interview_check(list(zip(probabilities, (labels[i] for i in ids), strict=True)))
    return _InterviewAnswer(check, waiting, READY)


def _interview_cached(user: User, now: datetime.datetime) -> _InterviewAnswer:
    """A failed answer is not kept: the next load tries again."""
    return cached_or_computed(
        comparison_cache_key(user=user, now=now),
        lambda: _interview_answer(user, now),
        timeout=CACHE_S,
        keep=lambda answer: answer.status == READY,
    )


def _interview_part(target: PredictedComparison, user: User, plan, now: datetime.datetime, *, cached: bool) -> None:
    entitlement = entitlement_check(user=user, feature=Feature.INTERVIEW, plan=plan)
    if not entitlement.allowed:
        target.interview_locked = locked_section(entitlement)
        return
    answer = _interview_cached(user, now) if cached else _interview_answer(user, now)
    target.interview, target.interview_waiting, target.interview_status = answer.check, answer.waiting, answer.status


def _offers_part(target: PredictedComparison, user: User, plan) -> None:
    entitlement = entitlement_check(user=user, feature=Feature.SALARY_RANGE, plan=plan)
    if not entitlement.allowed:
        target.offers_locked = locked_section(entitlement)
        return
    offers = offer_list(OutcomeFilters(), members=User.objects.filter(pk=user.pk).values("pk"))
    if not offers:
        return
    answer = _isolated("salary", lambda: predicted_ranges(viewer=user, offers=offers))
    predicted, target.offers_status = answer if answer is not None else ({}, NOT_AVAILABLE)
    companies = dict(
        Application.objects.filter(owner=user, pk__in=[row["id"] for row in offers]).values_list(
            "pk", "posting__company"
        )
    )
    for row in offers:
        found = predicted.get(row["id"])
        target.offers.append(
            OfferCheck(
                application_id=row["id"],
                title=row["posting__title"],
                company=companies.get(row["id"], ""),
                amount=row["offer_amount"],
                currency=row["offer_currency"],
                accepted=row["stage"] == "accepted",
                low=found.low if found else None,
                high=found.high if found else None,
                position=offer_position(row["offer_amount"], found) if found else None,
            )
        )


# ---------------------------------------------------------------------------------------------------------------------
# The caches of the figures and of the comparison with the interview odds
# ---------------------------------------------------------------------------------------------------------------------
# One row per seeker: a digest of every field of their applications the figures and the comparison read (the pinned
# CV is an immutable snapshot, an edited posting has a new `updated_at`, and every move rewrites `stage_changed_at`;
# the stage history only grows through moves, and the one date an edit may move rewrites `applied_at`; a delete or
# an undo rewrites `deleted_at`; the reach fields are in it too, as tracking/reach.py's repair may rewrite them alone).
_APPLICATIONS_DIGEST = """
SELECT md5(COALESCE(string_agg(
    concat_ws('|', id, stage, stage_changed_at, applied_at, screened_at, interviewed_at, offered_at, cv_id,
              posting_id, channel, deleted_at,
              (SELECT updated_at FROM tracking_jobposting WHERE tracking_jobposting.id = posting_id)),
    ',' ORDER BY id), ''))
FROM tracking_application WHERE owner_id = %s
"""


def _applications_digest(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_APPLICATIONS_DIGEST, [user.pk])
        return cursor.fetchone()[0]


def _interview_models() -> str:
    """Which interview champions (this tenant's, the global one) would answer: a promotion changes the odds."""
    tags = []
    for scope in ("tenant", "global"):
        champion = champion_get("interview", scope=scope, load=InterviewModel.artifact_loads)
        tags.append(f"{champion.version.pk}.{champion.version.trained_at.timestamp():.0f}" if champion else "none")
    return "-".join(tags)


def _key(part: str, user: User, now: datetime.datetime, *extra: str) -> str:
    return ":".join((f"insights:{part}", str(user.pk), _applications_digest(user), *extra, f"{now:%Y%m%d%H}"))


def comparison_cache_key(*, user: User, now: datetime.datetime) -> str:
    """The cache key of `user`'s comparison with the interview odds: it changes when any of their applications is
    added, moved or deleted, when an interview champion is promoted, and every hour (an application turns 30 days
    old and gets a known outcome with time alone; other seekers' outcomes move the workspace's shrunk prior)."""
    return _key("predicted", user, now, _interview_models())


def figures_cache_key(*, user: User, now: datetime.datetime) -> str:
    """The cache key of `user`'s own figures: it changes when any of their applications is added, moved or deleted,
    and every hour (an open stay's days and the current week go on with time alone: at most an hour late)."""
    return _key("figures", user, now)


def seeker_comparison(*, user: User, now: datetime.datetime | None = None, cached: bool = True) -> PredictedComparison:
    """`user`'s outcomes against CVPlus's predictions, each part only when their plan has it (the predictor is not
    run otherwise). The interview part is cached (comparison_cache_key); the offers part reads the salary ranges'
    own cache (portal/outcomes_salary.py)."""
    require_tenant_schema()
    now = now or timezone.now()
    comparison = PredictedComparison()
    plan = plan_for(user)
    _interview_part(comparison, user, plan, now, cached=cached)
    _offers_part(comparison, user, plan)
    return comparison


def seeker_figures_cached(*, user: User, now: datetime.datetime | None = None) -> SeekerDashboard:
    """`user`'s own figures (seeker_dashboard without the comparison), kept in the cache (figures_cache_key): a warm
    load is the digest of their applications and one cache read, whatever their number."""
    require_tenant_schema()
    now = now or timezone.now()
    return cached_or_computed(
        figures_cache_key(user=user, now=now),
        lambda: seeker_dashboard(user=user, now=now, predictions=False),
        timeout=CACHE_S,
    )


def seeker_dashboard(*, user: User, now: datetime.datetime | None = None, predictions: bool = True) -> SeekerDashboard:
    """Every figure of `user`'s dashboard as of `now`. With `predictions` False, the comparison with the predictions
    is left out (nothing is predicted): the page defers it to its own fragment (seeker_comparison)."""
    require_tenant_schema()
    now = now or timezone.now()
    rows, events = _rows(user)
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
        _interview_part(dashboard, user, plan, now, cached=False)
        _offers_part(dashboard, user, plan)
    return dashboard
