"""Interviews as events: scheduled at a wall time in a time zone, changed and cancelled through the services, with the
"follow up after the interview" reminder timed from the interview itself; and the .ics file, read back by the
icalendar library."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from tracking import reminders
from tracking.interviews.ics import CalendarEvent, calendar_file, ics_fold, ics_text
from tracking.interviews.services import InterviewDetails, interview_cancel, interview_schedule, interview_update
from tracking.models import Application, CandidateProfile, Interview, Reminder, Stage
from tracking.services import application_create, application_move, contact_add, posting_create

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _next_year(month: int, day: int) -> date:
    """A day next year: always within the two years ahead an interview may be, and on a known side of summer time."""
    return date(timezone.now().year + 1, month, day)


def _application(owner: User, *, stage: str = Stage.APPLIED, title: str = "Data Engineer") -> Application:
    posting = posting_create(owner=owner, title=title, company="Globex")
    application = application_create(
        owner=owner, posting=posting, stage=Stage.APPLIED, at=timezone.now() - timedelta(days=5)
    )
    if stage != Stage.APPLIED:
        application_move(application=application, to_stage=stage, by=owner, at=timezone.now() - timedelta(days=1))
        application.refresh_from_db()
    return application


def _details(**changes) -> InterviewDetails:
    values = {
        "kind": Interview.Kind.VIDEO,
        "day": _next_year(1, 15),
        "at": time(14, 30),
        "time_zone": "Europe/Berlin",
        "duration_minutes": 45,
        "people": "Ana Ruiz (hiring manager)",
        "location": "https://meet.example.com/abc",
        "notes": "Bring the portfolio.",
    }
    return InterviewDetails(**(values | changes))


def _follow_ups(application: Application) -> list[tuple[str, str, datetime]]:
    return list(
        Reminder.objects.filter(application=application, kind=Reminder.Kind.AFTER_INTERVIEW)
        .order_by("id")
        .values_list("dedupe_key", "status", "due_at")
    )


def _state(interview: Interview) -> tuple:
    interview = Interview.objects.get(pk=interview.pk)
    return (
        interview.kind,
        interview.starts_at,
        interview.time_zone,
        interview.duration_minutes,
        interview.people,
        interview.location,
        interview.status,
        interview.sequence,
        list(interview.contacts.values_list("pk", flat=True)),
        _follow_ups(interview.application),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------------------------------
def test_it_stores_the_wall_time_in_its_zone_as_the_utc_moment_in_winter_and_summer(owner) -> None:
    application = _application(owner)

    winter = interview_schedule(application=application, by=owner, details=_details())
    summer = interview_schedule(
        application=application, by=owner, details=_details(day=_next_year(7, 15), time_zone="America/New_York")
    )

    assert winter.starts_at == datetime.combine(_next_year(1, 15), time(13, 30), tzinfo=UTC)  # CET is UTC+1
    assert summer.starts_at == datetime.combine(_next_year(7, 15), time(18, 30), tzinfo=UTC)  # EDT is UTC-4
    assert winter.time_zone == "Europe/Berlin"
    assert winter.ends_at == winter.starts_at + timedelta(minutes=45)
    assert (winter.people, winter.location, winter.status) == (
        "Ana Ruiz (hiring manager)",
        "https://meet.example.com/abc",
        Interview.Status.SCHEDULED,
    )


def test_it_times_the_follow_up_from_the_interviews_end_and_drops_the_one_from_the_stage_change(owner) -> None:
    application = _application(owner, stage=Stage.INTERVIEWING)
    stage_key = f"application:{application.pk}:interview:1"
    assert [(key, status) for key, status, _due in _follow_ups(application)] == [(stage_key, "scheduled")]

    interview = interview_schedule(application=application, by=owner, details=_details())

    end = datetime.combine(_next_year(1, 15), time(13, 30), tzinfo=UTC) + timedelta(minutes=45)
    assert _follow_ups(application) == [
        (stage_key, Reminder.Status.CANCELLED, _follow_ups(application)[0][2]),
        (f"interview:{interview.pk}:follow_up", Reminder.Status.SCHEDULED, end + timedelta(days=2)),
    ]


def test_it_uses_the_owners_follow_up_delay(owner) -> None:
    CandidateProfile.objects.update_or_create(user=owner, defaults={"follow_up_after_interview_days": 5})
    interview = interview_schedule(application=_application(owner), by=owner, details=_details(duration_minutes=60))

    reminder = Reminder.objects.get(dedupe_key=f"interview:{interview.pk}:follow_up")
    assert reminder.due_at == interview.starts_at + timedelta(minutes=60, days=5)


def test_it_schedules_no_stage_timed_follow_up_when_the_interview_already_has_one(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())

    application_move(application=application, to_stage=Stage.INTERVIEWING, by=owner)

    assert [key for key, _status, _due in _follow_ups(application)] == [f"interview:{interview.pk}:follow_up"]


def test_it_records_a_past_interview_without_a_follow_up_already_due(owner) -> None:
    application = _application(owner)
    past = timezone.now().astimezone(BERLIN) - timedelta(days=10)

    interview = interview_schedule(
        application=application, by=owner, details=_details(day=past.date(), at=time(past.hour, past.minute))
    )

    assert interview.starts_at < timezone.now()
    assert _follow_ups(application) == []


def test_it_schedules_no_follow_up_for_an_owner_who_turned_reminders_off(owner) -> None:
    CandidateProfile.objects.update_or_create(user=owner, defaults={"reminders_enabled": False})
    application = _application(owner)

    interview_schedule(application=application, by=owner, details=_details())

    assert _follow_ups(application) == []


def test_it_links_the_applications_contacts_taking_part(owner) -> None:
    application = _application(owner)
    recruiter = contact_add(application=application, name="Rita Recruiter", role="recruiter")

    interview = interview_schedule(application=application, by=owner, details=_details(contacts=(recruiter,)))

    assert list(interview.contacts.all()) == [recruiter]


# ---------------------------------------------------------------------------------------------------------------------
# Refusals: the field named, nothing written
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list, such as Europe/Berlin."),
        ({"time_zone": ""}, "time_zone", "Choose a time zone from the list, such as Europe/Berlin."),
        ({"kind": "dinner"}, "kind", "Choose the kind of interview from the list."),
        ({"day": None}, "date", "Enter the interview's date."),
        ({"at": None}, "time", "Enter the interview's start time."),
        ({"duration_minutes": 0}, "duration_minutes", "Enter a duration from 5 to 720 minutes."),
        ({"duration_minutes": 721}, "duration_minutes", "Enter a duration from 5 to 720 minutes."),
        # The last Sunday of March, 02:30 does not happen in Berlin: the clocks go from 02:00 to 03:00.
        (
            {
                "day": date(timezone.now().year + 1, 3, 31)
                - timedelta(days=(date(timezone.now().year + 1, 3, 31).weekday() + 1) % 7),
                "at": time(2, 30),
            },
            "time",
            "This time does not exist in Europe/Berlin on that day (the clocks change).",
        ),
        (
            {"day": date(timezone.now().year + 4, 1, 1)},
            "date",
            "Choose a date within a year before and two years after today.",
        ),
        (
            {"day": date(timezone.now().year - 3, 1, 1)},
            "date",
            "Choose a date within a year before and two years after today.",
        ),
    ],
)
def test_it_refuses_bad_details_naming_the_field_and_writes_nothing(owner, changes, field, message) -> None:
    application = _application(owner)
    existing = interview_schedule(application=application, by=owner, details=_details())
    before = _state(existing)

    with pytest.raises(ValidationError) as refused:
        interview_schedule(application=application, by=owner, details=_details(**changes))
    assert refused.value.message_dict == {field: [message]}
    with pytest.raises(ValidationError) as refused_update:
        interview_update(interview=existing, by=owner, details=_details(**changes))
    assert refused_update.value.message_dict == {field: [message]}

    assert Interview.objects.filter(application=application).count() == 1
    assert _state(existing) == before


def test_it_refuses_a_contact_of_another_application(owner) -> None:
    application = _application(owner)
    elsewhere = contact_add(application=_application(owner, title="Analyst"), name="Otto Other")

    with pytest.raises(ValidationError) as refused:
        interview_schedule(application=application, by=owner, details=_details(contacts=(elsewhere,)))

    assert refused.value.message_dict == {"contacts": ["Choose contacts of this application."]}
    assert not Interview.objects.exists()


def test_it_refuses_an_interview_on_a_closed_application(owner) -> None:
    application = _application(owner)
    application_move(application=application, to_stage=Stage.REJECTED, by=owner)

    with pytest.raises(ValidationError) as refused:
        interview_schedule(application=application, by=owner, details=_details())

    assert refused.value.messages == ["This application is closed: reopen it before scheduling an interview."]
    assert not Interview.objects.exists()


def test_it_refuses_to_schedule_on_another_users_application(owner, member) -> None:
    with pytest.raises(ValidationError) as refused:
        interview_schedule(application=_application(owner), by=member, details=_details())

    assert list(refused.value.message_dict) == ["application"]
    assert not Interview.objects.exists()


# ---------------------------------------------------------------------------------------------------------------------
# Rescheduling and cancelling
# ---------------------------------------------------------------------------------------------------------------------
def test_it_moves_the_follow_up_when_the_interview_is_rescheduled(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())
    reminder = Reminder.objects.get(dedupe_key=f"interview:{interview.pk}:follow_up")

    moved = interview_update(
        interview=interview, by=owner, details=_details(day=_next_year(2, 3), at=time(9, 0), time_zone="Asia/Tokyo")
    )

    assert moved.starts_at == datetime.combine(_next_year(2, 3), time(0, 0), tzinfo=UTC)  # JST is UTC+9
    assert moved.sequence == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.due_at) == (Reminder.Status.SCHEDULED, moved.ends_at + timedelta(days=2))
    assert Reminder.objects.filter(application=application, kind=Reminder.Kind.AFTER_INTERVIEW).count() == 1


def test_it_cancels_the_interview_and_removes_its_follow_up_keeping_the_interview_in_the_history(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())

    cancelled = interview_cancel(interview=interview, by=owner)
    again = interview_cancel(interview=cancelled, by=owner)

    assert (cancelled.status, cancelled.sequence) == (Interview.Status.CANCELLED, 1)
    assert cancelled.cancelled_at is not None
    assert again.sequence == 1  # cancelling twice changes nothing more
    assert [status for _key, status, _due in _follow_ups(application)] == [Reminder.Status.CANCELLED]
    due_later = reminders.reminders_due_ids(now=interview.ends_at + timedelta(days=30))
    assert not Reminder.objects.filter(pk__in=due_later, kind=Reminder.Kind.AFTER_INTERVIEW).exists()
    with pytest.raises(ValidationError):
        interview_update(interview=cancelled, by=owner, details=_details(at=time(16, 0)))
    assert Interview.objects.get(pk=interview.pk).starts_at == interview.starts_at


def test_it_cancels_the_interviews_follow_up_when_the_application_closes(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())

    application_move(application=application, to_stage=Stage.WITHDRAWN, by=owner)
    interview_update(interview=interview, by=owner, details=_details(at=time(16, 0)))

    assert [status for _key, status, _due in _follow_ups(application)] == [Reminder.Status.CANCELLED]


# ---------------------------------------------------------------------------------------------------------------------
# The calendar file
# ---------------------------------------------------------------------------------------------------------------------
def test_it_escapes_text_and_folds_long_lines_at_75_octets_without_splitting_a_character() -> None:
    assert ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ics_fold("DESCRIPTION:" + "面接" * 40)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if index else line for index, line in enumerate(lines)) == "DESCRIPTION:" + "面接" * 40


def test_it_writes_an_ics_that_icalendar_reads_back_with_the_start_in_utc(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())
    summary = "Video interview: Data Engineer, Backend; Team at Glöbex \\ Co"
    description = "People: Ana Ruiz (hiring manager)\n\nBring the portfolio, please; " + "long " * 40
    now = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)

    text = calendar_file(
        CalendarEvent(
            uid=f"{interview.uid}@cvplus",
            sequence=3,
            starts_at=interview.starts_at,
            ends_at=interview.ends_at,
            summary=summary,
            location="Room 4, Floor 2",
            description=description,
            url="https://alpha.localhost/app/applications/1/",
        ),
        now=now,
    )

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.combine(_next_year(1, 15), time(13, 30), tzinfo=UTC)
    assert event.decoded("DTEND") == event.decoded("DTSTART") + timedelta(minutes=45)
    assert event.decoded("DTSTAMP") == now
    assert str(event["UID"]) == f"{interview.uid}@cvplus"
    assert str(event["SUMMARY"]) == summary
    assert str(event["LOCATION"]) == "Room 4, Floor 2"
    assert str(event["DESCRIPTION"]) == description
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(calendar["VERSION"]) == "2.0"


def test_it_includes_interviews_with_their_contacts_in_the_owners_data_export(owner, member) -> None:
    from privacy.export import export_tables

    application = _application(owner)
    recruiter = contact_add(application=application, name="Rita Recruiter", role="recruiter")
    interview = interview_schedule(application=application, by=owner, details=_details(contacts=(recruiter,)))

    tables = {table.name: table.rows for table in export_tables(user=owner)}
    others = {table.name: table.rows for table in export_tables(user=member)}

    assert [(row["id"], row["time_zone"], row["people"], row["contact_ids"]) for row in tables["interviews"]] == [
        (interview.pk, "Europe/Berlin", "Ana Ruiz (hiring manager)", [recruiter.pk])
    ]
    assert others["interviews"] == []


def test_it_leaves_a_due_follow_up_alone_when_only_the_notes_change(owner) -> None:
    application = _application(owner)
    interview = interview_schedule(application=application, by=owner, details=_details())
    key = f"interview:{interview.pk}:follow_up"
    due_now = timezone.now() - timedelta(minutes=1)  # due, not yet sent: as if the interview was days ago
    Reminder.objects.filter(dedupe_key=key).update(due_at=due_now)

    interview_update(interview=interview, by=owner, details=_details(notes="They liked the portfolio."))

    assert Reminder.objects.filter(dedupe_key=key).values_list("status", "due_at").get() == (
        Reminder.Status.SCHEDULED,
        due_now,
    )
    assert Interview.objects.get(pk=interview.pk).notes == "They liked the portfolio."
