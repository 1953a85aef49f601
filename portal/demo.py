"""The enterprise demo (issue 13, item 7): each demo organisation gets a contract in force, coaches, an analyst,
cohorts, and 20–40 members whose job searches run over months, so that member lists, member pages and cohort
outcomes show something a programme director would recognise.

Called by tenants/demo.py::demo_platform_ensure inside the organisation's schema. Idempotent: the programme is
written once, in one transaction, and a later run that finds its members adds and changes nothing (whatever people
did in the demo since is kept). The people and histories come from a seeded generator (portal/demo_histories.py), so
every machine gets the same demo, dated relative to the day it was set up.

Members, CVs and the staff are created through the services (accounts.services.user_create counts seats,
tracking.cv.services.cv_paste stores a CV and queues its reading on the worker). Applications, with their postings,
events and domain events, are bulk-inserted: a few thousand rows through application_move would take a minute. The
rows keep the services' invariants: an application's stage is its latest event's to_stage, each event follows the one
before in time along a move ALLOWED_MOVES permits, and each creation and move has its domain event
(application.created, application.stage_changed), as does each member joining (member.joined). No follow-up
reminders are scheduled for these past applications (they would all be overdue and sent at once).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from billing.models import Contract, Feature
from market.models import Country
from portal.demo_histories import (
    APPLIED,
    INTERVIEWING,
    LANDED,
    OFFER,
    QUIET,
    DemoOrganisation,
    HistoryMaker,
    MemberPlan,
    Person,
    cohort_start,
)
from portal.models import (
    Announcement,
    AnnouncementRead,
    BoardTemplate,
    CoachNote,
    CoachTask,
    Cohort,
    Goal,
    GoalEnrolment,
    Membership,
    TemplateAssignment,
)
from tenants.context import require_tenant_schema
from tracking.cv.services import cv_paste
from tracking.models import Application, ApplicationEvent, CVDocument, DomainEvent, JobPosting, Stage
from tracking.reach import applications_reach_refresh
from tracking.requirements import READER_VERSION, requirements_split

# Every feature a job seeker can use; the licensee API is sold separately.
SEEKER_FEATURES = [feature.value for feature in Feature if feature != Feature.API]
CONTRACT_STARTED_DAYS_AGO = 300
CONTRACT_YEARS = 2
BOARD_STAGES = [stage.value for stage in Stage]


@dataclass(frozen=True)
class DemoLogins:
    """The organisation's demo logins, created before by tenants/demo.py."""

    administrator: str
    coach: str
    member: str


@dataclass(frozen=True)
class DemoProgramme:
    members: int
    applications: int


def demo_contract_ensure(*, client, organisation: DemoOrganisation) -> Contract:
    """The organisation's contract: the one it has, or a two-year contract in force since before the first member
    joined, with every seeker feature."""
    existing = Contract.objects.filter(tenant=client).order_by("-starts_on").first()
    if existing is not None:
        return existing
    starts_on = timezone.localdate() - timedelta(days=CONTRACT_STARTED_DAYS_AGO)
    return Contract.objects.create(
        tenant=client,
        seats=organisation.seats,
        price_per_seat_minor=organisation.price_per_seat_minor,
        currency=organisation.currency,
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + CONTRACT_YEARS) - timedelta(days=1),
        features=SEEKER_FEATURES,
        notes="Demo contract (make run).",
    )


def demo_programme_ensure(
    *, client, organisation: DemoOrganisation, logins: DemoLogins, password: str
) -> DemoProgramme | None:
    """Writes the organisation's programme unless its members are there already (then returns None)."""
    require_tenant_schema()
    demo_contract_ensure(client=client, organisation=organisation)
    if User.objects.filter(email__in=[person.email for person in organisation.people]).exists():
        return None
    now = timezone.now()
    with transaction.atomic():
        writer = _ProgrammeWriter(organisation=organisation, logins=logins, password=password, now=now)
        return writer.write()


class _ProgrammeWriter:
    def __init__(self, *, organisation: DemoOrganisation, logins: DemoLogins, password: str, now: datetime) -> None:
        self.organisation = organisation
        self.logins = logins
        self.now = now
        self.password_hash = _password_hash(password)
        self.staff_since = now - timedelta(days=CONTRACT_STARTED_DAYS_AGO - 5)
        self.rng = random.Random(f"{organisation.seed}-programme")  # noqa: S311 - a demo, not a secret

    def write(self) -> DemoProgramme:
        organisation = self.organisation
        self.administrator = User.objects.get(email=self.logins.administrator)
        User.objects.filter(email=self.logins.coach, role=User.Role.MEMBER).update(role=User.Role.COACH)
        self.coaches = [User.objects.get(email=self.logins.coach)] + [
            self._person(email, name, User.Role.COACH) for email, name in organisation.coaches
        ]
        analyst = self._person(*organisation.analyst, User.Role.ANALYST)
        for user in [self.administrator, *self.coaches, analyst]:
            Membership.objects.get_or_create(user=user, defaults={"joined_at": self.staff_since})
        self.cohorts = [
            Cohort.objects.get_or_create(
                name=plan.name, defaults={"kind": plan.kind, "starts_on": cohort_start(self.now, plan)}
            )[0]
            for plan in organisation.cohorts
        ]
        lead = User.objects.get(email=self.logins.member)
        maker = HistoryMaker(
            seed=organisation.seed,
            now=self.now,
            fields={work.key: work for work in organisation.fields},
            cohorts=organisation.cohorts,
            coaches=len(self.coaches),
            utc_offset_hours=organisation.utc_offset_hours,
            pay_step=organisation.pay_step,
        )
        plans = maker.members(
            people=organisation.people, lead=Person(lead.full_name or lead.email, lead.email, organisation.lead_city)
        )
        if Application.objects.filter(owner=lead).exists():
            plans[0].applications = []  # the demo member's own applications are kept as they are
        members = self._members(plans, lead)
        applications = self._applications(plans, members, self._cvs(plans, members))
        self._programme(plans, members)
        return DemoProgramme(members=len(plans), applications=applications)

    def _person(self, email: str, full_name: str, role: str) -> User:
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            return existing
        user = user_create(email=email, password_hash=self.password_hash, full_name=full_name, role=role)
        User.objects.filter(pk=user.pk).update(date_joined=self.staff_since)
        return user

    # --- members ---------------------------------------------------------------------------------------------------
    def _members(self, plans: list[MemberPlan], lead: User) -> list[User]:
        members = [lead] + [
            user_create(email=plan.person.email, password_hash=self.password_hash, full_name=plan.person.full_name)
            for plan in plans[1:]
        ]
        for user, plan in zip(members, plans, strict=True):
            user.date_joined = plan.joined_at
        User.objects.bulk_update(members[1:], ["date_joined"])
        # A membership the demo member (or a new member, from whatever creates one with the account) has is replaced.
        Membership.objects.filter(user__in=members).delete()
        Membership.objects.bulk_create(
            Membership(
                user=user,
                cohort=self.cohorts[plan.cohort_index],
                coach=self.coaches[plan.coach_index],
                share_applications=plan.share_applications,
                share_cv=plan.share_cv,
                share_notes=plan.share_notes,
                joined_at=plan.joined_at,
                last_active_at=plan.last_move_at or plan.cv_at or plan.joined_at,
            )
            for user, plan in zip(members, plans, strict=True)
        )
        DomainEvent.objects.bulk_create(
            DomainEvent(
                kind=DomainEvent.Kind.MEMBER_JOINED,
                occurred_at=plan.joined_at,
                actor_id=user.pk,
                subject_id=user.pk,
                payload={
                    "cohort_id": self.cohorts[plan.cohort_index].pk,
                    "coach_id": self.coaches[plan.coach_index].pk,
                },
            )
            for user, plan in zip(members, plans, strict=True)
        )
        return members

    def _cvs(self, plans: list[MemberPlan], members: list[User]) -> dict[int, CVDocument]:
        """A pasted CV for most members, read by the worker like any other; dated when the member added it."""
        fields = {work.key: work for work in self.organisation.fields}
        with_cv = set(CVDocument.objects.filter(owner__in=members).values_list("owner_id", flat=True))
        cvs: dict[int, CVDocument] = {}
        for user, plan in zip(members, plans, strict=True):
            if plan.cv_at is None or user.pk in with_cv:
                continue
            values = {**plan.cv_values, "name": user.full_name, "email": user.email, "city": plan.person.city}
            if plan.person.languages:
                values["languages"] = plan.person.languages
            cv = cv_paste(owner=user, text=fields[plan.field_key].cv.format(**values))
            cv.created_at = plan.cv_at
            cvs[user.pk] = cv
        CVDocument.objects.bulk_update(list(cvs.values()), ["created_at"])
        return cvs

    # --- applications ----------------------------------------------------------------------------------------------
    def _applications(self, plans: list[MemberPlan], members: list[User], cvs: dict[int, CVDocument]) -> int:
        organisation = self.organisation
        fields = {work.key: work for work in organisation.fields}
        countries = {employer.country for work in organisation.fields for employer in work.employers}
        regions = dict(Country.objects.filter(iso2__in=countries).values_list("iso2", "region_id"))
        requirements: dict[str, dict] = {}
        rows: list[tuple[User, object, JobPosting, Application]] = []
        for user, plan in zip(members, plans, strict=True):
            cv = cvs.get(user.pk)
            for planned in plan.applications:
                description = fields[planned.field_key].description.format(
                    title=planned.role.title, company=planned.employer.name
                )
                if description not in requirements:
                    requirements[description] = requirements_split(description)
                low, high = planned.salary or (None, None)
                first, last = planned.moves[0], planned.moves[-1]
                posting = JobPosting(
                    owner=user,
                    title=planned.role.title,
                    company=planned.employer.name,
                    description=description,
                    location=planned.employer.city,
                    country=planned.employer.country,
                    region=regions.get(planned.employer.country, ""),
                    salary_min=Decimal(low) if low else None,
                    salary_max=Decimal(high) if high else None,
                    salary_currency=organisation.currency if low else "",
                    salary_period=JobPosting.SalaryPeriod.YEAR if low else "",
                    remote=planned.remote,
                    industry=planned.employer.industry,
                    requirements=requirements[description],
                    requirements_version=READER_VERSION,
                )
                offers = [move.offer_amount for move in planned.moves if move.stage == OFFER]
                application = Application(
                    owner=user,
                    posting=posting,
                    cv=cv if cv is not None and cv.created_at <= first.at else None,
                    channel=planned.channel,
                    stage=last.stage,
                    interview_round=sum(1 for move in planned.moves if move.stage == INTERVIEWING),
                    applied_at=next((move.at for move in planned.moves if move.stage == APPLIED), None),
                    stage_changed_at=last.at,
                    offer_amount=offers[-1] if offers else None,
                    offer_currency=organisation.currency if offers else "",
                )
                rows.append((user, planned, posting, application))
        postings = [posting for _user, _planned, posting, _application in rows]
        JobPosting.objects.bulk_create(postings, batch_size=500)
        applications = [application for _user, _planned, _posting, application in rows]
        for posting, application in zip(postings, applications, strict=True):
            application.posting = posting
        Application.objects.bulk_create(applications, batch_size=500)
        self._events(rows)
        return len(rows)

    def _events(self, rows) -> None:
        events: list[ApplicationEvent] = []
        domain_events: list[DomainEvent] = []
        for user, planned, _posting, application in rows:
            previous = ""
            for move in planned.moves:
                events.append(
                    ApplicationEvent(
                        application=application,
                        from_stage=previous,
                        to_stage=move.stage,
                        interview_round=move.interview_round,
                        occurred_at=move.at,
                        actor=user,
                        offer_amount=move.offer_amount,
                        offer_currency=self.organisation.currency if move.offer_amount is not None else "",
                    )
                )
                if previous:
                    kind = DomainEvent.Kind.STAGE_CHANGED
                    payload = {"from": previous, "to": move.stage, "round": move.interview_round}
                else:
                    kind = DomainEvent.Kind.APPLICATION_CREATED
                    payload = {
                        "stage": move.stage,
                        "channel": application.channel,
                        "has_cv": application.cv_id is not None,
                    }
                domain_events.append(
                    DomainEvent(
                        kind=kind, occurred_at=move.at, actor_id=user.pk, subject_id=application.pk, payload=payload
                    )
                )
                previous = move.stage
        ApplicationEvent.objects.bulk_create(events, batch_size=1000)
        # bulk_create stamps created and recorded times with now: date them when they happened instead, as if each
        # member had saved the posting and moved the card that day (in SQL: a CASE per row would take seconds).
        owners = {user.pk for user, *_rest in rows}
        ApplicationEvent.objects.filter(application__owner__in=owners).update(recorded_at=F("occurred_at"))
        applications_reach_refresh(owners)
        first_event = ApplicationEvent.objects.filter(application=OuterRef("pk")).order_by("occurred_at", "pk")
        Application.objects.filter(owner__in=owners).update(created_at=Subquery(first_event.values("occurred_at")[:1]))
        its_application = Application.objects.filter(posting=OuterRef("pk"))
        JobPosting.objects.filter(owner__in=owners).update(
            created_at=Subquery(its_application.values("created_at")[:1])
        )
        DomainEvent.objects.bulk_create(domain_events, batch_size=1000)

    # --- the programme ---------------------------------------------------------------------------------------------
    def _programme(self, plans: list[MemberPlan], members: list[User]) -> None:
        organisation, rng, now = self.organisation, self.rng, self.now
        coach_of = {user.pk: self.coaches[plan.coach_index] for user, plan in zip(members, plans, strict=True)}
        template = BoardTemplate.objects.create(
            name=organisation.template_name,
            description=organisation.template_description,
            stages=BOARD_STAGES,
            default_tasks=[{"title": title, "due_in_days": days} for title, days in organisation.template_tasks],
            created_by=self.administrator,
        )
        TemplateAssignment.objects.bulk_create(
            TemplateAssignment(member=user, template=template, applied_at=plan.joined_at + timedelta(hours=1))
            for user, plan in zip(members, plans, strict=True)
        )
        tasks: list[CoachTask] = []
        added: list[datetime] = []
        for user, plan in zip(members, plans, strict=True):
            for title, days in organisation.template_tasks:
                due = plan.joined_at + timedelta(days=days)
                done = due < now and rng.random() < 0.85
                done_at = min(due - timedelta(days=rng.randint(0, days - 1)), now) if done else None
                task = CoachTask(member=user, author=self.administrator, title=title, template=template)
                task.due_on, task.done_at = due.date(), done_at
                tasks.append(task)
                added.append(plan.joined_at)
        still_searching = [(user, plan) for user, plan in zip(members, plans, strict=True) if plan.outcome != LANDED]
        for title, (user, plan) in zip(
            organisation.coach_tasks, rng.sample(still_searching, len(organisation.coach_tasks)), strict=True
        ):
            due = now + timedelta(days=rng.randint(-12, 14))
            done = due < now and plan.outcome != QUIET and rng.random() < 0.6
            done_at = due - timedelta(days=rng.randint(0, 3)) if done else None
            tasks.append(
                CoachTask(member=user, author=coach_of[user.pk], title=title, due_on=due.date(), done_at=done_at)
            )
            added.append(min(due - timedelta(days=rng.randint(7, 14)), now - timedelta(days=1)))
        CoachTask.objects.bulk_create(tasks)
        _backdate(CoachTask, tasks, added)
        self._notes(plans, members, coach_of)
        first_start = min(cohort.starts_on for cohort in self.cohorts)
        goal = Goal.objects.create(
            title=organisation.goal_title,
            metric=Goal.Metric.APPLICATIONS,
            target=10,
            period=Goal.Period.WEEK,
            starts_on=first_start,
            created_by=self.administrator,
        )
        Goal.objects.filter(pk=goal.pk).update(
            created_at=datetime.combine(first_start, datetime.min.time(), tzinfo=now.tzinfo)
        )
        GoalEnrolment.objects.bulk_create(
            GoalEnrolment(goal=goal, member=user, enrolled_at=plan.joined_at + timedelta(days=1))
            for index, (user, plan) in enumerate(zip(members, plans, strict=True))
            if index == 0 or rng.random() < 0.75
        )
        title, body = organisation.announcement
        published = now - timedelta(days=6, hours=rng.randint(0, 8))
        announcement = Announcement.objects.create(
            title=title, body=body, author=self.administrator, published_at=published
        )
        AnnouncementRead.objects.bulk_create(
            AnnouncementRead(
                announcement=announcement, member=user, read_at=published + timedelta(hours=rng.randint(1, 120))
            )
            for user, plan in zip(members, plans, strict=True)
            if plan.outcome != QUIET and rng.random() < 0.6
        )

    def _notes(self, plans: list[MemberPlan], members: list[User], coach_of: dict[int, User]) -> None:
        """Each note goes to a member whose search it fits; the demo member gets the first ones about their offer."""
        rng, now = self.rng, self.now
        pairs = list(zip(members, plans, strict=True))
        used: set[int] = set()
        notes: list[CoachNote] = []
        written: list[datetime] = []
        for outcome, body in self.organisation.coach_notes:
            fitting = [(user, plan) for user, plan in pairs if outcome in ("", plan.outcome)]
            lead = pairs[0]
            if outcome == lead[1].outcome and sum(1 for note in notes if note.member_id == lead[0].pk) < 2:
                user, plan = lead
            else:
                fresh = [pair for pair in fitting if pair[0].pk not in used] or fitting
                user, plan = rng.choice(fresh)
            if plan.outcome == QUIET:
                since = now - timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 8))
            elif user.pk in used:  # a second note is about the member's latest interview, before the first note
                interviews = [m.at for a in plan.applications for m in a.moves if m.stage == INTERVIEWING]
                since = max(interviews, default=plan.joined_at)
            else:
                since = plan.last_move_at or plan.joined_at
            used.add(user.pk)
            notes.append(CoachNote(member=user, author=coach_of[user.pk], body=body))
            written.append(min(since + timedelta(hours=rng.randint(3, 40)), now - timedelta(hours=1)))
        CoachNote.objects.bulk_create(notes)
        _backdate(CoachNote, notes, written)


@functools.cache
def _password_hash(password: str) -> str:
    """One hash for every demo person (and organisation): Argon2 for each would take seconds."""
    return make_password(password)


def _backdate(model, rows: list, when: list[datetime], field: str = "created_at") -> None:
    """Sets an auto_now_add time to when the row's thing happened (bulk_create stamps it with now)."""
    for row, at in zip(rows, when, strict=True):
        setattr(row, field, at)
    model.objects.bulk_update(rows, [field], batch_size=500)
