"""The seeker's pages under /app/: the board, an application's page and what is added to it, new postings.

CV and reminder pages are in test_views_cv.py and test_views_reminders.py; every object URL's refusal to another
user is in test_views_isolation.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tracking.models import Application, ApplicationEvent, Contact, JobPosting, Note, Reminder, Stage, Task
from tracking.services import application_create, application_move, posting_create, task_add

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_application(owner, *, title: str = "Data Engineer", stage: str = Stage.APPLIED, days_ago: int = 3, **posting):
    """An application created ``days_ago`` days ago; a later stage is reached by a move at the same moment."""
    with schema_context("alpha"):
        values = {"owner": owner, "title": title, "company": "Acme", "location": "Berlin"} | posting
        at = timezone.now() - timedelta(days=days_ago)
        first = stage if stage in (Stage.SAVED, Stage.APPLIED) else Stage.APPLIED
        application = application_create(owner=owner, posting=posting_create(**values), stage=first, at=at)
        if stage != first:
            application_move(application=application, to_stage=stage, by=owner, at=at)
            application.refresh_from_db()
        return application


@pytest.fixture
def nav_count(settings) -> None:
    """The unread-notifications count in the nav, whether or not settings lists its context processor yet."""
    template = settings.TEMPLATES[0]
    processors = template["OPTIONS"]["context_processors"]
    if "tracking.context_processors.notifications" not in processors:
        options = template["OPTIONS"] | {
            "context_processors": [*processors, "tracking.context_processors.notifications"]
        }
        settings.TEMPLATES = [template | {"OPTIONS": options}]


def stage_of(application: Application) -> str:
    with schema_context("alpha"):
        return Application.objects.get(pk=application.pk).stage


# ---------------------------------------------------------------------------------------------------------------------
# Board
# ---------------------------------------------------------------------------------------------------------------------
def test_it_shows_the_owner_their_board_with_cards_in_stage_columns(owner, owner_client) -> None:
    make_application(owner, title="Data Engineer", stage=Stage.APPLIED, days_ago=3)
    make_application(owner, title="Analyst", stage=Stage.SAVED, days_ago=0)
    response = owner_client.get("/app/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data Engineer" in page
    assert "Analyst" in page
    assert "3 days in stage" in page
    assert 'id="col-applied"' in page
    assert 'id="col-offer"' in page
    assert "htmx-2.min.js" in page
    applied_column = page.split('id="col-applied"')[1].split('id="col-screening"')[0]
    assert "Data Engineer" in applied_column
    assert "Analyst" not in applied_column


def test_it_offers_only_the_allowed_next_stages_on_a_card(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.SAVED)
    page = owner_client.get("/app/").content.decode()
    select = page.split(f'id="move-{application.pk}-stage"')[1].split("</select>")[0]
    assert 'value="applied"' in select
    assert 'value="withdrawn"' in select
    assert 'value="offer"' not in select


def test_it_groups_closed_applications_with_counts(owner, owner_client) -> None:
    application = make_application(owner, title="Closed job")
    with schema_context("alpha"):
        application_move(application=application, to_stage=Stage.REJECTED, by=owner)
    page = owner_client.get("/app/").content.decode()
    closed = page.split('class="closed-group')[1]
    assert "Closed job" in closed
    assert "Rejected 1" in closed


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/app/").status_code == 200
    # django-tenants sets the search path before each statement; those SETs are not reads.
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith("SET search_path"))


def test_it_reads_the_board_in_the_same_number_of_queries_for_1_and_20_applications(
    owner, owner_client, nav_count
) -> None:
    make_application(owner, title="Job 0")
    one = _board_queries(owner_client)
    for number in range(1, 20):
        make_application(owner, title=f"Job {number}", stage=Stage.INTERVIEWING if number % 2 else Stage.APPLIED)
    twenty = _board_queries(owner_client)
    with schema_context("alpha"):
        assert Application.objects.filter(owner=owner).count() == 20
    # user (the session comes from the cache), applications joined with postings, the nav's unread count; then the
    # page view's event (analytics/middleware.py), one INSERT after the page is built.
    assert one == twenty == 4


def test_it_moves_a_card_without_javascript_and_returns_to_the_board(owner, owner_client) -> None:
    application = make_application(owner)
    response = owner_client.post(
        f"/app/applications/{application.pk}/move/", {"to_stage": "interviewing", "return_to": "board"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    assert stage_of(application) == Stage.INTERVIEWING
    with schema_context("alpha"):
        event = ApplicationEvent.objects.filter(application=application).latest("id")
        assert (event.from_stage, event.to_stage, event.interview_round) == ("applied", "interviewing", 1)


def test_it_answers_an_htmx_move_with_the_board_partial(owner, owner_client) -> None:
    application = make_application(owner)
    response = owner_client.post(
        f"/app/applications/{application.pk}/move/", {"to_stage": "screening", "return_to": "board"}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="board"')
    assert "<html" not in page
    assert "Moved “Data Engineer” to Screening." in page
    assert stage_of(application) == Stage.SCREENING


def test_it_shows_a_refused_move_on_the_card_and_changes_nothing(owner, owner_client) -> None:
    application = make_application(owner)
    response = owner_client.post(
        f"/app/applications/{application.pk}/move/", {"to_stage": "offer", "return_to": "board"}, **HTMX
    )
    assert response.status_code == 200
    assert "Enter the amount of the offer." in response.content.decode()
    assert stage_of(application) == Stage.APPLIED


def test_it_confirms_or_dismisses_a_likely_ghosted_flag(owner, owner_client) -> None:
    kept = make_application(owner, title="Kept")
    ghosted = make_application(owner, title="Gone")
    with schema_context("alpha"):
        Application.objects.filter(pk__in=[kept.pk, ghosted.pk]).update(likely_ghosted_since=timezone.now())
    page = owner_client.get("/app/").content.decode()
    assert page.count("Likely ghosted — confirm?") == 2
    owner_client.post(f"/app/applications/{kept.pk}/not-ghosted/", {"return_to": "board"}, **HTMX)
    owner_client.post(f"/app/applications/{ghosted.pk}/move/", {"to_stage": "ghosted", "return_to": "board"})
    with schema_context("alpha"):
        kept.refresh_from_db()
        assert (kept.stage, kept.likely_ghosted_since) == (Stage.APPLIED, None)
    assert stage_of(ghosted) == Stage.GHOSTED


# ---------------------------------------------------------------------------------------------------------------------
# Application page
# ---------------------------------------------------------------------------------------------------------------------
def test_it_shows_the_application_with_its_posting_snapshot_timeline_and_reminders(owner, owner_client) -> None:
    application = make_application(
        owner,
        description="Requirements:\n- Python\n- SQL is required\nNice to have:\n- Kafka is a plus",
        salary_min="60000",
        salary_max="80000",
        salary_currency="EUR",
        remote="hybrid",
    )
    response = owner_client.get(f"/app/applications/{application.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ("Data Engineer", "Acme", "60,000–80,000 EUR per year", "hybrid", "SQL is required"):
        assert expected in page
    nice = page.split("Nice-to-have")[1]
    assert "Kafka is a plus" in nice
    assert "by Olive" in page
    assert "Follow up after applying" in page
    assert 'name="on"' in page
    assert 'type="date"' in page


def test_it_shows_a_refused_move_next_to_the_date_field(owner, owner_client) -> None:
    application = make_application(owner, days_ago=2)
    long_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = owner_client.post(f"/app/applications/{application.pk}/move/", {"to_stage": "screening", "on": long_ago})
    assert response.status_code == 400
    page = response.content.decode()
    after_date_field = page.split(f'id="move-{application.pk}-on"')[1].split('class="field')[0]
    assert "The date cannot be before the application&#x27;s previous step." in after_date_field
    assert stage_of(application) == Stage.APPLIED


def test_it_records_a_move_on_the_date_chosen(owner, owner_client) -> None:
    application = make_application(owner, days_ago=10)
    day = timezone.localdate() - timedelta(days=4)
    response = owner_client.post(f"/app/applications/{application.pk}/move/", {"to_stage": "interviewing", "on": day})
    assert response.status_code == 302
    assert response["Location"] == f"/app/applications/{application.pk}/"
    with schema_context("alpha"):
        event = ApplicationEvent.objects.filter(application=application).latest("id")
        assert timezone.localdate(event.occurred_at) == day
        assert Reminder.objects.filter(application=application, kind=Reminder.Kind.AFTER_INTERVIEW).exists()


def test_it_adds_contacts_notes_and_tasks_and_completes_a_task(owner, owner_client) -> None:
    application = make_application(owner)
    base = f"/app/applications/{application.pk}"
    assert owner_client.post(f"{base}/contacts/", {"name": "Rita Recruiter", "role": "recruiter"}).status_code == 302
    assert owner_client.post(f"{base}/notes/", {"body": "Asked about <b>remote</b> days"}).status_code == 302
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert owner_client.post(f"{base}/tasks/", {"title": "Send portfolio", "due_on": due}).status_code == 302
    with schema_context("alpha"):
        task = Task.objects.get(application=application)
        assert Note.objects.get(application=application).body == "Asked about remote days"
        assert Reminder.objects.filter(task=task, status=Reminder.Status.SCHEDULED).exists()
    assert owner_client.post(f"/app/tasks/{task.pk}/done/").status_code == 302
    with schema_context("alpha"):
        task.refresh_from_db()
        assert task.done_at is not None
        assert not Reminder.objects.filter(task=task, status=Reminder.Status.SCHEDULED).exists()
    page = owner_client.get(f"{base}/").content.decode()
    assert "Rita Recruiter" in page
    assert "Send portfolio" in page


def test_it_shows_a_contact_refusal_next_to_its_field(owner, owner_client) -> None:
    application = make_application(owner)
    response = owner_client.post(f"/app/applications/{application.pk}/contacts/", {"name": "  ", "email": "nope"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    with schema_context("alpha"):
        assert not Contact.objects.filter(application=application).exists()


# ---------------------------------------------------------------------------------------------------------------------
# New postings and applications
# ---------------------------------------------------------------------------------------------------------------------
def test_it_saves_a_posting_and_marks_it_applied_with_the_cv_and_channel(owner, owner_client) -> None:
    from tests.tracking.test_views_cv import make_cv

    cv = make_cv(owner)
    response = owner_client.post(
        "/app/postings/new/",
        {
            "title": "Platform Engineer",
            "company": "Globex",
            "salary_min": "70000",
            "salary_max": "90000",
            "salary_currency": "usd",
            "employment_type": "full_time",
            "remote": "remote",
            "cv": cv.pk,
            "channel": "referral",
            "action": "apply",
        },
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        application = Application.objects.get(owner=owner, posting__title="Platform Engineer")
        assert (application.stage, application.cv_id, application.channel) == (Stage.APPLIED, cv.pk, "referral")
        assert application.posting.salary_currency == "USD"
    assert response["Location"] == f"/app/applications/{application.pk}/"


def test_it_quick_adds_a_saved_job_from_the_board(owner, owner_client) -> None:
    response = owner_client.post("/app/postings/new/", {"title": "SRE", "company": "Initech", "action": "save"})
    assert response.status_code == 302
    with schema_context("alpha"):
        application = Application.objects.get(owner=owner, posting__title="SRE")
        assert application.stage == Stage.SAVED
        assert application.posting.employment_type == "full_time"


def test_it_shows_posting_refusals_from_the_service_and_saves_nothing(owner, owner_client) -> None:
    response = owner_client.post(
        "/app/postings/new/",
        {"title": "SRE", "company": "Initech", "salary_min": "90000", "salary_max": "80000", "salary_currency": "EU"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a three-letter currency code, such as EUR." in page
    with schema_context("alpha"):
        assert not JobPosting.objects.filter(owner=owner).exists()


def test_it_adds_an_application_for_a_saved_posting(owner, owner_client) -> None:
    with schema_context("alpha"):
        posting = posting_create(owner=owner, title="Analyst", company="Umbrella")
    page = owner_client.get(f"/app/applications/new/?posting={posting.pk}").content.decode()
    assert f'<option value="{posting.pk}" selected>' in page
    response = owner_client.post(
        "/app/applications/new/", {"posting": posting.pk, "channel": "company_site", "stage": "applied"}
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        assert Application.objects.get(posting=posting).stage == Stage.APPLIED


def test_it_sends_anonymous_visitors_to_the_login_page(cast, client_a) -> None:
    for url in ("/app/", "/app/cv/", "/app/reminders/", "/app/postings/new/", "/app/applications/1/"):
        response = client_a.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/app/"), url


def test_it_lists_the_pages_in_the_nav_for_a_signed_in_seeker(owner, owner_client) -> None:
    page = owner_client.get("/app/").content.decode()
    assert 'href="/app/"' in page
    assert 'href="/app/cv/"' in page
    assert 'href="/app/reminders/"' in page
    assert 'href="/app/import/"' in page


def test_it_keeps_the_task_reminder_when_the_task_stays_open(owner, owner_client) -> None:
    application = make_application(owner)
    with schema_context("alpha"):
        task = task_add(application=application, title="Prepare", due_at=timezone.now() + timedelta(days=5))
    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()
    assert "Task due soon" in page
    assert f"/app/tasks/{task.pk}/done/" in page
