"""The interview pages under /app/: schedule from the application page, see it there, on the board and in the
timeline, change or cancel it, download its .ics; bad input refused next to the field with nothing changed; another
user's interview (in this tenant or another) a 404, its calendar file too."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.test_views import make_application
from tracking.interviews.services import InterviewDetails, interview_schedule
from tracking.models import Application, Contact, Interview, Reminder, Stage

pytestmark = pytest.mark.django_db


def _day() -> date:
    """A January day next year: within the two years ahead an interview may be, and in Berlin's winter time."""
    return date(timezone.now().year + 1, 1, 15)


def _form(**changes: str) -> dict[str, str]:
    return {
        "kind": "video",
        "date": _day().isoformat(),
        "time": "14:30",
        "time_zone": "Europe/Berlin",
        "duration_minutes": "45",
        "people": "Ana Ruiz (hiring manager)",
        "location": "https://meet.example.com/abc",
        "notes": "Bring the portfolio.",
    } | changes


def _scheduled(owner: User, application: Application, **changes) -> Interview:
    values = {
        "kind": Interview.Kind.VIDEO,
        "day": _day(),
        "at": time(14, 30),
        "time_zone": "Europe/Berlin",
        "duration_minutes": 45,
        "people": "Ana Ruiz (hiring manager)",
        "location": "https://meet.example.com/abc",
    }
    with schema_context("alpha"):
        return interview_schedule(application=application, by=owner, details=InterviewDetails(**(values | changes)))


def _interviews(application: Application) -> list[tuple]:
    with schema_context("alpha"):
        return list(
            Interview.objects.filter(application=application)
            .order_by("id")
            .values_list("kind", "starts_at", "time_zone", "duration_minutes", "status", "sequence", "people")
        )


def _follow_ups(application: Application) -> list[tuple]:
    with schema_context("alpha"):
        return list(
            Reminder.objects.filter(application=application, kind=Reminder.Kind.AFTER_INTERVIEW)
            .order_by("id")
            .values_list("dedupe_key", "status", "due_at")
        )


# ---------------------------------------------------------------------------------------------------------------------
# Scheduling and seeing it
# ---------------------------------------------------------------------------------------------------------------------
def test_it_schedules_an_interview_from_the_application_page(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)

    response = owner_client.post(f"/app/applications/{application.pk}/interviews/", _form())

    assert response.status_code == 302
    assert response["Location"] == f"/app/applications/{application.pk}/#interviews"
    starts_at = datetime.combine(_day(), time(13, 30), tzinfo=UTC)
    assert _interviews(application) == [
        ("video", starts_at, "Europe/Berlin", 45, "scheduled", 0, "Ana Ruiz (hiring manager)")
    ]
    with schema_context("alpha"):
        interview = Interview.objects.get(application=application)
    assert (f"interview:{interview.pk}:follow_up", "scheduled", starts_at + timedelta(minutes=45, days=2)) in (
        _follow_ups(application)
    )


def test_it_shows_the_interview_on_the_application_page_and_in_its_timeline(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application)

    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()

    panel = page[page.index('id="interviews"') : page.index('id="details-h"')]
    assert "Video interview" in panel
    assert f"{date_format(_day(), 'DATE_FORMAT')}, 2:30 p.m." in panel  # the wall time in its own zone
    assert "Europe/Berlin" in panel
    assert "45 minutes" in panel
    assert "With Ana Ruiz (hiring manager)" in panel
    assert f'href="/app/interviews/{interview.pk}/calendar.ics"' in panel
    assert f'href="/app/interviews/{interview.pk}/"' in panel
    timeline = page[page.index('<ol class="timeline">') : page.index("</ol>")]
    assert timeline.index("Applied → Interviewing") < timeline.index("Video interview")


def test_it_shows_the_next_interview_on_the_board_card(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    later = _scheduled(owner, application, kind=Interview.Kind.FINAL, day=_day() + timedelta(days=7))
    _scheduled(owner, application, kind=Interview.Kind.TECHNICAL)
    assert later.starts_at > timezone.now()

    page = owner_client.get("/app/").content.decode()

    card = page[page.index(f'id="card-{application.pk}"') :]
    card = card[: card.index("</li>")]
    assert "Technical interview" in card
    assert f"{date_format(_day(), 'DATE_FORMAT')}, 2:30 p.m." in card
    assert "Final interview" not in card


def test_it_leaves_cancelled_and_past_interviews_off_the_board(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    cancelled = _scheduled(owner, application)
    past = timezone.now() - timedelta(days=3)
    _scheduled(owner, application, day=past.date(), at=time(past.hour, past.minute), time_zone="UTC")
    owner_client.post(f"/app/interviews/{cancelled.pk}/cancel/")

    page = owner_client.get("/app/").content.decode()

    card = page[page.index(f'id="card-{application.pk}"') :]
    assert "job-interview" not in card[: card.index("</li>")]


def test_it_keeps_the_board_to_one_query_with_interviews(owner, django_assert_num_queries) -> None:
    from tracking.selectors import board_for

    for index in range(3):
        application = make_application(owner, title=f"Role {index}", stage=Stage.INTERVIEWING)
        _scheduled(owner, application)
    assert Interview.objects.count() == 3  # on the owner's schema already: the search path is set
    with django_assert_num_queries(1):
        board = board_for(user=owner)
    cards = [app for column in board.columns for app in column.applications]
    assert [app.next_interview_label for app in cards] == ["video interview"] * 3


# ---------------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------------
def _field_html(page: str, name: str) -> str:
    """The interview form's block for one field, from its wrapper to the next field's: where its error must be."""
    label = page.index(f'for="interview-{name}"')
    start = page.rindex('<div class="field', 0, label)
    assert page.startswith('<div class="field has-error', start), name
    end = min(page.index(marker, label) for marker in ('<div class="field', "</form>") if marker in page[label:])
    return page[start:end]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-13-45"}, "Enter the interview&#x27;s date as a date, such as 2026-12-10."),
        ({"date": ""}, "Enter the interview&#x27;s date."),
        ({"time": "25:99"}, "Enter the interview&#x27;s start time as hours and minutes, such as 14:30."),
        ({"time_zone": "Mars/Olympus"}, "Choose a time zone from the list, such as Europe/Berlin."),
        ({"kind": "dinner"}, "Choose the kind of interview from the list."),
        ({"duration_minutes": "0"}, "Enter a duration of at least 5 minutes."),
    ],
)
def test_it_refuses_bad_input_next_to_the_field_and_changes_nothing(owner, owner_client, changes, message) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    before = (_interviews(application), _follow_ups(application))

    response = owner_client.post(f"/app/applications/{application.pk}/interviews/", _form(**changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in _field_html(page, next(iter(changes)))
    assert "<details open>" in page
    assert (_interviews(application), _follow_ups(application)) == before


def test_it_refuses_a_time_that_the_clock_change_skips_naming_the_time(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    year = timezone.now().year + 1
    last_sunday_of_march = date(year, 3, 31) - timedelta(days=(date(year, 3, 31).weekday() + 1) % 7)

    response = owner_client.post(
        f"/app/applications/{application.pk}/interviews/",
        _form(date=last_sunday_of_march.isoformat(), time="02:30"),
    )

    assert response.status_code == 400
    assert "This time does not exist in Europe/Berlin on that day (the clocks change)." in response.content.decode()
    assert _interviews(application) == []


def test_it_refuses_another_applications_contact(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    other = make_application(owner, title="Analyst")
    with schema_context("alpha"):
        stranger = Contact.objects.create(application=other, name="Otto Other")

    response = owner_client.post(f"/app/applications/{application.pk}/interviews/", _form(contacts=str(stranger.pk)))

    assert response.status_code == 400
    assert "Choose contacts of this application." in response.content.decode()
    assert _interviews(application) == []


# ---------------------------------------------------------------------------------------------------------------------
# Changing and cancelling
# ---------------------------------------------------------------------------------------------------------------------
def test_it_shows_the_change_form_with_the_wall_time_in_the_interviews_zone(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application, time_zone="Asia/Tokyo", at=time(9, 15))

    page = owner_client.get(f"/app/interviews/{interview.pk}/").content.decode()

    assert f'value="{_day().isoformat()}"' in page
    assert 'value="09:15"' in page
    assert '<option value="Asia/Tokyo" selected>' in page


def test_it_reschedules_and_moves_the_follow_up(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application)

    response = owner_client.post(
        f"/app/interviews/{interview.pk}/", _form(time="16:00", time_zone="America/New_York", kind="final")
    )

    assert response.status_code == 302
    starts_at = datetime.combine(_day(), time(21, 0), tzinfo=UTC)  # EST is UTC-5
    assert _interviews(application) == [
        ("final", starts_at, "America/New_York", 45, "scheduled", 1, "Ana Ruiz (hiring manager)")
    ]
    key = f"interview:{interview.pk}:follow_up"
    assert [row for row in _follow_ups(application) if row[0] == key] == [
        (key, "scheduled", starts_at + timedelta(minutes=45, days=2))
    ]


def test_it_refuses_a_bad_change_and_keeps_the_interview_and_its_reminder(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application)
    before = (_interviews(application), _follow_ups(application))

    response = owner_client.post(f"/app/interviews/{interview.pk}/", _form(time_zone="Nowhere/City", date="tomorrow"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a time zone from the list, such as Europe/Berlin." in page
    assert "Enter the interview&#x27;s date as a date, such as 2026-12-10." in page
    assert (_interviews(application), _follow_ups(application)) == before


def test_it_cancels_an_interview_and_removes_its_follow_up(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application)

    response = owner_client.post(f"/app/interviews/{interview.pk}/cancel/")

    assert response.status_code == 302
    assert [row[4] for row in _interviews(application)] == ["cancelled"]
    key = f"interview:{interview.pk}:follow_up"
    assert [row[1] for row in _follow_ups(application) if row[0] == key] == ["cancelled"]
    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()
    panel = page[page.index('id="interviews"') : page.index('id="details-h"')]
    assert "cancelled" in panel
    assert "calendar.ics" not in panel
    refused = owner_client.post(f"/app/interviews/{interview.pk}/", _form(time="16:00"))
    assert refused.status_code == 400
    assert "This interview was cancelled; schedule a new one instead." in refused.content.decode()
    assert [row[1] for row in _interviews(application)] == [interview.starts_at]


# ---------------------------------------------------------------------------------------------------------------------
# The calendar file
# ---------------------------------------------------------------------------------------------------------------------
def test_it_downloads_an_ics_that_a_calendar_library_reads_with_the_start_in_utc(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING, title="Data Engineer, Platform")
    with schema_context("alpha"):
        recruiter = Contact.objects.create(application=application, name="Rita Recruiter", role="recruiter")
    interview = _scheduled(owner, application, contacts=(recruiter,), location="Room 4; Floor 2")

    response = owner_client.get(f"/app/interviews/{interview.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="interview-{interview.pk}.ics"'
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.combine(_day(), time(13, 30), tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.combine(_day(), time(14, 15), tzinfo=UTC)
    assert str(event["UID"]) == f"{interview.uid}@cvplus"
    assert str(event["SUMMARY"]) == "Video interview: Data Engineer, Platform at Acme"
    assert str(event["LOCATION"]) == "Room 4; Floor 2"
    description = str(event["DESCRIPTION"])
    assert "Time zone: Europe/Berlin" in description
    assert "People: Ana Ruiz (hiring manager); Rita Recruiter (recruiter)" in description
    assert f"http://alpha.localhost/app/applications/{application.pk}/" in description


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ja"])
def test_it_shows_the_interview_with_the_readers_date_format_in_each_language(owner, owner_client, language) -> None:
    application = make_application(owner, stage=Stage.INTERVIEWING)
    interview = _scheduled(owner, application)
    with translation.override(language):
        day = date_format(_day(), "DATE_FORMAT")

    page = owner_client.get(f"/app/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    board = owner_client.get("/app/", HTTP_ACCEPT_LANGUAGE=language)
    calendar = owner_client.get(f"/app/interviews/{interview.pk}/calendar.ics", HTTP_ACCEPT_LANGUAGE=language)
    edit = owner_client.get(f"/app/interviews/{interview.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    assert (page.status_code, board.status_code, calendar.status_code, edit.status_code) == (200, 200, 200, 200)
    assert f'<html lang="{language}">' in page.content.decode()
    assert day in page.content.decode()
    assert day in board.content.decode()
    (event,) = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.combine(_day(), time(13, 30), tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------------------------
# Isolation
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def olives_interview(owner) -> Interview:
    application = make_application(owner, stage=Stage.INTERVIEWING, title="Zebracorn Engineer")
    return _scheduled(owner, application, people="Olive's panel", location="Zebracorn HQ")


def _interview_urls(interview: Interview) -> list[tuple[str, str, dict]]:
    return [
        ("post", f"/app/applications/{interview.application_id}/interviews/", _form()),
        ("get", f"/app/interviews/{interview.pk}/", {}),
        ("post", f"/app/interviews/{interview.pk}/", _form(time="16:00")),
        ("post", f"/app/interviews/{interview.pk}/cancel/", {}),
        ("get", f"/app/interviews/{interview.pk}/calendar.ics", {}),
    ]


def test_it_returns_404_for_another_users_interview_in_the_same_tenant(cast, client_a, olives_interview) -> None:
    login(client_a, cast.member_email)
    application = olives_interview.application
    before = (_interviews(application), _follow_ups(application))

    for method, url, data in _interview_urls(olives_interview):
        response = getattr(client_a, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert b"Zebracorn" not in response.content, url
        assert b"Olive" not in response.content, url

    assert (_interviews(application), _follow_ups(application)) == before


def test_it_returns_404_for_an_interview_in_another_tenant(cast, client_b, olives_interview) -> None:
    login(client_b, cast.stranger_email)
    application = olives_interview.application
    before = (_interviews(application), _follow_ups(application))

    for method, url, data in _interview_urls(olives_interview):
        response = getattr(client_b, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert b"Zebracorn" not in response.content, url

    assert (_interviews(application), _follow_ups(application)) == before
