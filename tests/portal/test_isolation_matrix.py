"""The role × endpoint isolation matrix (issue 13, "Bad input and isolation"): a member cannot reach another member's
data, a coach cannot reach an unassigned member's unshared data, an analyst cannot reach any individual's data, and no
role reaches another organisation. Each role is sent to every portal page and every organisation API endpoint, with
every method the URL answers.

``PORTAL`` and ``API`` below are the table: URL name → the objects its URL is built from, the methods to try and the
roles that reach it with each. Their keys must equal the URL names the portal and the API define, so a URL added later
without an entry fails :func:`test_the_table_covers_every_portal_and_organisation_api_url`.

Out of reach is a 404 (and gamma's API token on another organisation's host a 401); in reach, a GET is a 200 and a
write, sent empty, its refusal (400), its redirect or its page. Whatever the status, no response to a role holds any of
the strings in ``FORBIDDEN[role]``: names, email addresses and the text of the notes, postings, CVs, coach notes and
tasks that role must not see (each a distinctive word put in the fixture).

The cast, in gamma (the enterprise tenant, with a contract giving members every prediction): Liselotte
(administrator), Konstantin (coach A) with Henrike (M1: shares her applications, not her CV, not her notes), Marit
(coach B) with Ottilie (M2: shares everything) and three more members, and Bjarne (analyst); and Sigrun, administrator
of a second organisation (nordhafen), who sends gamma's ids to her own host. Built once for the module inside a
transaction that is rolled back at its end; each test runs in a savepoint of it (pytest-django's ``db``), so what one
test's POST changes, the next test does not see.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django_tenants.utils import schema_context

import portal.api.urls
import portal.urls
from accounts.models import User
from accounts.services import user_create
from analytics.alerts.rules import alert_rule_save
from analytics.models import AlertRule
from billing.models import Feature
from portal.invitations import token_hash
from portal.models import (
    Announcement,
    ApiToken,
    BoardTemplate,
    CoachNote,
    CoachTask,
    Cohort,
    Goal,
    GoalCheckIn,
    GoalEnrolment,
    Invitation,
    Membership,
    OrganisationSettings,
    WebhookDelivery,
    WebhookEndpoint,
)
from portal.outcomes_tables import TABLE_NAMES
from portal.tokens import api_token_create
from portal.views.webhook_inbox import INBOX_CACHE_KEY
from portal.webhook_delivery import KICK_CACHE_KEY
from portal.webhooks import SUBSCRIBED_CACHE_KEY
from tenants.context import current_tenant
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tests.portal.members_helpers import OTHER_HOST, OTHER_SCHEMA, contract, german
from tests.tracking.factories import (
    ApplicationFactory,
    ContactFactory,
    CVDocumentFactory,
    JobPostingFactory,
    NoteFactory,
    TaskFactory,
)
from tracking.models import Application, Stage
from tracking.services import application_move

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------------------------------
ADMIN = "administrator"
COACH_A = "coach_a"
ANALYST = "analyst"
M1 = "member_m1"
OTHER = "other_tenant_admin"  # nordhafen's administrator on nordhafen's host, with gamma's ids
GAMMA_TOKEN_ELSEWHERE = "gamma_token_on_other_host"  # the API only: gamma's bearer token sent to nordhafen's host

ROLES = (ADMIN, COACH_A, ANALYST, M1, OTHER)
API_ROLES = (*ROLES, GAMMA_TOKEN_ELSEWHERE)

EVERYONE = frozenset({ADMIN, COACH_A, ANALYST, M1})  # everyone signed in on gamma's host
ADMINS = frozenset({ADMIN})
STAFF = frozenset({ADMIN, COACH_A})  # the programme's staff within reach of M1
OUTCOMES = frozenset({ADMIN, COACH_A, ANALYST})
MEMBER = frozenset({M1})
COACH_A_ONLY = frozenset({COACH_A})
NOBODY: frozenset[str] = frozenset()

# ---------------------------------------------------------------------------------------------------------------------
# Distinctive words in the fixture's data, and who must never see them
# ---------------------------------------------------------------------------------------------------------------------
M1_NAME = ("Henrike", "Wolkenstein", "henrike.wolkenstein@gamma.example")
M1_POSTING = ("Quellwerk",)  # company of her application (shared)
M1_COACH_TASK = ("Harkensee",)  # a task coach A set her: she sees it
M1_UNSHARED = ("Sandrock", "Lindhorst", "Kasparek", "Rostwald")  # her note, contact, application task, CV
M1_COACH_NOTE = ("Fehmarnsund",)  # coach A's note about her: coaches and administrators only
M2_ALL = (
    "Ottilie",
    "Brandvold",
    "ottilie.brandvold@gamma.example",
    "Haldenbruck",  # company of her application
    "Quarnstedt",  # her note
    "Olafsen",  # her contact
    "Wendisch",  # her application's task
    "Tessenow",  # her CV
    "Gravenbruch",  # coach B's note about her
    "Lohmannshof",  # the administrator's note about her
    "Morsleben",  # the task coach B set her
    "Dumpelfeld",  # her goal check-in's note (shown nowhere today)
)
GAMMA_STAFF = ("Achterberg", "Feddersen", "Ohlendorf", "Hollweg")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    ADMIN: M1_UNSHARED,
    COACH_A: (*M1_UNSHARED, *M2_ALL),
    ANALYST: (*M1_NAME, *M1_POSTING, *M1_COACH_TASK, *M1_UNSHARED, *M1_COACH_NOTE, *M2_ALL),
    M1: (*M1_COACH_NOTE, *M2_ALL),
    OTHER: (*M1_NAME, *M1_POSTING, *M1_COACH_TASK, *M1_UNSHARED, *M1_COACH_NOTE, *M2_ALL, *GAMMA_STAFF),
}
FORBIDDEN[GAMMA_TOKEN_ELSEWHERE] = FORBIDDEN[OTHER]

INVITATION_TOKEN = "matrix-invitation-link-4b1c9e7a2f"  # noqa: S105 - an invitation link's token, not a secret


# ---------------------------------------------------------------------------------------------------------------------
# The fixture
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class World:
    admin: User
    coach_a: User
    coach_b: User
    analyst: User
    m1: User
    m2: User
    app_m1: Application
    app_m2: Application
    cohort: Cohort
    template: BoardTemplate
    goal: Goal
    enrolment_m1: GoalEnrolment
    enrolment_m2: GoalEnrolment
    announcement: Announcement
    invitation: Invitation
    token_to_revoke: ApiToken
    endpoint: WebhookEndpoint
    delivery: WebhookDelivery
    note_a_on_m1: CoachNote
    note_b_on_m2: CoachNote
    note_admin_on_m2: CoachNote
    task_m1: CoachTask
    task_m2: CoachTask
    admin_secret: str  # gamma's administrator's bearer token
    alert_rule: AlertRule  # gamma's own alert rule (public schema, scoped to gamma)
    other_admin: User
    other_secret: str  # nordhafen's administrator's bearer token


def _person(email: str, full_name: str, role: str = User.Role.MEMBER) -> User:
    return user_create(email=email, password=PASSWORD, full_name=full_name, role=role)


def _member_data(member: User, *, company: str, title: str, note: str, contact: str, task: str, cv: str) -> Application:
    """An application with a note, a contact and a task on it, and a CV with a file: every kind of thing a member
    shares or not."""
    cv_text = f"{member.get_full_name()}: {cv}"
    cv_document = CVDocumentFactory(
        owner=member,
        text=cv_text,
        original_name=f"Lebenslauf {cv}.txt",
        file=ContentFile(cv_text.encode(), name="lebenslauf.txt"),
        content_type="text/plain",
        parsed={},
    )
    posting = JobPostingFactory(owner=member, title=title, company=company, location="Hamburg")
    application = ApplicationFactory(
        cv=cv_document, owner=member, posting=posting, stage_changed_at=timezone.now() - timedelta(days=20)
    )
    NoteFactory(application=application, body=note)
    ContactFactory(application=application, name=contact)
    TaskFactory(application=application, title=task)
    return application


def _gamma_build() -> dict:
    OrganisationSettings.current()  # coaches see the members assigned to them (the default)
    admin = _person("liselotte.achterberg@gamma.example", "Liselotte Achterberg", User.Role.ADMINISTRATOR)
    coach_a = _person("konstantin.feddersen@gamma.example", "Konstantin Feddersen", User.Role.COACH)
    coach_b = _person("marit.ohlendorf@gamma.example", "Marit Ohlendorf", User.Role.COACH)
    analyst = _person("bjarne.hollweg@gamma.example", "Bjarne Hollweg", User.Role.ANALYST)
    cohort = Cohort.objects.create(name="Herbst 2026 Logistik", kind=Cohort.Kind.INTAKE)
    m1 = _person(M1_NAME[2], "Henrike Wolkenstein")
    m2 = _person(M2_ALL[2], "Ottilie Brandvold")
    joined = {"cohort": cohort, "joined_at": timezone.now() - timedelta(days=60)}
    Membership.objects.create(
        user=m1, coach=coach_a, share_applications=True, share_cv=False, share_notes=False, **joined
    )
    Membership.objects.create(
        user=m2, coach=coach_b, share_applications=True, share_cv=True, share_notes=True, **joined
    )
    app_m1 = _member_data(
        m1,
        company="Quellwerk Logistik GmbH",
        title="Disponentin Nachtschicht",
        note="Frau Sandrock ruft am Donnerstag wegen der Schichtplanung zurück.",
        contact="Jana Lindhorst",
        task="Referenzen an Herrn Kasparek schicken",
        cv="Disponentin, Staplerschein, SAP EWM, Tiefkühllager Rostwald",
    )
    app_m2 = _member_data(
        m2,
        company="Eisenwerk Haldenbruck AG",
        title="Schichtleiterin Walzwerk",
        note="Zweites Gespräch mit Herrn Quarnstedt vereinbart.",
        contact="Birte Olafsen",
        task="Arbeitsprobe an Frau Wendisch senden",
        cv="Instandhaltung am Hochofen Tessenow, zwölf Jahre",
    )
    # Three more of coach B's members, so that the outcomes (groups of five or more) show figures, not suppression.
    for email, full_name, stage in (
        ("emre.yildiz@gamma.example", "Emre Yildiz", Stage.INTERVIEWING),
        ("paulina.kowalczyk@gamma.example", "Paulina Kowalczyk", Stage.SCREENING),
        ("jonas.reuter@gamma.example", "Jonas Reuter", Stage.INTERVIEWING),
    ):
        member = _person(email, full_name)
        Membership.objects.create(user=member, coach=coach_b, **joined)
        posting = JobPostingFactory(owner=member, title="Teamleitung Lager", company="Spedition Nordkurs")
        application = ApplicationFactory(
            owner=member, posting=posting, stage_changed_at=timezone.now() - timedelta(days=20)
        )
        application_move(application=application, to_stage=stage, by=member, at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    goal = Goal.objects.create(
        title="Drei Infogespräche im Monat",
        metric=Goal.Metric.INFORMATIONAL,
        target=3,
        period=Goal.Period.MONTH,
        starts_on=today - timedelta(days=30),
        cohort=cohort,
        created_by=admin,
    )
    enrolment_m1 = GoalEnrolment.objects.create(goal=goal, member=m1)
    enrolment_m2 = GoalEnrolment.objects.create(goal=goal, member=m2)
    GoalCheckIn.objects.create(
        enrolment=enrolment_m2, occurred_on=today, note="Infogespräch mit Werksleiter Dumpelfeld"
    )
    token_to_revoke, _secret = api_token_create(by=admin, name="Personio-Abgleich", scope=ApiToken.Scope.READ)
    _token, admin_secret = api_token_create(by=admin, name="HR-Dashboard", scope=ApiToken.Scope.READ_WRITE)
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.karrierewerk.example/cvplus",
        description="Karrierewerk CRM",
        events=[WebhookEndpoint.Event.MEMBER_JOINED],
        secret="whsec_matrix-signing-secret",  # noqa: S106 - a fixture's value
        created_by=admin,
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        event=WebhookEndpoint.Event.MEMBER_JOINED,
        payload={"type": "member.joined", "data": {"member": {"id": 1}}},
        status=WebhookDelivery.Status.FAILED,
        attempts=5,
    )
    return {
        "admin": admin,
        "coach_a": coach_a,
        "coach_b": coach_b,
        "analyst": analyst,
        "m1": m1,
        "m2": m2,
        "app_m1": app_m1,
        "app_m2": app_m2,
        "cohort": cohort,
        "template": BoardTemplate.objects.create(
            name="Umschulung Logistik",
            stages=[Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER],
            default_tasks=[{"title": "Lebenslauf aktualisieren", "due_in_days": 7}],
            created_by=admin,
        ),
        "goal": goal,
        "enrolment_m1": enrolment_m1,
        "enrolment_m2": enrolment_m2,
        "announcement": Announcement.objects.create(
            title="Jobmesse Logistik am 12. Mai",
            body="Stände von zwölf Speditionen, Anmeldung bis Freitag.",
            author=admin,
        ),
        "invitation": Invitation.objects.create(
            email="leonie.hartwig@example.de",
            full_name="Leonie Hartwig",
            role=User.Role.MEMBER,
            token_hash=token_hash(INVITATION_TOKEN),
            invited_by=admin,
            expires_at=timezone.now() + timedelta(days=14),
        ),
        "token_to_revoke": token_to_revoke,
        "endpoint": endpoint,
        "delivery": delivery,
        "note_a_on_m1": CoachNote.objects.create(
            member=m1, author=coach_a, body="Möchte in die Disposition Richtung Fehmarnsund wechseln."
        ),
        "note_b_on_m2": CoachNote.objects.create(
            member=m2, author=coach_b, body="Bewirbt sich parallel beim Stahlwerk Gravenbruch."
        ),
        "note_admin_on_m2": CoachNote.objects.create(
            member=m2, author=admin, body="Förderbescheid liegt vor, Bildungsträger Lohmannshof."
        ),
        "task_m1": CoachTask.objects.create(
            member=m1,
            author=coach_a,
            title="Bewerbung bei Spedition Harkensee nachfassen",
            due_on=today + timedelta(days=7),
        ),
        "task_m2": CoachTask.objects.create(
            member=m2, author=coach_b, title="Portfolio für die Kranhalle Morsleben überarbeiten", due_on=today
        ),
        "admin_secret": admin_secret,
        "alert_rule": alert_rule_save(
            rule=AlertRule(
                name="Erinnerungen im Verzug", metric="reminder_backlog", threshold=5, tenant=current_tenant()
            ),
            organisation=True,
        ),
    }


def _ids_beyond_gammas(*models: type) -> None:
    """Moves this schema's id sequences past gamma's ids, so that a gamma id sent to this organisation's host names
    nothing here: a 404 then shows isolation, not a lucky miss (each schema numbers its rows on its own)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            here = f"{quote(OTHER_SCHEMA)}.{quote(model._meta.db_table)}"
            in_gamma = f"{quote('gamma')}.{quote(model._meta.db_table)}"
            # Identifiers from the models, quoted: nothing here comes from outside the test.
            statement = "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM {}), (SELECT MAX(id) FROM {}), 0) + 1, false)"  # noqa: E501
            cursor.execute(statement.format(here, in_gamma), [here])


@pytest.fixture(scope="module")
def world(cast, other_enterprise, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # like Django's TestCase's class-wide transaction: durable blocks may run inside
        outer.__enter__()
        try:
            with schema_context("gamma"):
                gamma = _gamma_build()
            contract(seats=50, features=list(Feature.values))  # every prediction on the pages, as in production
            with schema_context(OTHER_SCHEMA):
                _ids_beyond_gammas(User, ApiToken)
                other_admin = _person("sigrun.eklund@nordhafen.example", "Sigrun Eklund", User.Role.ADMINISTRATOR)
                _token, other_secret = api_token_create(
                    by=other_admin, name="Nordhafen BI", scope=ApiToken.Scope.READ_WRITE
                )
            connection.set_schema_to_public()
            yield World(**gamma, other_admin=other_admin, other_secret=other_secret)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            connection.set_schema_to_public()
            for schema in ("gamma", OTHER_SCHEMA):
                with schema_context(schema):
                    cache.delete_many([SUBSCRIBED_CACHE_KEY, KICK_CACHE_KEY, INBOX_CACHE_KEY])


# ---------------------------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One URL built from the fixture's objects (``label`` names them; empty for a URL without any) and the roles
    that reach it, by method. ``gamma_ids``: its URL names gamma's objects (or gamma's invitation link)."""

    label: str
    kwargs: Callable[[World], dict]
    reach: dict[str, frozenset[str]]
    gamma_ids: bool = True


def page(reach: dict[str, frozenset[str]]) -> tuple[Target, ...]:
    """A URL without an object."""
    return (Target("", lambda world: {}, reach, gamma_ids=False),)


def on(label: str, kwargs: Callable[[World], dict], reach: dict[str, frozenset[str]]) -> Target:
    return Target(label, kwargs, reach)


def outcome_tables(reach: dict[str, frozenset[str]]) -> tuple[Target, ...]:
    """Each CSV file: its name is the same in every organisation."""
    return tuple(
        Target(table, lambda w, table=table: {"table": table}, reach, gamma_ids=False) for table in TABLE_NAMES
    )


def m1(world: World) -> dict:
    return {"pk": world.m1.pk}


def m2(world: World) -> dict:
    return {"pk": world.m2.pk}


def for_both_members(reach_m1: dict, reach_m2: dict) -> tuple[Target, ...]:
    return on("M1", m1, reach_m1), on("M2", m2, reach_m2)


def admins_only_on_each_member(*methods: str) -> tuple[Target, ...]:
    reach = dict.fromkeys(methods, ADMINS)
    return for_both_members(reach, reach)


def coach_notes(*methods: str) -> tuple[Target, ...]:
    """A coach note is changed by its author only, while they reach its member."""
    return (
        on(
            "coach A's note on M1",
            lambda w: {"pk": w.m1.pk, "note_pk": w.note_a_on_m1.pk},
            dict.fromkeys(methods, COACH_A_ONLY),
        ),
        on(
            "the administrator's note on M2",
            lambda w: {"pk": w.m2.pk, "note_pk": w.note_admin_on_m2.pk},
            dict.fromkeys(methods, ADMINS),
        ),
        on(
            "coach B's note on M2, through M1",
            lambda w: {"pk": w.m1.pk, "note_pk": w.note_b_on_m2.pk},
            dict.fromkeys(methods, NOBODY),
        ),
    )


GET = "GET"
POST = "POST"
PATCH = "PATCH"

PORTAL: dict[str, tuple[Target, ...]] = {
    "portal:home": page({GET: EVERYONE}),
    # People, invitations, cohorts, settings: administrators (portal/views/members.py, members_invitations.py)
    "portal:people": page({GET: ADMINS}),
    "portal:people_assign": page({POST: ADMINS}),
    "portal:person": admins_only_on_each_member(GET),
    "portal:person_role": admins_only_on_each_member(POST),
    "portal:person_assign": admins_only_on_each_member(POST),
    "portal:person_deactivate": admins_only_on_each_member(POST),
    "portal:person_reactivate": admins_only_on_each_member(POST),
    "portal:person_remove": admins_only_on_each_member(GET, POST),
    "portal:invitations": page({GET: ADMINS}),
    "portal:invitation_new": page({GET: ADMINS, POST: ADMINS}),
    "portal:invitation_csv": page({GET: ADMINS, POST: ADMINS}),
    "portal:invitation_csv_send": page({POST: ADMINS}),
    "portal:invitation_resend": (on("invitation", lambda w: {"pk": w.invitation.pk}, {POST: ADMINS}),),
    "portal:invitation_withdraw": (on("invitation", lambda w: {"pk": w.invitation.pk}, {POST: ADMINS}),),
    # The link is the key: anyone on gamma's host who holds it; on another organisation's host it names nothing.
    "portal:join": (on("invitation", lambda w: {"token": INVITATION_TOKEN}, {GET: EVERYONE, POST: EVERYONE}),),
    "portal:cohorts": page({GET: ADMINS, POST: ADMINS}),
    "portal:cohort_edit": (on("cohort", lambda w: {"pk": w.cohort.pk}, {GET: ADMINS, POST: ADMINS}),),
    "portal:cohort_delete": (on("cohort", lambda w: {"pk": w.cohort.pk}, {POST: ADMINS}),),
    "portal:settings": page({GET: ADMINS, POST: ADMINS}),
    "portal:sharing": page({GET: MEMBER, POST: MEMBER}),
    # The coach's workspace (portal/views/coach.py, coach_actions.py): members within reach, within what they share.
    "portal:members": page({GET: STAFF}),
    "portal:member": for_both_members({GET: STAFF}, {GET: ADMINS}),
    "portal:member_board": for_both_members({GET: STAFF}, {GET: ADMINS}),
    "portal:member_application": (
        on("M1's application", lambda w: {"pk": w.m1.pk, "app_pk": w.app_m1.pk}, {GET: STAFF}),
        on("M2's application", lambda w: {"pk": w.m2.pk, "app_pk": w.app_m2.pk}, {GET: ADMINS}),
        on("M2's application, through M1", lambda w: {"pk": w.m1.pk, "app_pk": w.app_m2.pk}, {GET: NOBODY}),
    ),
    "portal:member_cv_file": for_both_members({GET: NOBODY}, {GET: ADMINS}),  # M1 keeps her CV to herself
    "portal:member_notes": for_both_members({GET: NOBODY}, {GET: ADMINS}),  # M1 keeps her notes to herself
    "portal:coach_note_add": for_both_members({POST: STAFF}, {POST: ADMINS}),
    "portal:coach_note_edit": coach_notes(GET, POST),
    "portal:coach_note_delete": coach_notes(POST),
    "portal:coach_task_add": for_both_members({POST: STAFF}, {POST: ADMINS}),
    "portal:member_assign": admins_only_on_each_member(POST),
    "portal:task_done": (
        on("M1's task", lambda w: {"task_pk": w.task_m1.pk}, {POST: STAFF | MEMBER}),
        on("M2's task", lambda w: {"task_pk": w.task_m2.pk}, {POST: ADMINS}),
    ),
    # Programme tools (portal/views/programme.py): administrators and coaches; a member's own buttons.
    "portal:templates": page({GET: STAFF}),
    "portal:template_new": page({GET: STAFF, POST: STAFF}),
    "portal:template_edit": (on("template", lambda w: {"pk": w.template.pk}, {GET: STAFF, POST: STAFF}),),
    "portal:template_delete": (on("template", lambda w: {"pk": w.template.pk}, {POST: STAFF}),),
    "portal:template_apply": (on("template", lambda w: {"pk": w.template.pk}, {GET: STAFF, POST: STAFF}),),
    "portal:goals": page({GET: STAFF}),
    "portal:goal_new": page({GET: STAFF, POST: STAFF}),
    "portal:goal": (on("goal", lambda w: {"pk": w.goal.pk}, {GET: STAFF}),),
    "portal:goal_edit": (on("goal", lambda w: {"pk": w.goal.pk}, {GET: STAFF, POST: STAFF}),),
    "portal:goal_delete": (on("goal", lambda w: {"pk": w.goal.pk}, {POST: STAFF}),),
    "portal:goal_enrol": (on("goal", lambda w: {"pk": w.goal.pk}, {POST: STAFF}),),
    "portal:announcements": page({GET: STAFF, POST: STAFF}),
    "portal:announcement_delete": (on("announcement", lambda w: {"pk": w.announcement.pk}, {POST: STAFF}),),
    "portal:my_task_done": (
        on("M1's task", lambda w: {"pk": w.task_m1.pk}, {POST: MEMBER}),
        on("M2's task", lambda w: {"pk": w.task_m2.pk}, {POST: NOBODY}),
    ),
    "portal:my_goal_check_in": (
        on("M1's enrolment", lambda w: {"pk": w.enrolment_m1.pk}, {POST: MEMBER}),
        on("M2's enrolment", lambda w: {"pk": w.enrolment_m2.pk}, {POST: NOBODY}),
    ),
    # Cohort outcomes (portal/views/outcomes.py): aggregates, for administrators, coaches and analysts.
    "portal:outcomes": page({GET: OUTCOMES}),
    "portal:outcomes_csv": outcome_tables({GET: OUTCOMES}),
    # The organisation dashboard (portal/views/dashboard.py): the same people; a coach's figures are their members'.
    "portal:dashboard": page({GET: OUTCOMES}),
    "portal:dashboard_live": page({GET: OUTCOMES}),
    # Integrations (portal/views/integrations.py): administrators. The inbox receives deliveries from anyone (the
    # signature is its check; portal/views/webhook_inbox.py) and shows them to administrators.
    "portal:api_tokens": page({GET: ADMINS, POST: ADMINS}),
    "portal:api_token_revoke": (on("token", lambda w: {"pk": w.token_to_revoke.pk}, {POST: ADMINS}),),
    "portal:webhooks": page({GET: ADMINS}),
    "portal:webhook_create": page({GET: ADMINS, POST: ADMINS}),
    "portal:webhook_inbox": page({GET: ADMINS, POST: EVERYONE}),
    "portal:webhook": (on("endpoint", lambda w: {"pk": w.endpoint.pk}, {GET: ADMINS}),),
    "portal:webhook_edit": (on("endpoint", lambda w: {"pk": w.endpoint.pk}, {GET: ADMINS, POST: ADMINS}),),
    "portal:webhook_active": (on("endpoint", lambda w: {"pk": w.endpoint.pk}, {POST: ADMINS}),),
    "portal:webhook_rotate": (on("endpoint", lambda w: {"pk": w.endpoint.pk}, {POST: ADMINS}),),
    "portal:webhook_test": (on("endpoint", lambda w: {"pk": w.endpoint.pk}, {POST: ADMINS}),),
    "portal:webhook_replay": (
        on("delivery", lambda w: {"pk": w.endpoint.pk, "delivery_pk": w.delivery.pk}, {POST: ADMINS}),
    ),
    # The organisation's alert rules (analytics/alerts/views.py): administrators, on their own tenant's rules.
    "portal:alerts": page({GET: ADMINS}),
    "portal:alert_create": page({GET: ADMINS, POST: ADMINS}),
    "portal:alert_edit": (on("alert rule", lambda w: {"pk": w.alert_rule.pk}, {GET: ADMINS, POST: ADMINS}),),
    "portal:alert_delete": (on("alert rule", lambda w: {"pk": w.alert_rule.pk}, {POST: ADMINS}),),
}

API: dict[str, tuple[Target, ...]] = {
    "org-api:members": page({GET: STAFF}),
    "org-api:member": for_both_members({GET: STAFF, PATCH: ADMINS}, {GET: ADMINS, PATCH: ADMINS}),
    "org-api:member-applications": for_both_members({GET: STAFF}, {GET: ADMINS}),
    "org-api:funnel": page({GET: OUTCOMES}),
    "org-api:invitations": page({POST: ADMINS}),
}


def reaches(role: str, target: Target, method: str) -> bool:
    """Another organisation's administrator reaches her own organisation's pages that gamma's administrator reaches,
    and nothing built from gamma's ids; gamma's token reaches nothing on her host."""
    if role == GAMMA_TOKEN_ELSEWHERE:
        return False
    if role == OTHER:
        return not target.gamma_ids and ADMIN in target.reach[method]
    return role in target.reach[method]


# ---------------------------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------------------------
def _session(email: str, host: str = ENTERPRISE_HOST) -> HttpClient:
    client = HttpClient(HTTP_HOST=host)
    assert login(client, email).status_code == 302, f"{email} could not sign in"
    return client


def _portal_client(world: World, role: str) -> HttpClient:
    if role == OTHER:
        return _session(world.other_admin.email, OTHER_HOST)
    return _session({ADMIN: world.admin, COACH_A: world.coach_a, ANALYST: world.analyst, M1: world.m1}[role].email)


def _api_client(world: World, role: str) -> HttpClient:
    if role == ADMIN:
        return HttpClient(HTTP_HOST=ENTERPRISE_HOST, HTTP_AUTHORIZATION=f"Bearer {world.admin_secret}")
    if role == OTHER:
        return HttpClient(HTTP_HOST=OTHER_HOST, HTTP_AUTHORIZATION=f"Bearer {world.other_secret}")
    if role == GAMMA_TOKEN_ELSEWHERE:
        return HttpClient(HTTP_HOST=OTHER_HOST, HTTP_AUTHORIZATION=f"Bearer {world.admin_secret}")
    return _portal_client(world, role)


def _send(client: HttpClient, method: str, url: str, *, json_body: bool) -> HttpResponse:
    """Every write is sent empty: in reach, that is a refused form or an action on the fixture's object; out of
    reach, it must be a 404 whatever it carries."""
    if method == GET:
        return client.get(url)
    if json_body:
        return client.generic(method, url, "{}", content_type="application/json")
    return client.generic(method, url, "", content_type="application/x-www-form-urlencoded")


def _text(response: HttpResponse) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace") + response.get("Location", "")


def _check(response: HttpResponse, *, role: str, method: str, in_reach: bool, out_of_reach_status: int = 404) -> None:
    """In reach: a page (GET), or for a write sent empty its refusal or its redirect; out of reach, the status given.
    Either way, nothing of what the role must not see."""
    text = _text(response)
    if not in_reach:
        assert response.status_code == out_of_reach_status, (response.status_code, text[:500])
    elif method == GET:
        assert response.status_code == 200, (response.status_code, text[:500])
    else:
        assert response.status_code in (200, 201, 302, 400), (response.status_code, text[:500])
        assert "/accounts/login/" not in response.get("Location", ""), "signed out"
    shown = [marker for marker in FORBIDDEN[role] if marker in text]
    assert not shown, f"{role} was shown {shown}"


def _cases(table: dict[str, tuple[Target, ...]], roles: tuple[str, ...]) -> list:
    return [
        pytest.param(
            role, name, target, method, id=f"{role}-{name}{f'[{target.label}]' if target.label else ''}-{method}"
        )
        for name, targets in table.items()
        for target in targets
        for method in target.reach
        for role in roles
    ]


# ---------------------------------------------------------------------------------------------------------------------
# The table covers every URL and says what the issue says
# ---------------------------------------------------------------------------------------------------------------------
def url_names(patterns: list, namespace: str) -> set[str]:
    """Every URL name under ``patterns``, namespaced; an unnamed URL fails (it could have no entry)."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        else:
            assert isinstance(pattern, URLPattern)
            assert pattern.name, f"{pattern.pattern} has no name"
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_the_table_covers_every_portal_and_organisation_api_url() -> None:
    assert set(PORTAL) == url_names(portal.urls.urlpatterns, "portal")
    assert set(API) == url_names(portal.api.urls.urlpatterns, "org-api")
    for name, targets in (PORTAL | API).items():
        assert any(target.reach[method] for target in targets for method in target.reach), (
            f"{name}: no role reaches it, so its 404s would prove nothing about its URL"
        )


def test_the_table_keeps_the_issues_rules() -> None:
    """The table's own entries against the issue's rules, so that an entry cannot quietly grant more."""
    reached = {
        role: {
            (name, target.label, method)
            for name, targets in (PORTAL | API).items()
            for target in targets
            for method in target.reach
            if reaches(role, target, method)
        }
        for role in ROLES
    }
    individual = ("M1", "M2", "task", "enrolment", "application", "note")
    assert not [entry for entry in reached[ANALYST] if any(word in entry[1] for word in individual)]
    assert {name for name, _label, _method in reached[ANALYST]} <= {
        "portal:home",
        "portal:join",
        "portal:webhook_inbox",
        "org-api:funnel",
        "portal:outcomes",
        "portal:outcomes_csv",
        "portal:dashboard",
        "portal:dashboard_live",
    }
    assert not [entry for entry in reached[COACH_A] if "M2" in entry[1]]
    assert not [entry for entry in reached[M1] if "M2" in entry[1]]
    assert {name for name, _label, _method in reached[M1]} <= {
        "portal:home",
        "portal:join",
        "portal:webhook_inbox",
        "portal:sharing",
        "portal:task_done",
        "portal:my_task_done",
        "portal:my_goal_check_in",
    }
    assert not [
        (name, target.label)
        for name, targets in (PORTAL | API).items()
        for target in targets
        if target.gamma_ids and any(reaches(OTHER, target, method) for method in target.reach)
    ]
    assert not reached[ADMIN] & {("portal:member_cv_file", "M1", GET), ("portal:member_notes", "M1", GET)}


# ---------------------------------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "name", "target", "method"), _cases(PORTAL, ROLES))
def test_a_role_reaches_a_portal_page_only_within_the_rules(world, settings, role, name, target, method) -> None:
    if name == "portal:webhook_inbox":
        settings.PORTAL_WEBHOOKS_INBOX = True  # on in development only; its rules are tested as if it were on
    url = reverse(name, kwargs=target.kwargs(world))

    response = _send(_portal_client(world, role), method, url, json_body=False)

    _check(response, role=role, method=method, in_reach=reaches(role, target, method))


@pytest.mark.parametrize(("role", "name", "target", "method"), _cases(API, API_ROLES))
def test_a_role_reaches_an_api_endpoint_only_within_the_rules(world, role, name, target, method) -> None:
    url = reverse(name, kwargs=target.kwargs(world))

    response = _send(_api_client(world, role), method, url, json_body=True)

    # gamma's token means nothing on another organisation's host: not a credential there at all
    out_of_reach_status = 401 if role == GAMMA_TOKEN_ELSEWHERE else 404
    in_reach = reaches(role, target, method)
    _check(response, role=role, method=method, in_reach=in_reach, out_of_reach_status=out_of_reach_status)


# The fixture's words do show where they are allowed: their absence everywhere else means something.
SHOWN = (
    (COACH_A, "portal:member", m1, (*M1_NAME, *M1_POSTING, *M1_COACH_TASK, *M1_COACH_NOTE)),
    (M1, "portal:home", lambda w: {}, M1_COACH_TASK),
    (M1, "tracking:application", lambda w: {"pk": w.app_m1.pk}, ("Sandrock", "Lindhorst", "Kasparek")),
    (M1, "tracking:cv", lambda w: {}, ("Rostwald",)),
    (ADMIN, "portal:member", m2, ("Ottilie", "Brandvold", "Haldenbruck", "Gravenbruch", "Lohmannshof", "Morsleben")),
    (ADMIN, "portal:member_notes", m2, ("Quarnstedt", "Olafsen", "Wendisch")),
    (ADMIN, "portal:member_cv_file", m2, ("Tessenow",)),
    (ADMIN, "portal:people", lambda w: {}, (M2_ALL[2], *GAMMA_STAFF)),
)


@pytest.mark.parametrize(("role", "name", "kwargs", "words"), SHOWN, ids=[f"{row[0]}-{row[1]}" for row in SHOWN])
def test_the_fixtures_words_show_where_they_are_allowed(world, role, name, kwargs, words) -> None:
    response = _portal_client(world, role).get(reverse(name, kwargs=kwargs(world)))

    assert response.status_code == 200
    text = _text(response)
    assert [word for word in words if word not in text] == []


def _section(page: str, html_id: str) -> str:
    start = page.index(f'id="{html_id}"')
    return page[start : page.index("</article>", start)]


def test_a_cv_kept_private_keeps_its_match_score_private(world) -> None:
    """The CV match, its percentile among comparable applications and its evidence are read from the CV: a coach
    sees them for a member who shares her CV (Ottilie, through the administrator here), never for one who does not
    (Henrike); gamma's contract gives members the CV match."""
    coach = _portal_client(world, COACH_A)
    private = coach.get(reverse("portal:member_application", kwargs={"pk": world.m1.pk, "app_pk": world.app_m1.pk}))
    shared = _portal_client(world, ADMIN).get(
        reverse("portal:member_application", kwargs={"pk": world.m2.pk, "app_pk": world.app_m2.pk})
    )

    score = re.compile(r"\d+ / 100")
    assert score.search(_section(shared.content.decode(), "prediction-match"))
    not_shared = german("Not shared: %(name)s keeps this private.", name="Henrike")
    for part in ("prediction-match", "compare-match"):
        assert not score.search(_section(private.content.decode(), part))
        assert not_shared in _section(private.content.decode(), part)
    assert 'id="match"' not in private.content.decode()  # the evidence panel
