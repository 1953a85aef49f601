"""The demo organisations' members and their job searches, drawn from a seeded random generator (portal/demo.py
writes them). Pure: no ORM, no clock; ``now`` is passed in, so one seed gives the same people and the same histories,
relative to ``now``, on every machine.

A history is a list of moves that tracking/services.py would accept (``ALLOWED_MOVES``), each later than the one
before and none after ``now``; an application's stage is its last move's stage.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

# Stage and channel values as tracking.models spells them (kept as strings so this module stays free of Django).
SAVED, APPLIED, SCREENING, INTERVIEWING = "saved", "applied", "screening", "interviewing"
OFFER, ACCEPTED, REJECTED, WITHDRAWN, GHOSTED = "offer", "accepted", "rejected", "withdrawn", "ghosted"
CHANNELS = ("job_board", "company_site", "referral", "recruiter", "agency")

# What becomes of a member's search.
LANDED = "landed"  # accepted an offer; stopped applying
OFFER_PENDING = "offer_pending"  # an offer received in the last days, not decided yet
INTERVIEW_RECENT = "interview_recent"  # an interview in the last days
QUIET = "quiet"  # no move for at least QUIET_MIN_DAYS
SEARCHING = "searching"
QUIET_MIN_DAYS = 14
GHOSTED_AFTER_DAYS = 30  # the seeker's default "likely ghosted" window (tracking.CandidateProfile)


@dataclass(frozen=True)
class Employer:
    name: str
    city: str
    country: str  # ISO 3166
    industry: str  # a market.industries code
    pay: float = 1.0  # how this employer pays against the role's usual range


@dataclass(frozen=True)
class Role:
    title: str
    pay_low: int  # the usual yearly range in the organisation's currency
    pay_high: int
    industries: tuple[str, ...] = ()  # the employers' industries that have such a job; empty: every one


@dataclass(frozen=True)
class Field:
    """A line of work: the roles its members apply for, where, the postings' text and the CVs they write."""

    key: str
    roles: tuple[Role, ...]
    employers: tuple[Employer, ...]
    description: str  # a posting's text; {title} and {company} are filled in
    cv: str  # a CV; {name}, {email}, {city} and every key of cv_choices are filled in
    cv_choices: dict[str, tuple[str, ...]]
    remote_share: float = 0.2
    # Keys of cv_choices whose values belong together (the i-th summary goes with the i-th past employer and the
    # school year before it): one index is drawn for each group, so that no CV tells two stories.
    cv_linked: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class CohortPlan:
    name: str
    kind: str  # portal.Cohort.Kind value
    starts_days_ago: int
    joins_days_ago: tuple[int, int]  # members joined between these many days ago (older, newer)
    fields: tuple[str, ...]  # Field keys its members work in
    search_delay_days: tuple[int, int]  # from joining to the first application
    size: int  # generated members (the demo's member login comes on top, in the first cohort)


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    city: str
    languages: str = ""  # the CV's languages line; empty: the field's usual one


@dataclass(frozen=True)
class Move:
    stage: str
    at: datetime
    interview_round: int = 0
    offer_amount: Decimal | None = None


@dataclass
class ApplicationPlan:
    field_key: str
    role: Role
    employer: Employer
    channel: str
    remote: str
    salary: tuple[int, int] | None
    moves: list[Move] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.moves[-1].stage


@dataclass
class MemberPlan:
    person: Person
    cohort_index: int
    coach_index: int
    field_key: str
    joined_at: datetime
    outcome: str
    share_applications: bool
    share_cv: bool
    share_notes: bool
    cv_at: datetime | None
    cv_values: dict[str, str]
    applications: list[ApplicationPlan] = field(default_factory=list)

    @property
    def last_move_at(self) -> datetime | None:
        moves = [move.at for application in self.applications for move in application.moves]
        return max(moves) if moves else None


def _at(day: datetime, rng: random.Random, utc_offset_hours: int) -> datetime:
    """A time during the local working day (08:00–20:59) of ``day``'s date, in UTC."""
    local_midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return local_midnight + timedelta(hours=rng.randint(8, 20) - utc_offset_hours, minutes=rng.randint(0, 59))


def _rounded(amount: float, step: int) -> int:
    return int(round(amount / step) * step)


class HistoryMaker:
    """Draws members and their applications for one organisation from one seed."""

    def __init__(
        self,
        *,
        seed: str,
        now: datetime,
        fields: dict[str, Field],
        cohorts: tuple[CohortPlan, ...],
        coaches: int,
        utc_offset_hours: int,
        pay_step: int,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
        self.now = now
        self.fields = fields
        self.cohorts = cohorts
        self.coaches = coaches
        self.utc_offset_hours = utc_offset_hours
        self.pay_step = pay_step

    # --- members ---------------------------------------------------------------------------------------------------
    def members(self, *, people: tuple[Person, ...], lead: Person) -> list[MemberPlan]:
        """``lead`` (the demo's member login) joins the first cohort with a rich history: many applications, interviews
        and an offer waiting for a decision. The others are spread over the cohorts in order."""
        rng = self.rng
        plans: list[MemberPlan] = [self._member(lead, 0, coach_index=0, outcome=OFFER_PENDING, rich=True)]
        queue = list(people)
        for cohort_index, cohort in enumerate(self.cohorts):
            taken, queue = queue[: cohort.size], queue[cohort.size :]
            coach_index = cohort_index % self.coaches
            for person in taken:
                # Most of a cohort has its cohort's coach; a few were moved to another to balance the load.
                coach = coach_index if rng.random() < 0.8 else rng.randrange(self.coaches)
                plans.append(self._member(person, cohort_index, coach_index=coach, outcome=SEARCHING, rich=False))
        self._outcomes_assign(plans[1:])
        for plan in plans[1:]:
            self._history(plan, rich=False)
        return plans

    def _member(self, person: Person, cohort_index: int, *, coach_index: int, outcome: str, rich: bool) -> MemberPlan:
        rng = self.rng
        cohort = self.cohorts[cohort_index]
        older, newer = cohort.joins_days_ago
        joined = _at(self.now - timedelta(days=rng.randint(newer, older)), rng, self.utc_offset_hours)
        field_key = cohort.fields[0] if rich else rng.choice(cohort.fields)
        has_cv = rich or rng.random() < 0.88
        cv_field = self.fields[field_key]
        plan = MemberPlan(
            person=person,
            cohort_index=cohort_index,
            coach_index=coach_index,
            field_key=field_key,
            joined_at=joined,
            outcome=outcome,
            share_applications=rich or rng.random() < 0.9,
            share_cv=rich or rng.random() < 0.82,
            share_notes=rng.random() < 0.3,
            cv_at=joined + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5)) if has_cv else None,
            cv_values=self._cv_values(cv_field),
        )
        if rich:
            self._history(plan, rich=True)
        return plan

    def _cv_values(self, work: Field) -> dict[str, str]:
        values = {key: self.rng.choice(choices) for key, choices in work.cv_choices.items()}
        for group in work.cv_linked:
            index = self.rng.randrange(len(work.cv_choices[group[0]]))
            values.update({key: work.cv_choices[key][index] for key in group})
        return values

    def _outcomes_assign(self, plans: list[MemberPlan]) -> None:
        """About a quarter landed a job (those who joined earliest are likelier to), a few went quiet, two are fresh
        from an interview, one more has an offer to decide; the rest are searching."""
        rng = self.rng
        by_tenure = sorted(plans, key=lambda plan: plan.joined_at)
        landed_count = max(2, round(len(plans) * 0.24))
        early = by_tenure[: max(landed_count, int(len(plans) * 0.8))]
        for plan in rng.sample(early, landed_count):
            plan.outcome = LANDED
        others = [plan for plan in plans if plan.outcome == SEARCHING]
        rng.shuffle(others)
        quiet_count = max(3, round(len(plans) * 0.12))
        for plan in others[:quiet_count]:
            plan.outcome = QUIET
        for plan in others[quiet_count : quiet_count + 2]:
            plan.outcome = INTERVIEW_RECENT
        for plan in others[quiet_count + 2 : quiet_count + 3]:
            plan.outcome = OFFER_PENDING

    # --- applications ----------------------------------------------------------------------------------------------
    def _history(self, plan: MemberPlan, *, rich: bool) -> None:
        rng = self.rng
        cohort = self.cohorts[plan.cohort_index]
        start = plan.joined_at + timedelta(days=rng.randint(*cohort.search_delay_days))
        start = max(start, (plan.cv_at or plan.joined_at) + timedelta(hours=2))
        latest_start = self.now - timedelta(days=QUIET_MIN_DAYS * 3 if plan.outcome in (LANDED, QUIET) else 28)
        start = min(start, latest_start)
        end = self.now - timedelta(hours=2)  # the last moment this member still records moves
        landed_at = None
        if plan.outcome == LANDED:
            landed_at = start + (self.now - start) * rng.uniform(0.45, 0.85)
            end = min(end, landed_at + timedelta(days=3))
        elif plan.outcome == QUIET:
            quiet_since = self.now - timedelta(days=rng.randint(QUIET_MIN_DAYS + 1, 45))
            end = max(start + timedelta(days=10), quiet_since)
        counts = {LANDED: (6, 16), QUIET: (5, 11), SEARCHING: (8, 25), INTERVIEW_RECENT: (10, 22)}
        count = 22 if rich else rng.randint(*counts.get(plan.outcome, (10, 20)))
        activity_end = landed_at or end
        response_rate = 0.34 if rich else rng.uniform(0.16, 0.34)
        postings = self._postings(plan.field_key, count)
        span = activity_end - start
        sent = sorted(
            min(max(_at(start + span * rng.random() ** 1.5, rng, self.utc_offset_hours), start), activity_end)
            for _index in range(count)
        )
        if plan.outcome not in (LANDED, QUIET):  # applying less often than at first, but still applying
            recent = _at(self.now - timedelta(days=rng.randint(1, 9)), rng, self.utc_offset_hours)
            sent[-1] = min(max(sent[-1], recent), activity_end)
        if plan.outcome in (LANDED, OFFER_PENDING, INTERVIEW_RECENT):
            # The application that got this far: sent long enough before it for several rounds.
            lead_days = {LANDED: 42, OFFER_PENDING: 30, INTERVIEW_RECENT: 18}[plan.outcome]
            target = (landed_at or self.now) - timedelta(days=lead_days + rng.randint(0, 10))
            sent[len(sent) // 2] = max(start, target)
            sent.sort()
            winner_at = max(start, target)
        else:
            winner_at = None
        for (role, employer), applied_at in zip(postings, sent, strict=True):
            application = self._application(plan.field_key, role, employer)
            if winner_at is not None and applied_at == winner_at:
                self._winning_moves(application, applied_at, plan.outcome, landed_at)
                winner_at = None
            else:
                self._moves(application, applied_at, end=end, response_rate=response_rate)
            plan.applications.append(application)
        if landed_at is not None:
            self._withdraw_the_rest(plan, landed_at)

    def _postings(self, field_key: str, count: int) -> list[tuple[Role, Employer]]:
        """``count`` different (role, employer) pairs of the field."""
        work = self.fields[field_key]
        pairs = [
            (role, employer)
            for role in work.roles
            for employer in work.employers
            if not role.industries or employer.industry in role.industries
        ]
        return self.rng.sample(pairs, min(count, len(pairs)))

    def _application(self, field_key: str, role: Role, employer: Employer) -> ApplicationPlan:
        rng = self.rng
        work = self.fields[field_key]
        salary = None
        if rng.random() < 0.7:
            low = _rounded(role.pay_low * employer.pay * rng.uniform(0.95, 1.05), self.pay_step)
            high = max(
                low + self.pay_step, _rounded(role.pay_high * employer.pay * rng.uniform(0.95, 1.05), self.pay_step)
            )
            salary = (low, high)
        remote = "remote" if rng.random() < work.remote_share else rng.choice(("on_site", "hybrid", "hybrid"))
        channel = rng.choices(CHANNELS, weights=(50, 25, 10, 10, 5))[0]
        return ApplicationPlan(field_key, role, employer, channel, remote, salary)

    def _offer_amount(self, application: ApplicationPlan) -> Decimal:
        low, high = application.salary or (
            int(application.role.pay_low * application.employer.pay),
            int(application.role.pay_high * application.employer.pay),
        )
        return Decimal(_rounded(low + (high - low) * self.rng.uniform(0.25, 0.9), self.pay_step))

    def _step(self, at: datetime, low_days: int, high_days: int) -> datetime:
        return _at(at + timedelta(days=self.rng.randint(low_days, high_days)), self.rng, self.utc_offset_hours)

    def _moves(self, application: ApplicationPlan, applied_at: datetime, *, end: datetime, response_rate: float):
        """An ordinary application: most hear nothing or a no, some get a screening, fewer an interview."""
        rng = self.rng
        moves = application.moves
        if rng.random() < 0.12:
            saved_at = applied_at - timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 8))
            moves.append(Move(SAVED, saved_at))
            if rng.random() < 0.25:  # saved, never sent: dropped or still waiting
                if self.now - saved_at > timedelta(days=20):
                    moves.append(Move(WITHDRAWN, saved_at + timedelta(days=rng.randint(5, 15))))
                return self._keep_until(application, end)
        moves.append(Move(APPLIED, applied_at))
        at = applied_at
        if rng.random() < response_rate:
            at = self._step(at, 4, 14)
            moves.append(Move(SCREENING, at))
            round_ = 0
            while rng.random() < (0.55 if round_ == 0 else 0.45) and round_ < 3:
                round_ += 1
                at = self._step(at, 5, 12)
                moves.append(Move(INTERVIEWING, at, interview_round=round_))
            if round_ >= 2 and rng.random() < 0.3:
                at = self._step(at, 3, 9)
                amount = self._offer_amount(application)
                moves.append(Move(OFFER, at, offer_amount=amount))
                # An offer not taken: the member declined it (withdrew) for a better one or a better fit.
                moves.append(Move(WITHDRAWN, self._step(at, 2, 6)))
            else:
                moves.append(Move(REJECTED, self._step(at, 3, 12)) if rng.random() < 0.8 else self._ghosted(at))
        else:
            # No interview: a rejection, silence the member marks as ghosted, or silence left as it is (the
            # tracker's likely-ghosted flag then asks the member).
            draw = rng.random()
            if draw < 0.45:
                moves.append(Move(REJECTED, self._step(at, 6, 35)))
            elif draw < 0.8:
                moves.append(self._ghosted(at))
        return self._keep_until(application, end)

    def _ghosted(self, since: datetime) -> Move:
        return Move(GHOSTED, self._step(since, GHOSTED_AFTER_DAYS, GHOSTED_AFTER_DAYS + 14))

    def _keep_until(self, application: ApplicationPlan, end: datetime) -> None:
        """Drops the moves after ``end`` (the member has not recorded them, or they have not happened yet)."""
        application.moves[:] = [move for move in application.moves if move.at <= end] or application.moves[:1]

    def _winning_moves(self, application: ApplicationPlan, applied_at: datetime, outcome: str, landed_at) -> None:
        rng = self.rng
        moves = application.moves
        moves.append(Move(APPLIED, applied_at))
        if outcome == INTERVIEW_RECENT:
            last = self.now - timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 6))
            points = [applied_at + (last - applied_at) * share for share in (0.35, 0.7)] + [last]
            moves.append(Move(SCREENING, points[0]))
            moves.append(Move(INTERVIEWING, points[1], interview_round=1))
            moves.append(Move(INTERVIEWING, points[2], interview_round=2))
            return
        decided = landed_at if outcome == LANDED else self.now - timedelta(days=rng.randint(1, 5), hours=3)
        points = [applied_at + (decided - applied_at) * share for share in (0.2, 0.45, 0.7, 0.85)]
        moves.append(Move(SCREENING, points[0]))
        moves.append(Move(INTERVIEWING, points[1], interview_round=1))
        moves.append(Move(INTERVIEWING, points[2], interview_round=2))
        if outcome == LANDED:
            moves.append(Move(OFFER, points[3], offer_amount=self._offer_amount(application)))
            moves.append(Move(ACCEPTED, decided))
        else:
            moves.append(Move(OFFER, decided, offer_amount=self._offer_amount(application)))

    def _withdraw_the_rest(self, plan: MemberPlan, landed_at: datetime) -> None:
        """Having accepted an offer, the member withdraws the applications still open."""
        for application in plan.applications:
            if application.stage in (SAVED, APPLIED, SCREENING, INTERVIEWING, OFFER):
                at = max(landed_at, application.moves[-1].at) + timedelta(hours=self.rng.randint(2, 48))
                if at < self.now:
                    application.moves.append(Move(WITHDRAWN, at))


def dates_spread_days(plans: list[MemberPlan]) -> int:
    """Days between the first and the last member joining."""
    joined = [plan.joined_at for plan in plans]
    return (max(joined) - min(joined)).days


def cohort_start(now: datetime, cohort: CohortPlan) -> date:
    return (now - timedelta(days=cohort.starts_days_ago)).date()


@dataclass(frozen=True)
class DemoOrganisation:
    """Everything the demo writes into one organisation, in its language and currency."""

    seed: str
    currency: str
    utc_offset_hours: int
    pay_step: int  # offers and posted salaries are rounded to this
    seats: int
    price_per_seat_minor: int  # a month, in the currency's minor units (JPY has none)
    coaches: tuple[tuple[str, str], ...]  # (email, name) besides the demo's coach login
    analyst: tuple[str, str]
    cohorts: tuple[CohortPlan, ...]
    fields: tuple[Field, ...]
    people: tuple[Person, ...]
    lead_city: str  # the demo member login's city
    template_name: str
    template_description: str
    template_tasks: tuple[tuple[str, int], ...]  # (title, due in days)
    goal_title: str
    announcement: tuple[str, str]  # (title, body)
    coach_notes: tuple[tuple[str, str], ...]  # (the outcome of the member it fits, or "" for anyone; the note)
    coach_tasks: tuple[str, ...]
