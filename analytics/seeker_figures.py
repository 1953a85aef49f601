"""The seeker dashboard's figures, computed from one seeker's own applications and their stage history: pure functions
on plain rows, no ORM (analytics/seeker_dashboard.py reads the rows).

Definitions, as the page states them:

- **Funnel.** An application *reached* a step when it got there or further along applied → screening → interviewing
  → offer (``tracking.models.REACH_FIELDS``: an application that went from applied straight to an interview passed
  screening). Each conversion is the share of the applications at one step that reached the next.
- **Response rate by channel.** Of the applications sent (applied or further) through a channel, the share that got
  any answer from the employer: screening or a later step, or a rejection. Applications still waiting count as no
  answer so far; a withdrawn or ghosted one is no answer unless it had reached screening first.
- **Time in each stage.** A stay in a stage runs from the move into it until the move out of it, to any stage
  (consecutive interview rounds are one stay in interviewing). The stay an application is in now has no end yet: it
  counts as *censored* (still in the stage after so many days), so the median is a Kaplan–Meier median
  (portal.outcomes.kaplan_meier) in whole days, and "not reached" when more than half of the stays are still open.
- **Weekly activity.** Per week (Monday to Sunday, UTC, the dates the seeker gave): applications added (their first
  event) and moves (every later event).
- **Interviews against the predictions.** Only applications with a known interview outcome by the models' own rule
  (predictions.interview.features.outcome_labels: sent at least 30 days ago and not withdrawn first) count. Expected
  = the sum of their predicted interview probabilities; the range is the central 95 % of the number of interviews
  those probabilities give (a Poisson-binomial distribution, computed exactly).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from portal.outcomes import kaplan_meier, rate
from tracking.models import Stage

FUNNEL_STEPS = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
REACHED_FIELD = {
    Stage.APPLIED: "applied_at",
    Stage.SCREENING: "screened_at",
    Stage.INTERVIEWING: "interviewed_at",
    Stage.OFFER: "offered_at",
}
TIMED_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
CLOSED_STAGES = frozenset({Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN})
WEEKS = 12
FEW_APPLICATIONS = 5  # below this many sent applications the page says the figures cannot tell much yet


class ApplicationRow(NamedTuple):
    id: int
    channel: str
    stage: str
    applied_at: datetime.datetime | None
    screened_at: datetime.datetime | None
    interviewed_at: datetime.datetime | None
    offered_at: datetime.datetime | None


class EventRow(NamedTuple):
    application_id: int
    from_stage: str
    to_stage: str
    occurred_at: datetime.datetime


# ---------------------------------------------------------------------------------------------------------------------
# Funnel and response rates
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FunnelStep:
    stage: str
    applications: int
    rate: float | None  # of the step before; None for the first step or after a step with none


def funnel_steps(applications: Sequence[ApplicationRow]) -> list[FunnelStep]:
    steps, previous = [], None
    for stage in FUNNEL_STEPS:
        reached = sum(1 for row in applications if getattr(row, REACHED_FIELD[stage]) is not None)
        steps.append(FunnelStep(stage, reached, None if previous is None else rate(reached, previous)))
        previous = reached
    return steps


@dataclass(frozen=True)
class ChannelRate:
    channel: str
    sent: int
    answered: int

    @property
    def rate(self) -> float | None:
        return rate(self.answered, self.sent)


def answered(row: ApplicationRow) -> bool:
    return row.screened_at is not None or row.stage == Stage.REJECTED


def response_by_channel(applications: Sequence[ApplicationRow], channels: Sequence[str]) -> list[ChannelRate]:
    """One row per channel (in `channels` order) with at least one sent application."""
    sent: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    for row in applications:
        if row.applied_at is None:
            continue
        sent[row.channel] += 1
        got[row.channel] += answered(row)
    return [ChannelRate(channel, sent[channel], got[channel]) for channel in channels if sent[channel]]


# ---------------------------------------------------------------------------------------------------------------------
# Time in stage
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stay:
    stage: str
    days: int
    ended: bool


def stays(events: Sequence[EventRow], *, now: datetime.datetime) -> list[Stay]:
    """Every stay of one application in a stage, from its events in order. The stay it is in now is open (censored
    at `now`) unless the stage is closed (accepted, rejected, withdrawn), which has no time to measure."""
    found = []
    entered: tuple[str, datetime.datetime] | None = None
    for event in events:
        if entered is not None and event.to_stage == entered[0]:
            continue  # another interview round: the same stay
        if entered is not None:
            found.append(Stay(entered[0], max(0, (event.occurred_at - entered[1]).days), True))
        entered = (event.to_stage, event.occurred_at)
    if entered is not None and entered[0] not in CLOSED_STAGES:
        found.append(Stay(entered[0], max(0, (now - entered[1]).days), False))
    return found


@dataclass(frozen=True)
class StageTime:
    stage: str
    ended: int
    still_in: int
    median_days: int | None  # None: more than half still in the stage, or no stay at all


def stage_times(events_by_application: dict[int, list[EventRow]], *, now: datetime.datetime) -> list[StageTime]:
    by_stage: dict[str, list[Stay]] = defaultdict(list)
    for events in events_by_application.values():
        for stay in stays(events, now=now):
            by_stage[stay.stage].append(stay)
    rows = []
    for stage in TIMED_STAGES:
        found = by_stage.get(stage, [])
        curve = kaplan_meier((stay.days, stay.ended) for stay in found)
        ended = sum(1 for stay in found if stay.ended)
        rows.append(StageTime(stage, ended, len(found) - ended, curve.median_day() if found else None))
    return rows


# ---------------------------------------------------------------------------------------------------------------------
# Weekly activity
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Week:
    start: datetime.date
    added: int
    moves: int


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_activity(events: Iterable[EventRow], *, today: datetime.date, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` weeks, oldest first, this one included (so far)."""
    first = week_start(today) - datetime.timedelta(weeks=weeks - 1)
    added: dict[datetime.date, int] = defaultdict(int)
    moves: dict[datetime.date, int] = defaultdict(int)
    for event in events:
        start = week_start(event.occurred_at.date())
        if start < first:
            continue
        if event.from_stage:
            moves[start] += 1
        else:
            added[start] += 1
    starts = [first + datetime.timedelta(weeks=i) for i in range(weeks)]
    return [Week(start, added[start], moves[start]) for start in starts]


# ---------------------------------------------------------------------------------------------------------------------
# Interviews against the predicted probabilities
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InterviewCheck:
    applications: int
    expected: float
    observed: int
    low: int  # the central 95 % of the number of interviews the predictions give
    high: int

    @property
    def verdict(self) -> str:
        if self.observed < self.low:
            return "fewer"
        if self.observed > self.high:
            return "more"
        return "in_line"


def count_distribution(probabilities: Sequence[float]) -> list[float]:
    """P(exactly k successes) for k = 0 … n, for independent trials with these probabilities (Poisson-binomial)."""
    distribution = [1.0]
    for p in probabilities:
        following = [0.0] * (len(distribution) + 1)
        for k, mass in enumerate(distribution):
            following[k] += mass * (1 - p)
            following[k + 1] += mass * p
        distribution = following
    return distribution


def _quantile(distribution: Sequence[float], share: float) -> int:
    total = 0.0
    for k, mass in enumerate(distribution):
        total += mass
        if total >= share - 1e-12:
            return k
    return len(distribution) - 1


def interview_check(outcomes: Sequence[tuple[float, int]]) -> InterviewCheck | None:
    """(predicted probability, interview label 0/1) per labelled application; None without any."""
    if not outcomes:
        return None
    probabilities = [min(max(float(p), 0.0), 1.0) for p, _label in outcomes]
    distribution = count_distribution(probabilities)
    return InterviewCheck(
        applications=len(outcomes),
        expected=sum(probabilities),
        observed=sum(int(label) for _p, label in outcomes),
        low=_quantile(distribution, 0.025),
        high=_quantile(distribution, 0.975),
    )
