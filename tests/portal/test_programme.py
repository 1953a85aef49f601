"""Programme tools (issue 13, item 4): board templates applied in bulk, goals with progress computed from what
members track, announcements, and a member's own programme on /portal/. Everything on gamma, the enterprise tenant.

Periods: days, weeks and months in Django's TIME_ZONE (UTC here), weeks starting on Monday. The goal fixture's
"today" is Wednesday 11 March 2026, so the current week is Monday 9 to Sunday 15 March.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from portal.audience import Audience, audience_members
from portal.goals import GoalFields, goal_enrol, goal_report, goal_save, member_goals
from portal.models import (
    Announcement,
    AnnouncementRead,
    BoardTemplate,
    CoachTask,
    Cohort,
    Goal,
    GoalCheckIn,
    GoalEnrolment,
    Membership,
    TemplateAssignment,
)
from portal.templates_service import TemplateFields, default_tasks_parse, template_apply, template_save
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tests.tracking.factories import ApplicationFactory
from tracking.models import CandidateProfile, Stage
from tracking.selectors import board_for

pytestmark = pytest.mark.django_db

Role = User.Role
WEDNESDAY = date(2026, 3, 11)


def _person(email: str, full_name: str, role: str) -> User:
    """Someone who chose English on the German portal, so that the pages' own words can be compared as written."""
    user, _created = user_ensure(email=email, password=PASSWORD, full_name=full_name, role=role)
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _member(email: str, full_name: str, *, cohort: Cohort | None, coach: User | None, active: bool = True) -> User:
    user = _person(email, full_name, Role.MEMBER)
    Membership.objects.create(
        user=user,
        cohort=cohort,
        coach=coach,
        status=Membership.Status.ACTIVE if active else Membership.Status.DEACTIVATED,
    )
    return user


@dataclass
class Org:
    admin: User
    coach: User
    other_coach: User
    analyst: User
    spring: Cohort
    autumn: Cohort
    aylin: User  # spring, coached by Karim
    jonas: User  # spring, coached by Olga
    priya: User  # autumn, coached by Karim
    lena: User  # spring, deactivated


@pytest.fixture
def org(cast) -> Org:
    with schema_context("gamma"):
        admin = _person("ines.hartmann@gamma.example", "Ines Hartmann", Role.ADMINISTRATOR)
        coach = _person("karim.benali@gamma.example", "Karim Benali", Role.COACH)
        other_coach = _person("olga.nowak@gamma.example", "Olga Nowak", Role.COACH)
        analyst = _person("anna.lindqvist@gamma.example", "Anna Lindqvist", Role.ANALYST)
        spring = Cohort.objects.create(name="Data analytics, spring 2026", kind=Cohort.Kind.PROGRAMME)
        autumn = Cohort.objects.create(name="Outplacement, autumn 2025")
        org = Org(
            admin=admin,
            coach=coach,
            other_coach=other_coach,
            analyst=analyst,
            spring=spring,
            autumn=autumn,
            aylin=_member("aylin.demir@gamma.example", "Aylin Demir", cohort=spring, coach=coach),
            jonas=_member("jonas.weber@gamma.example", "Jonas Weber", cohort=spring, coach=other_coach),
            priya=_member("priya.natarajan@gamma.example", "Priya Natarajan", cohort=autumn, coach=coach),
            lena=_member("lena.fischer@gamma.example", "Lena Fischer", cohort=spring, coach=coach, active=False),
        )
    return org


def _client(user: User) -> HttpClient:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, user.email)
    return client


def _shown(message: str) -> str:
    """A message as the page shows it: in the person's language (English), escaped."""
    with translation.override("en"):
        return html.escape(gettext(message))


def _template(org: Org, **overrides) -> BoardTemplate:
    fields = {
        "name": "Career changers",
        "description": "For members moving into data roles.",
        "stages": [Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.REJECTED],
        "default_tasks": default_tasks_parse("Update your CV | due in 3 days\nBook a mock interview | 10"),
        "follow_up_after_applied_days": 5,
        "follow_up_after_interview_days": 1,
    } | overrides
    with schema_context("gamma"):
        return template_save(actor=org.admin, fields=TemplateFields(**fields))


# ---------------------------------------------------------------------------------------------------------------------
# Board templates
# ---------------------------------------------------------------------------------------------------------------------
def test_it_refuses_a_template_with_a_bad_task_line_and_names_the_line(org) -> None:
    response = _client(org.admin).post(
        "/portal/templates/new/",
        {
            "name": "Graduates",
            "stages": ["saved", "applied", "interviewing"],
            "default_tasks": "Update your CV | due in 3 days\n\nCall two alumni | soon",
            "follow_up_after_applied_days": 7,
            "follow_up_after_interview_days": 2,
        },
    )

    assert response.status_code == 400
    with translation.override("en"):
        expected = gettext(
            "Line %(line)d (“%(text)s”): after the “|”, write in how many days the task is due, "
            "e.g. “Update your CV | due in 3 days”."
        ) % {"line": 3, "text": "Call two alumni | soon"}
    assert html.escape(expected) in response.content.decode()
    with schema_context("gamma"):
        assert not BoardTemplate.objects.exists()


def test_it_reads_task_lines_and_reports_every_bad_one() -> None:
    assert default_tasks_parse("Update your CV | due in 3 days\nJoin the alumni group\n  Call a recruiter | 0 ") == [
        {"title": "Update your CV", "due_in_days": 3},
        {"title": "Join the alumni group", "due_in_days": None},
        {"title": "Call a recruiter", "due_in_days": 0},
    ]
    with pytest.raises(Exception) as refused:  # noqa: PT011 - the messages are what is checked
        default_tasks_parse("| 3\nWrite a cover letter | -2\nWrite a cover letter\nwrite a cover letter\nX | 400")
    assert refused.value.messages == [
        "Line 1: the task has no title before the “|”.",
        "Line 2 (“Write a cover letter | -2”): after the “|”, write in how many days the task is due, "
        "e.g. “Update your CV | due in 3 days”.",
        "Line 4: “write a cover letter” is already a task of this template.",
        "Line 5: a task can be due in at most 365 days.",
    ]


def test_it_refuses_a_template_without_saved_or_applied(org) -> None:
    response = _client(org.admin).post(
        "/portal/templates/new/",
        {
            "name": "Interview ready",
            "stages": ["interviewing", "offer"],
            "default_tasks": "",
            "follow_up_after_applied_days": 7,
            "follow_up_after_interview_days": 2,
        },
    )

    assert response.status_code == 400
    assert "always stay on the board" in response.content.decode()
    with schema_context("gamma"):
        assert not BoardTemplate.objects.exists()


def test_it_creates_a_template_with_its_stages_in_stage_order(org) -> None:
    response = _client(org.admin).post(
        "/portal/templates/new/",
        {
            "name": "Graduates",
            "description": "First job after university.",
            "stages": ["offer", "applied", "saved", "interviewing"],
            "default_tasks": "Update your CV | due in 3 days\nVisit the careers fair",
            "follow_up_after_applied_days": 10,
            "follow_up_after_interview_days": 3,
        },
    )

    assert response.status_code == 302
    with schema_context("gamma"):
        template = BoardTemplate.objects.get()
    assert template.stages == ["saved", "applied", "interviewing", "offer"]
    assert template.default_tasks == [
        {"title": "Update your CV", "due_in_days": 3},
        {"title": "Visit the careers fair", "due_in_days": None},
    ]
    assert (template.follow_up_after_applied_days, template.follow_up_after_interview_days) == (10, 3)
    assert template.created_by == org.admin
    edit = _client(org.admin).get(f"/portal/templates/{template.pk}/").content.decode()
    assert "Update your CV | due in 3 days\nVisit the careers fair" in edit


def test_it_applies_a_template_to_a_cohort(org) -> None:
    template = _template(org)
    with schema_context("gamma"):
        CandidateProfile.objects.create(user=org.aylin, headline="Analyst moving into data engineering")
    client = _client(org.admin)

    response = client.post(
        f"/portal/templates/{template.pk}/apply/", {"audience": "cohort", "cohort": org.spring.pk}, follow=True
    )

    assert response.status_code == 200
    with translation.override("en"):
        summary = gettext("Applied “%(template)s” to %(count)d members.") % {"template": "Career changers", "count": 2}
    assert html.escape(summary) in response.content.decode()
    today = timezone.localdate()
    with schema_context("gamma"):
        # The spring cohort's active members: Aylin and Jonas; not Lena (deactivated), not Priya (autumn).
        assert set(TemplateAssignment.objects.values_list("member_id", "template_id")) == {
            (org.aylin.pk, template.pk),
            (org.jonas.pk, template.pk),
        }
        assert set(CoachTask.objects.values_list("member_id", "title", "due_on", "template_id", "author_id")) == {
            (member.pk, title, today + timedelta(days=days), template.pk, org.admin.pk)
            for member in (org.aylin, org.jonas)
            for title, days in (("Update your CV", 3), ("Book a mock interview", 10))
        }
        profiles = {profile.user_id: profile for profile in CandidateProfile.objects.all()}
        assert set(profiles) == {org.aylin.pk, org.jonas.pk}  # Jonas's was created
        for member in (org.aylin, org.jonas):
            profile = profiles[member.pk]
            assert (profile.follow_up_after_applied_days, profile.follow_up_after_interview_days) == (5, 1)
            assert profile.board_stages == ["saved", "applied", "interviewing", "offer", "accepted", "rejected"]
        assert profiles[org.aylin.pk].headline == "Analyst moving into data engineering"  # the rest kept
        assert profiles[org.jonas.pk].task_reminder_hours_before == 24  # created with the defaults


def test_applying_twice_creates_no_duplicate_tasks_and_the_latest_template_wins(org) -> None:
    first = _template(org)
    second = _template(
        org, name="Back to work", default_tasks=default_tasks_parse("Update your CV | 1\nJoin the alumni group")
    )
    with schema_context("gamma"):
        spring = audience_members(actor=org.admin, audience=Audience.COHORT, cohort=org.spring)
        once = template_apply(actor=org.admin, template=first, members=spring)
        twice = template_apply(actor=org.admin, template=first, members=spring)
        assert (once.members, once.tasks_created, once.tasks_already_there) == (2, 4, 0)
        assert (twice.members, twice.tasks_created, twice.tasks_already_there) == (2, 0, 4)
        assert CoachTask.objects.filter(template=first).count() == 4

        # The same title from another template is another task; the member now follows the second template.
        template_apply(actor=org.admin, template=second, members=spring)
        assert CoachTask.objects.filter(member=org.aylin, title="Update your CV").count() == 2
        assert CoachTask.objects.get(member=org.aylin, title="Join the alumni group").due_on is None
        assert TemplateAssignment.objects.get(member=org.aylin).template == second
        assert TemplateAssignment.objects.count() == 2


def _apply_queries(org: Org, template: BoardTemplate, cohort: Cohort) -> int:
    with schema_context("gamma"):
        members = audience_members(actor=org.admin, audience=Audience.COHORT, cohort=cohort)
        with CaptureQueriesContext(connection) as queries:
            summary = template_apply(actor=org.admin, template=template, members=members)
        assert summary.members == cohort.memberships.count()
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith("SET search_path"))


def test_it_applies_a_template_in_the_same_number_of_queries_for_5_and_50_members(org) -> None:
    template = _template(org)
    with schema_context("gamma"):
        small = Cohort.objects.create(name="Evening class")
        large = Cohort.objects.create(name="Bootcamp, summer 2026")
        first_names = ["Mara", "Tobias", "Selin", "Emeka", "Hanna", "Luca", "Zofia", "Ravi", "Ines", "Malte"]
        last_names = ["Keller", "Okafor", "Yilmaz", "Santos", "Berg", "Moreau"]
        for number in range(55):
            first, last = first_names[number % 10], last_names[number // 10]
            email = f"{first.lower()}.{last.lower()}@gamma.example"
            member = _member(email, f"{first} {last}", cohort=small if number < 5 else large, coach=None)
            if number % 2:  # half of them have a profile already
                CandidateProfile.objects.create(user=member)

    five = _apply_queries(org, template, small)
    fifty = _apply_queries(org, template, large)

    # savepoint, the template locked, the members (with whether they have an assignment and a profile), the new
    # assignments, the missing tasks (one INSERT ... SELECT), the existing profiles updated, the missing ones
    # created, savepoint released; and twice the tenant's kind, which schema_context() does not carry (a request's
    # tenant does).
    assert five == fifty == 10
    with schema_context("gamma"):
        assert CoachTask.objects.filter(template=template).count() == 55 * 2


def test_the_board_shows_only_the_template_stages_and_keeps_the_others_reachable(org) -> None:
    template = _template(org)
    with schema_context("gamma"):
        ApplicationFactory(owner=org.aylin, stage=Stage.APPLIED, posting__title="Junior Data Analyst")
        ApplicationFactory(owner=org.aylin, stage=Stage.SCREENING, posting__title="BI Developer")
        ApplicationFactory(owner=org.aylin, stage=Stage.WITHDRAWN, posting__title="Reporting Specialist")
        template_apply(actor=org.admin, template=template, members=User.objects.filter(pk=org.aylin.pk))

        board = board_for(user=org.aylin)
        assert [column.stage for column in board.columns] == ["saved", "applied", "interviewing", "offer"]
        assert [column.stage for column in board.closed] == ["accepted", "rejected"]
        assert [column.stage for column in board.other] == ["screening", "withdrawn"]
        assert board.total == 3
        everything = board_for(user=org.jonas)  # no template: every stage
        assert [column.stage for column in everything.columns] == list(
            ("saved", "applied", "screening", "interviewing", "offer")
        )

    page = _client(org.aylin).get("/app/").content.decode()
    columns, rest = page.split('class="closed-group other-stages')
    assert 'id="col-screening"' not in columns
    assert "Junior Data Analyst" in columns
    assert "BI Developer" in rest
    assert "Reporting Specialist" in rest
    assert 'href="/app/applications/' in rest  # each card still opens its application
    shown = _client(org.aylin).get("/app/?show=screening").content.decode()
    assert 'class="closed-group other-stages panel" open' in shown


def test_deleting_a_template_gives_its_members_every_stage_back(org) -> None:
    template = _template(org)
    with schema_context("gamma"):
        template_apply(actor=org.admin, template=template, members=User.objects.filter(pk=org.aylin.pk))

    response = _client(org.admin).post(f"/portal/templates/{template.pk}/delete/")

    assert response.status_code == 302
    with schema_context("gamma"):
        assert not BoardTemplate.objects.exists()
        assert CandidateProfile.objects.get(user=org.aylin).board_stages == []
        assert CoachTask.objects.filter(member=org.aylin).count() == 2  # the tasks are the member's


# ---------------------------------------------------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------------------------------------------------
def _at(day: int, hour: int = 12, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _goal(org: Org, title: str, metric: str, target: int, period: str, starts_on: date, ends_on=None) -> Goal:
    fields = GoalFields(
        title=title, metric=metric, target=target, period=period, starts_on=starts_on, ends_on=ends_on, cohort=None
    )
    goal, _enrolled = goal_save(actor=org.admin, fields=fields)
    goal_enrol(actor=org.admin, goal=goal, members=User.objects.filter(pk__in=[org.aylin.pk, org.jonas.pk]))
    return goal


def test_goal_progress_matches_hand_computed_values_for_each_period(org) -> None:
    with schema_context("gamma"):
        # Aylin's applications: Sunday 23:59 is last week; Monday 00:00 opens this one; February is last month.
        for moment in (_at(8, 23, 59), _at(9, 0, 0), _at(10), _at(11, 18), _at(28, month=2)):
            ApplicationFactory(owner=org.aylin, stage=Stage.APPLIED, stage_changed_at=moment, applied_at=moment)
        ApplicationFactory(owner=org.jonas, stage=Stage.APPLIED, stage_changed_at=_at(6), applied_at=_at(6))
        # Interviews: moves to Interviewing on 27 Feb (before the goal), 5 and 10 March.
        for moment in (_at(27, month=2), _at(5), _at(10)):
            ApplicationFactory(owner=org.aylin, stage=Stage.INTERVIEWING, stage_changed_at=moment)
        for title, done_at in (
            ("Update your CV", _at(8, 22)),
            ("Mock interview", _at(9, 8)),
            ("Alumni call", _at(11, 9)),
        ):
            CoachTask.objects.create(member=org.aylin, title=title, done_at=done_at)
        CoachTask.objects.create(member=org.aylin, title="Portfolio review")  # open: never counts

        weekly = _goal(org, "5 applications a week", Goal.Metric.APPLICATIONS, 5, Goal.Period.WEEK, date(2026, 3, 2))
        monthly = _goal(
            org, "12 applications a month", Goal.Metric.APPLICATIONS, 12, Goal.Period.MONTH, date(2026, 1, 1)
        )
        interviews = _goal(
            org,
            "3 interviews in March",
            Goal.Metric.INTERVIEWS,
            3,
            Goal.Period.TOTAL,
            date(2026, 3, 1),
            date(2026, 3, 31),
        )
        tasks = _goal(org, "4 tasks a week", Goal.Metric.TASKS, 4, Goal.Period.WEEK, date(2026, 3, 1))
        informational = _goal(
            org, "2 informational interviews a month", Goal.Metric.INFORMATIONAL, 2, Goal.Period.MONTH, date(2026, 2, 1)
        )
        enrolment = GoalEnrolment.objects.get(goal=informational, member=org.aylin)
        for day in (date(2026, 2, 25), date(2026, 3, 2), date(2026, 3, 11)):
            GoalCheckIn.objects.create(enrolment=enrolment, occurred_on=day, note="Coffee with a data lead")

        def progress(goal: Goal) -> dict[str, tuple[int, int, bool]]:
            report = goal_report(goal=goal, viewer=org.admin, today=WEDNESDAY)
            return {
                row.member.full_name: (row.progress.count, row.progress.expected, row.progress.on_track)
                for row in report.rows
            }

        # Week of 9-15 March, 3 of its 7 days gone: 5 x 3/7 -> 3 expected.
        assert progress(weekly) == {"Aylin Demir": (3, 3, True), "Jonas Weber": (0, 3, False)}
        weekly_report = goal_report(goal=weekly, viewer=org.admin, today=WEDNESDAY)
        assert (weekly_report.window.start, weekly_report.window.end) == (date(2026, 3, 9), date(2026, 3, 16))
        assert (weekly_report.on_track_count, weekly_report.on_track_percent) == (1, 50)
        # March, 11 of 31 days gone: 12 x 11/31 -> 5 expected; Aylin has 4 (8, 9, 10, 11 March).
        assert progress(monthly) == {"Aylin Demir": (4, 5, False), "Jonas Weber": (1, 5, False)}
        # 1-31 March in total, 11 of 31 days: 3 x 11/31 -> 2 expected; 5 and 10 March count.
        assert progress(interviews) == {"Aylin Demir": (2, 2, True), "Jonas Weber": (0, 2, False)}
        # This week: done on 9 and 11 March (8 March is last week); 4 x 3/7 -> 2.
        assert progress(tasks) == {"Aylin Demir": (2, 2, True), "Jonas Weber": (0, 2, False)}
        # March's check-ins: 2 and 11 March.
        assert progress(informational) == {"Aylin Demir": (2, 1, True), "Jonas Weber": (0, 1, False)}

        # The member's own view: the same counts.
        mine = {item.goal.title: item.progress.count for item in member_goals(org.aylin, today=WEDNESDAY)}
        assert mine == {
            "12 applications a month": 4,
            "2 informational interviews a month": 2,
            "5 applications a week": 3,
            "4 tasks a week": 2,
            "3 interviews in March": 2,
        }
        # Monday 16 March: a new week, nothing yet.
        assert goal_report(goal=weekly, viewer=org.admin, today=date(2026, 3, 16)).rows[0].progress.count == 0


def test_the_goal_page_shows_only_members_the_viewer_reaches_in_a_fixed_number_of_queries(org) -> None:
    with schema_context("gamma"):
        goal = _goal(org, "10 applications a week", Goal.Metric.APPLICATIONS, 10, Goal.Period.WEEK, date(2026, 1, 5))

    def page_queries(client: HttpClient) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/portal/goals/{goal.pk}/")
        assert response.status_code == 200
        return response.content.decode(), sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET "))

    coach_page, _count = page_queries(_client(org.coach))
    assert f'id="progress-{org.aylin.pk}"' in coach_page
    assert f'id="progress-{org.jonas.pk}"' not in coach_page  # Olga's member

    admin = _client(org.admin)
    _page, two = page_queries(admin)
    with schema_context("gamma"):
        more = [
            _member(f"{name.split()[0].lower()}@gamma.example", name, cohort=org.autumn, coach=org.coach)
            for name in ("Sofia Marquez", "Daniel Osei", "Mei Chen", "Tomasz Zielinski")
        ]
        goal_enrol(actor=org.admin, goal=goal, members=User.objects.filter(pk__in=[m.pk for m in more]))
    page, six = page_queries(admin)
    assert len(re.findall(r'id="progress-\d+"', page)) == 6
    # the user, the goal, the enrolled members, their counts, the nav's unread count, the cohorts and the members
    # to enrol (the enrol form), and the search path's SETs left out: the same for 2 members or 6.
    assert two == six == 6  # no seeker nav for programme staff


def test_a_coach_only_enrols_members_they_reach(org) -> None:
    with schema_context("gamma"):
        goal, _enrolled = goal_save(
            actor=org.admin,
            fields=GoalFields(
                title="3 informational interviews",
                metric=Goal.Metric.INFORMATIONAL,
                target=3,
                period=Goal.Period.TOTAL,
                starts_on=date(2026, 3, 1),
                ends_on=None,
                cohort=None,
            ),
        )
    coach = _client(org.coach)

    refused = coach.post(f"/portal/goals/{goal.pk}/enrol/", {"audience": "selected", "members": [org.jonas.pk]})
    assert refused.status_code == 400
    assert "Jonas" not in refused.content.decode()
    with schema_context("gamma"):
        assert not GoalEnrolment.objects.exists()

    coach.post(f"/portal/goals/{goal.pk}/enrol/", {"audience": "all"})
    coach.post(f"/portal/goals/{goal.pk}/enrol/", {"audience": "cohort", "cohort": org.spring.pk})
    with schema_context("gamma"):
        # Karim's active members: Aylin and Priya; never Jonas (Olga's) nor Lena (deactivated).
        assert set(GoalEnrolment.objects.values_list("member_id", flat=True)) == {org.aylin.pk, org.priya.pk}
        template = _template(org)
        template_apply(actor=org.coach, template=template, members=User.objects.filter(role=Role.MEMBER))
        assert set(TemplateAssignment.objects.values_list("member_id", flat=True)) == {org.aylin.pk, org.priya.pk}


def test_a_new_goal_for_a_cohort_enrols_its_active_members(org) -> None:
    client = _client(org.admin)
    goal = {
        "title": "10 applications a week",
        "metric": "applications",
        "target": 10,
        "period": "week",
        "starts_on": "2026-03-02",
        "cohort": org.spring.pk,
    }

    refused = client.post("/portal/goals/new/", goal | {"ends_on": "2026-02-01"})
    assert refused.status_code == 400
    assert _shown("The goal cannot end before it starts.") in refused.content.decode()
    with schema_context("gamma"):
        assert not Goal.objects.exists()

    assert client.post("/portal/goals/new/", goal).status_code == 302
    with schema_context("gamma"):
        created = Goal.objects.get()
        assert set(created.enrolments.values_list("member_id", flat=True)) == {org.aylin.pk, org.jonas.pk}


def test_a_member_records_an_informational_interview(org) -> None:
    with schema_context("gamma"):
        goal = _goal(
            org, "3 informational interviews", Goal.Metric.INFORMATIONAL, 3, Goal.Period.TOTAL, date(2026, 1, 1)
        )
        mine = GoalEnrolment.objects.get(goal=goal, member=org.aylin)
        theirs = GoalEnrolment.objects.get(goal=goal, member=org.jonas)
        applications = _goal(
            org, "5 applications a week", Goal.Metric.APPLICATIONS, 5, Goal.Period.WEEK, date(2026, 1, 5)
        )
        not_informational = GoalEnrolment.objects.get(goal=applications, member=org.aylin)
    client = _client(org.aylin)
    home = client.get("/portal/").content.decode()
    assert f'action="/portal/my/goals/{mine.pk}/check-in/"' in home
    assert f'action="/portal/my/goals/{not_informational.pk}/check-in/"' not in home

    today = timezone.localdate()
    done = client.post(
        f"/portal/my/goals/{mine.pk}/check-in/", {"occurred_on": today.isoformat(), "note": "Coffee with a BI lead"}
    )
    future = client.post(
        f"/portal/my/goals/{mine.pk}/check-in/", {"occurred_on": (today + timedelta(days=2)).isoformat()}
    )
    other = client.post(f"/portal/my/goals/{theirs.pk}/check-in/", {"occurred_on": today.isoformat()})
    wrong_goal = client.post(f"/portal/my/goals/{not_informational.pk}/check-in/", {"occurred_on": today.isoformat()})

    assert (done.status_code, future.status_code, other.status_code, wrong_goal.status_code) == (302, 302, 404, 404)
    with schema_context("gamma"):
        assert list(GoalCheckIn.objects.values_list("enrolment_id", "occurred_on", "note")) == [
            (mine.pk, today, "Coffee with a BI lead")
        ]
    page = client.get("/portal/").content.decode()
    assert _shown("The date cannot be in the future.") in page
    assert "1 / 3" in page


# ---------------------------------------------------------------------------------------------------------------------
# Announcements and the member's programme
# ---------------------------------------------------------------------------------------------------------------------
def test_members_see_announcements_for_everyone_and_their_cohort_only(org) -> None:
    admin = _client(org.admin)
    admin.post(
        "/portal/announcements/",
        {"title": "Careers fair on 14 April", "body": "Bring printed CVs.\nStands open at 10:00.", "cohort": ""},
    )
    admin.post(
        "/portal/announcements/",
        {"title": "SQL workshop moved to Thursday", "body": "Same room, 17:00.", "cohort": org.spring.pk},
    )
    assert admin.post("/portal/announcements/", {"title": "", "body": "", "cohort": ""}).status_code == 400
    with schema_context("gamma"):
        assert Announcement.objects.count() == 2

    aylin = _client(org.aylin).get("/portal/").content.decode()
    priya = _client(org.priya).get("/portal/").content.decode()
    assert "Careers fair on 14 April" in aylin
    assert "SQL workshop moved to Thursday" in aylin
    assert "Careers fair on 14 April" in priya
    assert "SQL workshop moved to Thursday" not in priya
    assert aylin.count('<span class="badge warn">new</span>') == 2  # the first showing marks them read
    again = _client(org.aylin).get("/portal/").content.decode()
    assert '<span class="badge warn">new</span>' not in again
    with schema_context("gamma"):
        assert AnnouncementRead.objects.filter(member=org.aylin).count() == 2
        assert AnnouncementRead.objects.filter(member=org.priya).count() == 1


def test_a_member_ticks_off_their_own_tasks_only(org) -> None:
    with schema_context("gamma"):
        mine = CoachTask.objects.create(member=org.aylin, author=org.coach, title="Send the CV to two recruiters")
        theirs = CoachTask.objects.create(member=org.jonas, author=org.other_coach, title="Rewrite the summary")
    client = _client(org.aylin)
    assert "Send the CV to two recruiters" in client.get("/portal/").content.decode()

    assert client.post(f"/portal/my/tasks/{mine.pk}/done/", {"done": "on"}).status_code == 302
    assert client.post(f"/portal/my/tasks/{theirs.pk}/done/", {"done": "on"}).status_code == 404
    assert _client(org.coach).post(f"/portal/my/tasks/{mine.pk}/done/", {}).status_code == 404

    with schema_context("gamma"):
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert mine.done_at is not None
    assert theirs.done_at is None
    client.post(f"/portal/my/tasks/{mine.pk}/done/", {})
    with schema_context("gamma"):
        mine.refresh_from_db()
    assert mine.done_at is None


# ---------------------------------------------------------------------------------------------------------------------
# Who reaches the programme pages
# ---------------------------------------------------------------------------------------------------------------------
def test_analysts_and_members_get_404_on_every_programme_page(org) -> None:
    template = _template(org)
    with schema_context("gamma"):
        goal = _goal(org, "5 applications a week", Goal.Metric.APPLICATIONS, 5, Goal.Period.WEEK, date(2026, 1, 5))
        announcement = Announcement.objects.create(title="Welcome", body="Glad you are here.", author=org.admin)
    urls = [
        ("get", "/portal/templates/"),
        ("get", "/portal/templates/new/"),
        ("post", "/portal/templates/new/"),
        ("get", f"/portal/templates/{template.pk}/"),
        ("post", f"/portal/templates/{template.pk}/"),
        ("post", f"/portal/templates/{template.pk}/delete/"),
        ("get", f"/portal/templates/{template.pk}/apply/"),
        ("post", f"/portal/templates/{template.pk}/apply/"),
        ("get", "/portal/goals/"),
        ("get", "/portal/goals/new/"),
        ("post", "/portal/goals/new/"),
        ("get", f"/portal/goals/{goal.pk}/"),
        ("get", f"/portal/goals/{goal.pk}/edit/"),
        ("post", f"/portal/goals/{goal.pk}/edit/"),
        ("post", f"/portal/goals/{goal.pk}/delete/"),
        ("post", f"/portal/goals/{goal.pk}/enrol/"),
        ("get", "/portal/announcements/"),
        ("post", "/portal/announcements/"),
        ("post", f"/portal/announcements/{announcement.pk}/delete/"),
    ]
    data = {"audience": "all", "name": "Hijack", "title": "Hijack", "body": "x", "stages": ["saved", "applied"]}
    for person in (org.analyst, org.aylin):
        client = _client(person)
        for method, url in urls:
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            assert response.status_code == 404, (person.email, method, url)
    with schema_context("gamma"):
        assert BoardTemplate.objects.count() == 1
        assert not TemplateAssignment.objects.exists()
        assert Goal.objects.count() == 1
        assert GoalEnrolment.objects.count() == 2
        assert Announcement.objects.count() == 1
    # Staff of the consumer site's tenants have no programme: a consumer host is a 404 too.
    consumer = HttpClient(HTTP_HOST="alpha.localhost")
    login(consumer, "owner@alpha.example")
    assert consumer.get("/portal/templates/").status_code == 404


def test_staff_pages_link_from_the_portal_home_for_administrators_and_coaches_only(org) -> None:
    for person, sees in ((org.admin, True), (org.coach, True), (org.analyst, False), (org.aylin, False)):
        page = _client(person).get("/portal/").content.decode()
        assert ('href="/portal/templates/"' in page) is sees, person.email
        assert ('href="/portal/goals/"' in page) is sees, person.email
