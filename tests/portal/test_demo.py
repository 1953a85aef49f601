"""The enterprise demo's programme (portal/demo.py), written into the enterprise tenant of the cast (EU, German, EUR)
with the Rheinwerk organisation's content: provisioning a demo tenant of its own would add seconds for nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Max
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from billing.models import Contract, Feature
from billing.seats import contract_in_force
from market.industries import INDUSTRY_CODES
from portal.demo import DemoLogins, demo_programme_ensure
from portal.demo_histories import HistoryMaker, Person
from portal.demo_organisations import DEMO_ORGANISATIONS
from portal.models import (
    Announcement,
    BoardTemplate,
    CoachNote,
    CoachTask,
    Cohort,
    Goal,
    GoalEnrolment,
    Membership,
    TemplateAssignment,
)
from tenants.demo import DEMO_TENANTS
from tests.conftest import PASSWORD
from tests.demo_names import ENGLISH_WORDS, FIXTURE_NAME, JAPANESE
from tracking.models import Application, ApplicationEvent, CVDocument, DomainEvent, JobPosting, Stage
from tracking.services import ALLOWED_MOVES

pytestmark = pytest.mark.django_db

ORGANISATION = DEMO_ORGANISATIONS["rheinwerk"]
RHEINWERK = next(demo for demo in DEMO_TENANTS if demo.schema_name == "rheinwerk")


def _programme_write(cast):
    """The demo logins as tenants/demo.py creates them (the coach login still a member), then the programme."""
    (coach, coach_name), (member, member_name) = RHEINWERK.users
    user_ensure(email=coach, password=PASSWORD, full_name=coach_name)
    user_ensure(email=member, password=PASSWORD, full_name=member_name)
    administrator, administrator_name = RHEINWERK.administrator
    user_ensure(email=administrator, password=PASSWORD, full_name=administrator_name, role=User.Role.ADMINISTRATOR)
    logins = DemoLogins(administrator=administrator, coach=coach, member=member)
    return demo_programme_ensure(client=cast.enterprise, organisation=ORGANISATION, logins=logins, password=PASSWORD)


def _snapshot(cast) -> dict[str, object]:
    counted = (User, Membership, Cohort, JobPosting, Application, ApplicationEvent, DomainEvent, CVDocument)
    counted += (CoachNote, CoachTask, BoardTemplate, TemplateAssignment, Goal, GoalEnrolment, Announcement)
    snapshot: dict[str, object] = {model.__name__: model.objects.count() for model in counted}
    snapshot["contracts"] = Contract.objects.filter(tenant=cast.enterprise).count()
    snapshot["stages"] = list(Application.objects.order_by("pk").values_list("pk", "stage", "stage_changed_at"))
    snapshot["roles"] = list(User.objects.order_by("pk").values_list("pk", "role", "full_name"))
    return snapshot


def test_it_writes_the_programme_once(cast):
    with schema_context("gamma"):
        written = _programme_write(cast)
        before = _snapshot(cast)

        assert _programme_write(cast) is None
        assert _snapshot(cast) == before

    assert 20 <= written.members <= 40
    assert written.applications == before["Application"]


def test_every_application_has_a_history_the_services_would_have_written(cast):
    with schema_context("gamma"):
        _programme_write(cast)
        applications = list(Application.objects.select_related("posting").prefetch_related("events"))
        domain_events = {
            (row["kind"], row["subject_id"]): row["count"]
            for row in DomainEvent.objects.values("kind", "subject_id").annotate(count=Count("id"))
        }
        joined = DomainEvent.objects.filter(kind=DomainEvent.Kind.MEMBER_JOINED).count()
        members = Membership.objects.filter(cohort__isnull=False).count()

    now = timezone.now()
    assert len(applications) > 20 * 5
    for application in applications:
        events = list(application.events.all())  # ordered by occurred_at, id
        assert application.stage == events[-1].to_stage
        assert application.stage_changed_at == events[-1].occurred_at
        assert application.created_at == events[0].occurred_at
        assert events[0].from_stage == ""
        assert events[0].to_stage in (Stage.SAVED, Stage.APPLIED)
        for previous, event in zip(events, events[1:], strict=False):
            assert previous.occurred_at < event.occurred_at <= now
            assert event.from_stage == previous.to_stage
            assert event.to_stage in ALLOWED_MOVES[previous.to_stage]
        assert domain_events[(DomainEvent.Kind.APPLICATION_CREATED, application.pk)] == 1
        assert domain_events.get((DomainEvent.Kind.STAGE_CHANGED, application.pk), 0) == len(events) - 1
        posting = application.posting
        assert posting.owner_id == application.owner_id
        assert posting.industry in INDUSTRY_CODES
        assert posting.country == "DE"
        assert posting.salary_currency in ("", "EUR")
    assert joined == members


def test_it_gives_the_organisation_a_contract_staff_and_members_searching_for_months(cast):
    with schema_context("gamma"):
        _programme_write(cast)
        contract = contract_in_force("gamma")
        roles = dict(User.objects.values_list("email", "role"))
        memberships = list(Membership.objects.filter(cohort__isnull=False).select_related("user", "coach"))
        cohorts = list(Cohort.objects.values_list("name", flat=True))
        with_cv = set(CVDocument.objects.values_list("owner_id", flat=True))
        coach_notes = CoachNote.objects.count()
        goal = Goal.objects.get()
        enrolled = goal.enrolments.count()
        announcements = Announcement.objects.count()
        accepted = list(Application.objects.filter(stage=Stage.ACCEPTED).values_list("offer_amount", "offer_currency"))
        pending_offers = Application.objects.filter(stage=Stage.OFFER).count()
        per_member = list(
            Application.objects.values("owner_id").annotate(last=Max("stage_changed_at"), count=Count("id"))
        )
        sent = Application.objects.exclude(applied_at=None)
        screened, sent_count = sent.filter(events__to_stage=Stage.SCREENING).distinct().count(), sent.count()

    assert contract is not None
    assert contract.currency == "EUR"
    assert 40 <= contract.seats <= 60
    assert contract.seats >= len(memberships)
    assert set(contract.features) == {feature.value for feature in Feature if feature != Feature.API}
    assert roles["coach@rheinwerk.example"] == User.Role.COACH
    assert roles["analyst@rheinwerk.example"] == User.Role.ANALYST
    assert roles["admin@rheinwerk.example"] == User.Role.ADMINISTRATOR
    assert sum(1 for role in roles.values() if role == User.Role.COACH) in (2, 3)
    assert sorted(cohorts) == sorted(cohort.name for cohort in ORGANISATION.cohorts)
    assert 20 <= len(memberships) <= 40
    assert "member@rheinwerk.example" in {membership.user.email for membership in memberships}
    assert all(membership.user.role == User.Role.MEMBER for membership in memberships)
    assert all(membership.coach.role == User.Role.COACH for membership in memberships)
    assert len({membership.coach_id for membership in memberships}) > 1
    assert not all(membership.share_cv for membership in memberships)  # some keep their CV to themselves
    assert len(memberships) * 0.7 < len(with_cv) < len(memberships)
    assert goal.title == "10 Bewerbungen pro Woche"
    assert enrolled > 10
    assert coach_notes >= 5
    assert announcements == 1

    now = timezone.now()
    joined = [membership.joined_at for membership in memberships]
    assert max(joined) - min(joined) >= timedelta(days=90)
    assert all(now - timedelta(days=280) <= at <= now - timedelta(days=85) for at in joined)
    assert accepted
    assert all(amount > 30_000 and currency == "EUR" for amount, currency in accepted)
    assert pending_offers >= 1
    assert any(now - row["last"] >= timedelta(days=14) for row in per_member)  # a member gone quiet
    assert all(5 <= row["count"] <= 25 for row in per_member)
    assert 0.15 <= screened / sent_count <= 0.35


def test_it_draws_the_same_people_and_histories_from_the_same_seed():
    now = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)

    def draw():
        maker = HistoryMaker(
            seed=ORGANISATION.seed,
            now=now,
            fields={work.key: work for work in ORGANISATION.fields},
            cohorts=ORGANISATION.cohorts,
            coaches=3,
            utc_offset_hours=ORGANISATION.utc_offset_hours,
            pay_step=ORGANISATION.pay_step,
        )
        return maker.members(people=ORGANISATION.people, lead=Person("Jonas Hoffmann", "member@x.example", "Köln"))

    assert draw() == draw()


# --- variety and language, for every demo organisation (pure: the seeded generator, no database) ---------------------
NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
ORGANISATIONS = {demo.schema_name: demo for demo in DEMO_TENANTS if demo.kind == "enterprise"}


def _plans(schema: str):
    organisation, demo = DEMO_ORGANISATIONS[schema], ORGANISATIONS[schema]
    maker = HistoryMaker(
        seed=organisation.seed,
        now=NOW,
        fields={work.key: work for work in organisation.fields},
        cohorts=organisation.cohorts,
        coaches=1 + len(organisation.coaches),
        utc_offset_hours=organisation.utc_offset_hours,
        pay_step=organisation.pay_step,
    )
    (_member, member_name) = demo.users[1]
    return maker.members(people=organisation.people, lead=Person(member_name, demo.users[1][0], organisation.lead_city))


@pytest.mark.parametrize("schema", sorted(ORGANISATIONS))
def test_no_two_members_share_a_history_and_the_searches_span_months(schema):
    plans = _plans(schema)
    histories = [tuple(sorted(tuple(move.stage for move in app.moves) for app in plan.applications)) for plan in plans]
    moves = [move.at for plan in plans for application in plan.applications for move in application.moves]
    final_stages = Counter(application.stage for plan in plans for application in plan.applications)

    assert len(set(histories)) == len(histories)
    assert max(moves) - min(moves) >= timedelta(days=90)
    assert max(moves) <= NOW
    assert max(plan.joined_at for plan in plans) - min(plan.joined_at for plan in plans) >= timedelta(days=90)
    assert len({plan.outcome for plan in plans}) >= 4  # landed, quiet, searching, an offer, a fresh interview
    assert len(final_stages) >= 7
    assert len({application.employer.industry for plan in plans for application in plan.applications}) >= 5
    for application in (application for plan in plans for application in plan.applications):
        industries = application.role.industries  # no bank looking for a plant manager
        assert not industries or application.employer.industry in industries, application.role.title


@pytest.mark.parametrize("schema", sorted(ORGANISATIONS))
def test_people_and_employers_are_invented_names_never_fixtures_or_repeats(schema):
    organisation, demo = DEMO_ORGANISATIONS[schema], ORGANISATIONS[schema]
    people = [(person.email, person.full_name) for person in organisation.people]
    people += [*demo.users, demo.administrator, organisation.analyst, *organisation.coaches]
    employers = {employer.name for work in organisation.fields for employer in work.employers}

    assert len({email for email, _name in people}) == len(people)
    assert len({name for _email, name in people}) == len(people)
    for name in [name for _email, name in people] + sorted(employers):
        assert not FIXTURE_NAME.search(name), name
    assert len(employers) >= 10


def _texts(organisation) -> list[str]:
    """What members, coaches and administrators read that the demo wrote in the organisation's language."""
    texts = [cohort.name for cohort in organisation.cohorts]
    texts += [organisation.goal_title, *organisation.announcement, *organisation.coach_tasks]
    texts += [note for _outcome, note in organisation.coach_notes]
    texts += [organisation.template_name, organisation.template_description]
    texts += [title for title, _days in organisation.template_tasks]
    for work in organisation.fields:
        texts += [work.description, work.cv, *work.cv_choices["summary"]]
    return texts


@pytest.mark.parametrize(("schema", "language"), [(demo.schema_name, demo.language) for demo in ORGANISATIONS.values()])
def test_every_text_is_in_the_organisations_language(schema, language):
    texts = _texts(DEMO_ORGANISATIONS[schema])

    if language == "ja":
        assert [text for text in texts if not JAPANESE.search(text)] == []
    else:
        assert not any(JAPANESE.search(text) for text in texts)
    if language == "de":
        assert [text for text in texts if ENGLISH_WORDS.search(text)] == []
    if language == "en":
        assert all(
            ENGLISH_WORDS.search(text) for text in DEMO_ORGANISATIONS[schema].fields[0].description.split("\n\n")
        )


@pytest.mark.parametrize("schema", sorted(ORGANISATIONS))
def test_each_members_cv_tells_one_story(schema):
    """The values of a linked group (a summary, the employer it mentions, the years and the school before them) come
    from one background, never from several."""
    fields = {work.key: work for work in DEMO_ORGANISATIONS[schema].fields}
    assert all(any("summary" in group for group in work.cv_linked) for work in fields.values())
    for plan in _plans(schema):
        work = fields[plan.field_key]
        for group in work.cv_linked:
            drawn = tuple(plan.cv_values[key] for key in group)
            backgrounds = zip(*(work.cv_choices[key] for key in group), strict=True)
            assert drawn in set(backgrounds), (plan.person.full_name, group)
