"""The coach's workspace (issue 13, item 3): the member list with stage counts, last activity and flags, the member
page within what each member shares, coach notes and tasks, and assignment — and who gets a 404 on each of them.

The cast, in gamma (enterprise): an administrator (Ines), two coaches (Carla, Olu), an analyst (Anna) and members:
- Morgan (Carla's; shares applications and CV, not notes): an application applied 3 days ago, one in Interviewing
  since 5 days ago, one in Offer, one rejected; a coach-side note marker "Morganmark" in their own application note;
- Priya (Carla's; shares nothing): one application, applied and recorded 30 days ago;
- Sam (Carla's; shares notes): an application in Interviewing since 20 days, with an open task due in 3 days;
- Lee (Carla's; shares applications only): the same as Sam, but the task does not count without notes shared;
- Tomás (Olu's): nobody but Olu and the administrators reach him;
- Dana (Carla's, deactivated, no applications).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.models import Contract, Feature
from portal import member_figures
from portal.coaching import member_tasks
from portal.member_figures import Flag, MemberFilters
from portal.models import CoachNote, CoachTask, Cohort, Membership, OrganisationSettings
from tenants.models import Client
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, NoteFactory, TaskFactory
from tracking.models import Application, CVDocument, Stage

pytestmark = pytest.mark.django_db


def _person(email: str, full_name: str, role: str = User.Role.MEMBER) -> User:
    return user_create(email=email, password=PASSWORD, full_name=full_name, role=role)


def _member(email: str, full_name: str, *, coach: User | None, **membership: object) -> User:
    user = _person(email, full_name)
    Membership.objects.create(user=user, coach=coach, **membership)
    return user


def _application(owner: User, stage: str, *, days_ago: int, applied_days_ago: int | None = None, **fields):
    """An application whose latest step (and, unless told, its recording and applying) was `days_ago` days ago."""
    at = timezone.now() - timedelta(days=days_ago)
    applied_at = timezone.now() - timedelta(days=applied_days_ago if applied_days_ago is not None else days_ago)
    application = ApplicationFactory(
        owner=owner, stage=stage, stage_changed_at=at, applied_at=None if stage == Stage.SAVED else applied_at, **fields
    )
    Application.objects.filter(pk=application.pk).update(created_at=applied_at)  # created_at is auto_now_add
    return application


@pytest.fixture
def people(cast):
    with schema_context("gamma"):
        OrganisationSettings.current()  # the singleton row, as every organisation has it after its first page
        admin = _person("ines.admin@gamma.example", "Ines Álvarez", User.Role.ADMINISTRATOR)
        carla = _person("carla.coach@gamma.example", "Carla Moreau", User.Role.COACH)
        olu = _person("olu.coach@gamma.example", "Olu Adeyemi", User.Role.COACH)
        analyst = _person("anna.analyst@gamma.example", "Anna Berg", User.Role.ANALYST)
        spring = Cohort.objects.create(name="Spring 2026 data bootcamp")
        morgan = _member("morgan.reyes@gamma.example", "Morgan Reyes", coach=carla, cohort=spring, share_notes=False)
        priya = _member(
            "priya.nair@gamma.example",
            "Priya Nair",
            coach=carla,
            share_applications=False,
            share_cv=False,
            share_notes=False,
        )
        sam = _member("sam.okafor@gamma.example", "Sam Okafor", coach=carla, share_notes=True)
        lee = _member("lee.chen@gamma.example", "Lee Chen", coach=carla, share_notes=False)
        tomas = _member("tomas.lindqvist@gamma.example", "Tomás Lindqvist", coach=olu, share_notes=True)
        dana = _member(
            "dana.kowalski@gamma.example",
            "Dana Kowalski",
            coach=carla,
            status=Membership.Status.DEACTIVATED,
            deactivated_at=timezone.now(),
        )

        morgan_applied = _application(morgan, Stage.APPLIED, days_ago=3)
        morgan_interview = _application(morgan, Stage.INTERVIEWING, days_ago=5, applied_days_ago=40)
        _application(morgan, Stage.OFFER, days_ago=8, applied_days_ago=50, offer_amount=72000, offer_currency="EUR")
        _application(morgan, Stage.REJECTED, days_ago=60)
        NoteFactory(application=morgan_interview, body="Morganmark: the hiring manager seemed keen.")
        cv = CVDocumentFactory(owner=morgan, parsed={"skills": [{"name": "PostgreSQL"}], "titles": []})
        CVDocument.objects.filter(pk=cv.pk).update(created_at=timezone.now() - timedelta(days=4))

        _application(priya, Stage.APPLIED, days_ago=30)

        for owner in (sam, lee):
            interviewing = _application(owner, Stage.INTERVIEWING, days_ago=20)
            TaskFactory(
                application=interviewing, title="Prepare the case study", due_at=timezone.now() + timedelta(days=3)
            )

        tomas_application = _application(tomas, Stage.SCREENING, days_ago=2)
        NoteFactory(application=tomas_application, body="Tomasmark private thoughts")
    return {
        "admin": admin,
        "carla": carla,
        "olu": olu,
        "analyst": analyst,
        "spring": spring,
        "morgan": morgan,
        "priya": priya,
        "sam": sam,
        "lee": lee,
        "tomas": tomas,
        "dana": dana,
        "morgan_applied": morgan_applied,
        "morgan_interview": morgan_interview,
        "tomas_application": tomas_application,
    }


def _de(text: str) -> str:
    """`text` as gamma's pages show it: in German where the catalogue has it (new strings are not translated yet)."""
    with translation.override("de"):
        return gettext(text)


def _client(email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert login(client, email).status_code == 302
    return client


def _names(viewer: User, filters: MemberFilters | None = None) -> list[str]:
    with schema_context("gamma"):
        page = member_figures.member_page(viewer, filters or MemberFilters())
        return [row.member.full_name for row in page.object_list]


# ---------------------------------------------------------------------------------------------------------------------
# The member list
# ---------------------------------------------------------------------------------------------------------------------
def test_a_coach_lists_only_their_members_and_an_administrator_everyone(people) -> None:
    carlas = {"Morgan Reyes", "Priya Nair", "Sam Okafor", "Lee Chen"}
    assert set(_names(people["carla"])) == carlas
    assert set(_names(people["olu"])) == {"Tomás Lindqvist"}
    assert set(_names(people["admin"])) >= carlas | {"Tomás Lindqvist", "Greta Gamma"}

    page = _client("carla.coach@gamma.example").get("/portal/members/").content.decode()
    assert "Morgan Reyes" in page
    assert "Tomás Lindqvist" not in page
    assert "Dana Kowalski" not in page  # deactivated: only with the status filter
    assert set(_names(people["carla"], MemberFilters(status=member_figures.Status.DEACTIVATED))) == {"Dana Kowalski"}


def test_a_coach_lists_every_member_when_the_organisation_says_so(people) -> None:
    with schema_context("gamma"):
        OrganisationSettings.objects.update_or_create(pk=1, defaults={"coaches_see_all_members": True})
    assert "Tomás Lindqvist" in _names(people["carla"])
    page = _client("carla.coach@gamma.example").get("/portal/members/").content.decode()
    assert "Tomás Lindqvist" in page
    assert 'name="coach"' in page  # a coach who sees everyone can filter by coach


def test_it_counts_stages_and_raises_flags_by_the_stated_rules(people) -> None:
    with schema_context("gamma"):
        rows = {row.member.full_name: row for row in member_figures.member_page(people["carla"]).object_list}
        deactivated = member_figures.member_summary(people["carla"], people["dana"].pk)

    morgan = rows["Morgan Reyes"]
    assert morgan.counts == {"applied": 1, "screening": 0, "interviewing": 1, "offer": 1, "accepted": 0, "closed": 1}
    assert morgan.flags == [Flag.INTERVIEW, Flag.OFFER]  # applied 3 days ago: not quiet
    assert rows["Priya Nair"].flags == [Flag.QUIET]  # applied 30 days ago
    assert rows["Priya Nair"].counts["applied"] == 1
    assert rows["Sam Okafor"].flags == [Flag.QUIET, Flag.INTERVIEW]  # by the task due in 3 days, notes shared
    assert rows["Lee Chen"].flags == [Flag.QUIET]  # the same task, but Lee does not share notes
    assert deactivated.flags == []  # no application at all, but no longer active
    assert deactivated.last_activity_at is None

    assert _names(people["carla"], MemberFilters(flag=Flag.OFFER)) == ["Morgan Reyes"]
    assert set(_names(people["carla"], MemberFilters(flag=Flag.INTERVIEW))) == {"Morgan Reyes", "Sam Okafor"}
    assert set(_names(people["carla"], MemberFilters(flag=Flag.QUIET))) == {"Priya Nair", "Sam Okafor", "Lee Chen"}


def test_it_sorts_by_last_activity_and_filters_by_cohort_and_name(people) -> None:
    with schema_context("gamma"):
        User.objects.filter(pk=people["lee"].pk).update(last_login=timezone.now() - timedelta(hours=1))
    # Lee signed in an hour ago; Morgan applied 3 days ago; Sam and Priya last did something 20 and 30 days ago.
    assert _names(people["carla"]) == ["Lee Chen", "Morgan Reyes", "Sam Okafor", "Priya Nair"]
    assert _names(people["carla"], MemberFilters(sort=member_figures.Sort.QUIET)) == [
        "Priya Nair",
        "Sam Okafor",
        "Morgan Reyes",
        "Lee Chen",
    ]
    assert _names(people["carla"], MemberFilters(cohort=str(people["spring"].pk))) == ["Morgan Reyes"]
    assert _names(people["carla"], MemberFilters(cohort=member_figures.NO_VALUE, q="nair")) == ["Priya Nair"]
    assert _names(people["admin"], MemberFilters(coach=str(people["olu"].pk))) == ["Tomás Lindqvist"]


def test_it_refuses_an_unknown_filter_naming_it(people) -> None:
    client = _client("carla.coach@gamma.example")
    response = client.get("/portal/members/?flag=hired")
    assert response.status_code == 400
    assert "flag" in response.content.decode()
    assert client.get("/portal/members/?page=two").status_code == 400
    assert client.get("/portal/members/?coach=1").status_code == 200  # no coach filter for Carla: ignored


@pytest.mark.parametrize("extra_members", [0, 27])
def test_the_member_list_costs_a_fixed_number_of_queries(people, django_assert_num_queries, extra_members) -> None:
    """3 members of Olu's (Tomás and two more) or 30: the same statements. The session comes from the cache; then
    the user, the organisation settings (asked for the coach filter, then for the member scope), the cohorts for the
    filter, the page with its figures and count, the page's people with cohort and coach, and the base layout's
    unread notifications."""
    with schema_context("gamma"):
        for number in range(2 + extra_members):
            member = _member(f"olu.member{number}@gamma.example", f"Jordan Ellis {number}", coach=people["olu"])
            _application(member, Stage.INTERVIEWING, days_ago=number % 20)
    client = _client("olu.coach@gamma.example")
    # SET search_path, then six statements (no seeker nav for a coach), then the page view's event
    with django_assert_num_queries(1 + 6 + 1):
        response = client.get("/portal/members/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/portal/members/') == 3 + extra_members


def test_it_pages_fifty_members_at_a_time(people) -> None:
    with schema_context("gamma"):
        for number in range(52):
            _member(f"page.member{number}@gamma.example", f"Rowan Fischer {number:02d}", coach=people["olu"])
    first = _names(people["olu"], MemberFilters(sort=member_figures.Sort.NAME))
    assert len(first) == 50
    response = _client("olu.coach@gamma.example").get("/portal/members/?sort=name&page=9")  # past the end: the last
    page = response.content.decode()
    assert "Tomás Lindqvist" in page  # the 53rd by name
    assert "Rowan Fischer 00" not in page
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page


# ---------------------------------------------------------------------------------------------------------------------
# The member page, within what the member shares
# ---------------------------------------------------------------------------------------------------------------------
def test_the_member_page_shows_what_morgan_shares_and_not_their_notes(people) -> None:
    morgan = people["morgan"]
    client = _client("carla.coach@gamma.example")
    page = client.get(f"/portal/members/{morgan.pk}/").content.decode()

    assert _de("%(name)s shares applications and CV, not notes.") % {"name": "Morgan"} in page
    assert people["morgan_interview"].posting.title in page  # the board
    assert "PostgreSQL" in page  # the CV's skills
    assert _de("Not shared: %(name)s keeps this private.") % {"name": "Morgan"} in page  # their notes
    assert "Morganmark" not in page
    assert client.get(f"/portal/members/{morgan.pk}/applications/").status_code == 200
    application = client.get(f"/portal/members/{morgan.pk}/applications/{people['morgan_interview'].pk}/")
    assert application.status_code == 200
    assert "Morganmark" not in application.content.decode()
    assert _de("Predictions for this application") in application.content.decode()
    assert client.get(f"/portal/members/{morgan.pk}/notes/").status_code == 404


def test_nothing_priya_keeps_private_is_reachable(people) -> None:
    priya = people["priya"]
    client = _client("carla.coach@gamma.example")
    page = client.get(f"/portal/members/{priya.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _de("%(name)s shares nothing: applications, CV and notes are private.") % {"name": "Priya"} in html
    assert html.count(_de("Not shared: %(name)s keeps this private.") % {"name": "Priya"}) == 3
    with schema_context("gamma"):
        application = Application.objects.get(owner=priya)
    assert application.posting.title not in html
    for path in ("applications/", f"applications/{application.pk}/", "cv/file/", "notes/"):
        assert client.get(f"/portal/members/{priya.pk}/{path}").status_code == 404, path


def test_sam_shares_notes_but_not_which_application_they_are_on_without_applications(people) -> None:
    with schema_context("gamma"):
        Membership.objects.filter(user=people["sam"]).update(share_applications=False)
    html = _client("carla.coach@gamma.example").get(f"/portal/members/{people['sam'].pk}/notes/").content.decode()
    assert "Prepare the case study" in html
    with schema_context("gamma"):
        title = Application.objects.get(owner=people["sam"]).posting.title
    assert title not in html


def test_the_coach_sees_the_same_predictions_as_the_member_within_the_contract(people) -> None:
    """The organisation's contract has interview odds, time to hire and the match, not the salary: both pages show
    the same figures and the same locked section, since both ask predictions.application_panel for the member."""
    today = timezone.localdate()
    with schema_context("public"):
        Contract.objects.create(
            tenant=Client.objects.get(schema_name="gamma"),
            seats=50,
            price_per_seat_minor=2500,
            currency="EUR",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=365),
            features=[Feature.TRACKING, Feature.MATCH, Feature.INTERVIEW, Feature.TIME_TO_HIRE],
        )
    morgan, application = people["morgan"], people["morgan_applied"]
    seeker = _client("morgan.reyes@gamma.example").get(f"/app/applications/{application.pk}/").content.decode()
    coached = _client("carla.coach@gamma.example").get(f"/portal/members/{morgan.pk}/applications/{application.pk}/")
    coached = coached.content.decode()

    def panel(html: str) -> str:
        start = html.index('<section class="panel predictions"')
        return html[start : html.index("</section>", start)]

    def figures(html: str) -> list[str]:
        return re.findall(r"<strong>(.*?)</strong>|data-locked-feature=\"([^\"]*)\"", panel(html), flags=re.S)

    assert figures(coached) == figures(seeker)
    assert any(strong for strong, _locked in figures(coached))  # some figure is shown, not only "not available"
    assert [locked for _strong, locked in figures(coached) if locked] == [str(Feature.SALARY_BASIC.label)]
    assert "/app/profile/" not in panel(coached)  # the seeker's own links are not offered to the coach


# ---------------------------------------------------------------------------------------------------------------------
# Who reaches what
# ---------------------------------------------------------------------------------------------------------------------
def _coach_urls(people) -> list[tuple[str, str]]:
    member, application = people["morgan"], people["morgan_interview"]
    with schema_context("gamma"):
        note = CoachNote.objects.create(member=member, author=people["carla"], body="Carla's note")
        task = CoachTask.objects.create(member=member, author=people["carla"], title="Send two applications")
    base = f"/portal/members/{member.pk}"
    return [
        ("get", "/portal/members/"),
        ("get", f"{base}/"),
        ("get", f"{base}/applications/"),
        ("get", f"{base}/applications/{application.pk}/"),
        ("get", f"{base}/cv/file/"),
        ("get", f"{base}/notes/"),
        ("post", f"{base}/coach-notes/"),
        ("get", f"{base}/coach-notes/{note.pk}/edit/"),
        ("post", f"{base}/coach-notes/{note.pk}/delete/"),
        ("post", f"{base}/tasks/"),
        ("post", f"{base}/assign/"),
        ("post", f"/portal/tasks/{task.pk}/done/"),
    ]


@pytest.mark.parametrize("email", ["anna.analyst@gamma.example", "priya.nair@gamma.example"])
def test_an_analyst_and_a_member_get_404_on_every_coach_url(people, email) -> None:
    client = _client(email)
    for method, url in _coach_urls(people):
        data = {"body": "x", "title": "x", "coach": "", "cohort": ""}
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, url
    with schema_context("gamma"):
        assert CoachNote.objects.filter(member=people["morgan"]).count() == 1
        assert not CoachTask.objects.filter(done_at__isnull=False).exists()
        assert Membership.objects.get(user=people["morgan"]).coach == people["carla"]


def test_a_coach_cannot_reach_an_unassigned_member(people) -> None:
    tomas, application = people["tomas"], people["tomas_application"]
    client = _client("carla.coach@gamma.example")
    base = f"/portal/members/{tomas.pk}"
    for url in (f"{base}/", f"{base}/applications/", f"{base}/applications/{application.pk}/", f"{base}/notes/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Tomasmark" not in response.content.decode()
    assert client.post(f"{base}/coach-notes/", {"body": "Sneaky"}).status_code == 404
    assert client.post(f"{base}/tasks/", {"title": "Sneaky"}).status_code == 404
    with schema_context("gamma"):
        assert not CoachNote.objects.filter(member=tomas).exists()
        assert not CoachTask.objects.filter(member=tomas).exists()
    # Morgan's application is not reachable through Morgan's page under another member's id either.
    morgan_app = people["morgan_interview"].pk
    assert client.get(f"/portal/members/{people['sam'].pk}/applications/{morgan_app}/").status_code == 404


def test_no_one_reaches_a_member_of_another_tenant(people, client_a, cast) -> None:
    with schema_context("alpha"):
        alpha_member = _member("ana.souza@alpha.example", "Ana Souza", coach=None)
    with schema_context("gamma"):
        assert not User.objects.filter(pk=alpha_member.pk, role=User.Role.MEMBER).exists()
    admin = _client("ines.admin@gamma.example")
    assert admin.get(f"/portal/members/{alpha_member.pk}/").status_code == 404
    login(client_a, cast.owner_email)
    assert client_a.get("/portal/members/").status_code == 404
    assert client_a.get(f"/portal/members/{alpha_member.pk}/").status_code == 404
    assert client_a.get(f"/portal/members/{people['morgan'].pk}/").status_code == 404  # gamma's id on alpha's host


# ---------------------------------------------------------------------------------------------------------------------
# Coach notes, tasks and assignment
# ---------------------------------------------------------------------------------------------------------------------
def test_coach_notes_are_kept_from_the_member(people) -> None:
    morgan = people["morgan"]
    carla = _client("carla.coach@gamma.example")
    response = carla.post(f"/portal/members/{morgan.pk}/coach-notes/", {"body": "Coachmark: nervous about salary"})
    assert response.status_code == 302
    assert "Coachmark" in carla.get(f"/portal/members/{morgan.pk}/").content.decode()
    assert "Coachmark" in _client("ines.admin@gamma.example").get(f"/portal/members/{morgan.pk}/").content.decode()

    member = _client("morgan.reyes@gamma.example")
    for url in ("/portal/", "/app/", f"/app/applications/{people['morgan_interview'].pk}/"):
        response = member.get(url)
        assert response.status_code == 200, url
        assert "Coachmark" not in response.content.decode(), url
    assert member.get(f"/portal/members/{morgan.pk}/").status_code == 404


def test_a_coach_edits_and_deletes_only_their_own_notes(people) -> None:
    morgan = people["morgan"]
    with schema_context("gamma"):
        OrganisationSettings.objects.update_or_create(pk=1, defaults={"coaches_see_all_members": True})
        carlas = CoachNote.objects.create(member=morgan, author=people["carla"], body="First impression")
    olu = _client("olu.coach@gamma.example")
    assert olu.get(f"/portal/members/{morgan.pk}/coach-notes/{carlas.pk}/edit/").status_code == 404
    assert olu.post(f"/portal/members/{morgan.pk}/coach-notes/{carlas.pk}/delete/").status_code == 404

    carla = _client("carla.coach@gamma.example")
    empty = carla.post(f"/portal/members/{morgan.pk}/coach-notes/{carlas.pk}/edit/", {"body": "   "})
    assert empty.status_code == 400
    edited = carla.post(f"/portal/members/{morgan.pk}/coach-notes/{carlas.pk}/edit/", {"body": "Second thoughts"})
    assert edited.status_code == 302
    with schema_context("gamma"):
        assert CoachNote.objects.get(pk=carlas.pk).body == "Second thoughts"
    assert carla.post(f"/portal/members/{morgan.pk}/coach-notes/{carlas.pk}/delete/").status_code == 302
    with schema_context("gamma"):
        assert not CoachNote.objects.filter(pk=carlas.pk).exists()


def test_the_member_ticks_off_a_task_their_coach_set(people) -> None:
    morgan = people["morgan"]
    carla = _client("carla.coach@gamma.example")
    due = timezone.localdate() + timedelta(days=5)
    response = carla.post(f"/portal/members/{morgan.pk}/tasks/", {"title": "Apply to three roles", "due_on": due})
    assert response.status_code == 302
    in_the_past = carla.post(
        f"/portal/members/{morgan.pk}/tasks/", {"title": "Too late", "due_on": timezone.localdate() - timedelta(days=1)}
    )
    assert in_the_past.status_code == 400
    with schema_context("gamma"):
        task = CoachTask.objects.get(member=morgan)
        assert (task.title, task.due_on, task.author) == ("Apply to three roles", due, people["carla"])
        assert [t.pk for t in member_tasks(morgan).open] == [task.pk]

    assert _client("priya.nair@gamma.example").post(f"/portal/tasks/{task.pk}/done/").status_code == 404
    with schema_context("gamma"):
        assert CoachTask.objects.get(pk=task.pk).done_at is None

    response = _client("morgan.reyes@gamma.example").post(f"/portal/tasks/{task.pk}/done/")
    assert (response.status_code, response["Location"]) == (302, "/portal/")
    with schema_context("gamma"):
        assert CoachTask.objects.get(pk=task.pk).done_at is not None
        tasks = member_tasks(morgan)
        assert (tasks.open, [t.pk for t in tasks.done]) == ([], [task.pk])


def test_an_administrator_assigns_a_coach_and_a_cohort(people) -> None:
    priya, olu, spring = people["priya"], people["olu"], people["spring"]
    admin = _client("ines.admin@gamma.example")
    refused = admin.post(f"/portal/members/{priya.pk}/assign/", {"coach": str(people["analyst"].pk), "cohort": ""})
    assert refused.status_code == 400
    with schema_context("gamma"):
        assert Membership.objects.get(user=priya).coach == people["carla"]

    response = admin.post(f"/portal/members/{priya.pk}/assign/", {"coach": str(olu.pk), "cohort": str(spring.pk)})
    assert response.status_code == 302
    with schema_context("gamma"):
        membership = Membership.objects.get(user=priya)
        assert (membership.coach, membership.cohort) == (olu, spring)
    assert "Priya Nair" in _client("olu.coach@gamma.example").get("/portal/members/").content.decode()
    assert "Priya Nair" not in _client("carla.coach@gamma.example").get("/portal/members/").content.decode()
    assert (
        _client("carla.coach@gamma.example").post(f"/portal/members/{people['morgan'].pk}/assign/").status_code == 404
    )


def test_the_programme_page_links_staff_to_the_member_list(people) -> None:
    assert 'href="/portal/members/"' in _client("carla.coach@gamma.example").get("/portal/").content.decode()
    assert 'href="/portal/members/"' not in _client("anna.analyst@gamma.example").get("/portal/").content.decode()
