"""Cohort outcomes, the computations (issue 13, item 5): pure functions on plain rows, no ORM.

The queries live in portal/outcomes_queries.py, the assembly per group in portal/outcomes_report.py. Definitions a
programme director can check by hand:

- **Funnel.** An application *reached* a stage when it got there or further along the funnel applied → screening →
  interviewing → offer → accepted (an application may go from applied straight to an interview: it passed screening).
  A member reached a stage when one of their applications did. Conversion is the share of those at one stage who
  reached the next.
- **Time to first interview / to an offer.** Kaplan–Meier product-limit estimates over members. Origin: the day the
  member joined the programme (``Membership.joined_at``). Event: their first move, on or after that day, of any
  application to interviewing or beyond (resp. to offer or accepted). Members without the event are *censored*:
  followed until now, or until they were deactivated. Times are whole days since joining. At a day with both events
  and censorings, the events come first (those censored that day were still at risk). Bands are 95 % pointwise
  confidence intervals from Greenwood's variance on the log(−log) scale (they stay within 0–100 %).
- **Suppression.** No figure is shown that is computed from fewer than :data:`MIN_MEMBERS` distinct members: such a
  group, curve, stage or bar reads "fewer than 5".
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

MIN_MEMBERS = 5
Z_95 = 1.959963984540054
FUNNEL_STAGES = ("applied", "screening", "interviewing", "offer", "accepted")


# ---------------------------------------------------------------------------------------------------------------------
# Kaplan–Meier
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One distinct day with an event or a censoring. ``survival`` is S(day), the share still without the event after
    that day; ``std_error`` is Greenwood's; ``lower``/``upper`` the 95 % band of S."""

    day: int
    at_risk: int
    events: int
    censored: int
    survival: float
    std_error: float
    lower: float
    upper: float

    @property
    def reached(self) -> float:
        """The share who had the event by this day (1 − S)."""
        return 1.0 - self.survival


@dataclass(frozen=True)
class Curve:
    members: int
    events: int
    steps: tuple[Step, ...]

    @property
    def censored(self) -> int:
        return self.members - self.events

    @property
    def last_day(self) -> int | None:
        return self.steps[-1].day if self.steps else None

    def median_day(self) -> int | None:
        """The first day by which half the members had the event; None when the curve never gets there ("not
        reached")."""
        return next((step.day for step in self.steps if step.survival <= 0.5), None)

    def estimate_on(self, day: int) -> Step | None:
        """The estimate on `day`: the last step on or before it (a step of its own with S = 1 before the first one);
        None beyond the longest follow-up, where the curve says nothing."""
        if not self.steps or day > self.steps[-1].day:
            return None
        earlier = [step for step in self.steps if step.day <= day]
        if earlier:
            return earlier[-1]
        return Step(day, self.members, 0, 0, 1.0, 0.0, 1.0, 1.0)

    def at_risk_on(self, day: int) -> int:
        """Members still followed and without the event at the start of `day` (time ≥ day)."""
        return next((step.at_risk for step in self.steps if step.day >= day), 0)


def _band(survival: float, greenwood_sum: float) -> tuple[float, float]:
    """The 95 % band of S on the log(−log) scale (Kalbfleisch and Prentice; lifelines' default)."""
    if survival >= 1.0:
        return 1.0, 1.0
    if survival <= 0.0:
        return 0.0, 0.0
    log_s = math.log(survival)
    spread = Z_95 * math.sqrt(greenwood_sum) / abs(log_s)
    return survival ** math.exp(spread), survival ** math.exp(-spread)


def kaplan_meier(observations: Iterable[tuple[int, bool]]) -> Curve:
    """The product-limit estimate from (days, had the event) pairs, one per member. Days are whole and ≥ 0."""
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    members = events = 0
    # Counted first (in C): a group of 2,000 members has a few hundred distinct pairs.
    for (days, observed), count in Counter(observations).items():
        if days < 0:
            raise ValueError("kaplan_meier: a time before the origin")
        tally[days][0 if observed else 1] += count
        members += count
        events += count if observed else 0
    at_risk, survival, greenwood_sum = members, 1.0, 0.0
    steps = []
    for day in sorted(tally):
        died, censored = tally[day]
        if died:
            survival *= 1.0 - died / at_risk
            greenwood_sum = greenwood_sum + died / (at_risk * (at_risk - died)) if at_risk > died else math.inf
        std_error = 0.0 if survival == 0.0 else survival * math.sqrt(greenwood_sum)
        lower, upper = _band(survival, greenwood_sum)
        steps.append(Step(day, at_risk, died, censored, survival, std_error, lower, upper))
        at_risk -= died + censored
    return Curve(members=members, events=events, steps=tuple(steps))


def days_between(start, end) -> int:
    """Whole days from `start` to `end` (datetimes), never below 0."""
    return max(0, (end - start).days)


def member_observation(*, event_day: int | None, follow_up_days: int) -> tuple[int, bool]:
    """(days, observed) for one member: the event when it came within their follow-up (until now, or until they were
    deactivated; compared in whole days since joining), else censored at the end of the follow-up."""
    if event_day is not None and event_day <= follow_up_days:
        return event_day, True
    return follow_up_days, False


# ---------------------------------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageCell:
    stage: str
    members: int | None  # None: suppressed (fewer than MIN_MEMBERS)
    applications: int | None
    member_rate: float | None  # share of the previous stage's members (of the group's members for "applied")
    application_rate: float | None


@dataclass(frozen=True)
class FunnelRow:
    members: int
    applications: int  # tracked, saved ones included
    cells: tuple[StageCell, ...]

    @property
    def suppressed(self) -> bool:
        return self.members < MIN_MEMBERS


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def funnel_row(
    *, members: int, applications: int, reached_members: Sequence[int], reached_applications: Sequence[int]
) -> FunnelRow:
    """The funnel of one group from its counts per stage (FUNNEL_STAGES order, cumulative). A stage reached by
    fewer than MIN_MEMBERS members shows no figure; since each stage's members are among the previous stage's, every
    stage after a suppressed one is suppressed too, and no shown rate leans on a hidden count."""
    cells = []
    previous_members, previous_applications = members, applications
    for stage, stage_members, stage_applications in zip(
        FUNNEL_STAGES, reached_members, reached_applications, strict=True
    ):
        if stage_members < MIN_MEMBERS or members < MIN_MEMBERS:
            cells.append(StageCell(stage, None, None, None, None))
        else:
            cells.append(
                StageCell(
                    stage,
                    stage_members,
                    stage_applications,
                    rate(stage_members, previous_members),
                    rate(stage_applications, previous_applications),
                )
            )
        previous_members, previous_applications = stage_members, stage_applications
    return FunnelRow(members=members, applications=applications, cells=tuple(cells))


def stage_rank(stage: str) -> int:
    """1 for applied … 5 for accepted; 0 for a stage outside the funnel (saved, rejected, withdrawn, ghosted)."""
    return FUNNEL_STAGES.index(stage) + 1 if stage in FUNNEL_STAGES else 0


# ---------------------------------------------------------------------------------------------------------------------
# Offers against the predicted ranges
# ---------------------------------------------------------------------------------------------------------------------
BELOW, INSIDE, ABOVE = "below", "inside", "above"


@dataclass(frozen=True)
class PredictedRange:
    """What CVPlus predicted for the posting, in the offer's currency: the 10th–90th percentile range and its
    median."""

    low: Decimal
    median: Decimal
    high: Decimal


@dataclass(frozen=True)
class Offer:
    member_id: int
    group: str
    currency: str
    amount: Decimal
    accepted: bool
    predicted: PredictedRange | None  # None: no prediction in this currency


@dataclass(frozen=True)
class SalaryRow:
    group: str
    currency: str
    accepted_only: bool
    members: int
    offers: int
    compared: int  # offers with a predicted range in their currency
    below: float | None  # shares of the compared offers
    inside: float | None
    above: float | None
    median_offer: Decimal | None
    median_predicted: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.members < MIN_MEMBERS


def offer_position(amount: Decimal, predicted: PredictedRange) -> str:
    if amount < predicted.low:
        return BELOW
    if amount > predicted.high:
        return ABOVE
    return INSIDE


def _median(values: list[Decimal]) -> Decimal | None:
    return statistics.median(values) if values else None


def salary_row(*, group: str, currency: str, accepted_only: bool, offers: Sequence[Offer]) -> SalaryRow:
    """The offers of one group in one currency (never mixed) against their predicted ranges. Suppressed (no
    figures, counts only) when fewer than MIN_MEMBERS members made them."""
    members = len({offer.member_id for offer in offers})
    compared = [offer for offer in offers if offer.predicted is not None]
    if members < MIN_MEMBERS:
        return SalaryRow(group, currency, accepted_only, members, len(offers), len(compared), *([None] * 5))
    positions = [offer_position(offer.amount, offer.predicted) for offer in compared]
    return SalaryRow(
        group=group,
        currency=currency,
        accepted_only=accepted_only,
        members=members,
        offers=len(offers),
        compared=len(compared),
        below=rate(positions.count(BELOW), len(compared)),
        inside=rate(positions.count(INSIDE), len(compared)),
        above=rate(positions.count(ABOVE), len(compared)),
        median_offer=_median([offer.amount for offer in offers]),
        median_predicted=_median([offer.predicted.median for offer in compared]),
    )


def salary_rows(offers: Sequence[Offer], *, groups: Sequence[str]) -> list[SalaryRow]:
    """For each group (in the given order) and each currency its offers are in: all offers, then accepted ones."""
    by_key: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for offer in offers:
        by_key[(offer.group, offer.currency)].append(offer)
    rows = []
    for group in groups:
        for currency in sorted(currency for g, currency in by_key if g == group):
            chosen = by_key[(group, currency)]
            rows.append(salary_row(group=group, currency=currency, accepted_only=False, offers=chosen))
            accepted = [offer for offer in chosen if offer.accepted]
            if accepted:
                rows.append(salary_row(group=group, currency=currency, accepted_only=True, offers=accepted))
    return rows
