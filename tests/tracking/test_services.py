"""Postings, applications and the stage machine: the one service where stages change, and its refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from tenants.context import NotInTenantSchema
from tracking.models import Application, ApplicationEvent, DomainEvent, JobPosting, Reminder, Stage
from tracking.requirements import requirements_split
from tracking.services import (
    ALLOWED_MOVES,
    application_create,
    application_move,
    contact_add,
    note_add,
    posting_create,
    task_add,
    task_complete,
)

pytestmark = pytest.mark.django_db


def _posting(owner, **overrides) -> JobPosting:
    values = {"owner": owner, "title": "Data Engineer", "company": "Acme", "country": "de"} | overrides
    return posting_create(**values)


def _applied(owner, days_ago: int = 10) -> Application:
    return application_create(
        owner=owner, posting=_posting(owner), stage=Stage.APPLIED, at=timezone.now() - timedelta(days=days_ago)
    )


def test_it_snapshots_a_posting_with_its_region_and_requirements(owner) -> None:
    posting = _posting(
        owner,
        description="Requirements:\n- Python\n- SQL is required\nNice to have:\n- Airflow\n- Kafka is a plus",
        salary_min="60000",
        salary_max="80000",
        salary_currency="eur",
    )
    assert (posting.country, posting.salary_currency, posting.salary_period) == ("DE", "EUR", "year")
    assert posting.requirements == {
        "must_have": ["Python", "SQL is required"],
        "nice_to_have": ["Airflow", "Kafka is a plus"],
    }


def test_it_strips_markup_from_posting_text(owner) -> None:
    posting = _posting(owner, title="<b>Engineer</b>", description="<script>alert(1)</script>Build <i>things</i>")
    assert posting.title == "Engineer"
    assert posting.description == "Build things"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"company": ""}, "company"),
        ({"country": "Germany"}, "country"),
        ({"salary_min": "lots", "salary_currency": "EUR"}, "salary_min"),
        ({"salary_min": "90000", "salary_max": "80000", "salary_currency": "EUR"}, "salary_max"),
        ({"salary_min": "90000"}, "salary_currency"),
        ({"employment_type": "slavery"}, "employment_type"),
    ],
)
def test_it_refuses_a_bad_posting_naming_the_field_and_stores_nothing(owner, overrides, field) -> None:
    with pytest.raises(ValidationError) as error:
        _posting(owner, **overrides)
    assert field in error.value.message_dict
    assert JobPosting.objects.count() == 0


def test_it_creates_an_application_with_its_first_event_and_a_follow_up(owner) -> None:
    application = _applied(owner, days_ago=3)
    event = application.events.get()
    assert (event.from_stage, event.to_stage, event.actor_id) == ("", Stage.APPLIED, owner.pk)
    assert application.applied_at == event.occurred_at
    reminder = Reminder.objects.get(application=application)
    assert reminder.kind == Reminder.Kind.AFTER_APPLYING
    assert reminder.due_at == application.applied_at + timedelta(days=7)
    assert DomainEvent.objects.filter(kind=DomainEvent.Kind.APPLICATION_CREATED, subject_id=application.pk).exists()


def test_it_moves_through_numbered_interview_rounds_to_an_offer(owner) -> None:
    application = _applied(owner)
    for days_ago in (8, 6):
        application_move(
            application=application, to_stage=Stage.INTERVIEWING, by=owner, at=timezone.now() - timedelta(days=days_ago)
        )
    application_move(
        application=application, to_stage=Stage.OFFER, by=owner, offer_amount="72000", offer_currency="eur"
    )
    application.refresh_from_db()
    assert (application.stage, application.interview_round) == (Stage.OFFER, 2)
    assert (application.offer_amount, application.offer_currency) == (Decimal("72000.00"), "EUR")
    history = list(application.events.values_list("from_stage", "to_stage", "interview_round"))
    assert history == [
        ("", "applied", 0),
        ("applied", "interviewing", 1),
        ("interviewing", "interviewing", 2),
        ("interviewing", "offer", 0),
    ]
    kinds = list(Reminder.objects.filter(application=application).values_list("dedupe_key", "status"))
    assert (f"application:{application.pk}:applied", Reminder.Status.CANCELLED) in kinds
    assert (f"application:{application.pk}:interview:2", Reminder.Status.SCHEDULED) in kinds


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_stage": Stage.ACCEPTED}, "to_stage"),
        ({"to_stage": "hired"}, "to_stage"),
        ({"to_stage": Stage.SCREENING, "at": "future"}, "at"),
        ({"to_stage": Stage.SCREENING, "at": "before"}, "at"),
        ({"to_stage": Stage.OFFER}, "offer_amount"),
        ({"to_stage": Stage.OFFER, "offer_amount": "1000", "offer_currency": "euro"}, "offer_currency"),
        ({"to_stage": Stage.SCREENING, "offer_amount": "1000"}, "offer_amount"),
    ],
)
def test_it_refuses_an_impossible_move_naming_the_field_and_changes_nothing(owner, kwargs, field) -> None:
    application = _applied(owner, days_ago=5)
    at = {"future": timezone.now() + timedelta(days=1), "before": timezone.now() - timedelta(days=6)}
    if "at" in kwargs:
        kwargs = kwargs | {"at": at[kwargs["at"]]}
    with pytest.raises(ValidationError) as error:
        application_move(application=application, by=owner, **kwargs)
    assert field in error.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    assert application.events.count() == 1


def test_it_allows_no_move_out_of_a_closed_stage(owner) -> None:
    assert ALLOWED_MOVES[Stage.ACCEPTED] == ALLOWED_MOVES[Stage.WITHDRAWN] == frozenset()
    application = _applied(owner)
    application_move(application=application, to_stage=Stage.REJECTED, by=owner)
    with pytest.raises(ValidationError, match="cannot move from Rejected to Interviewing"):
        application_move(application=application, to_stage=Stage.INTERVIEWING, by=owner)
    assert Reminder.objects.filter(application=application, status=Reminder.Status.SCHEDULED).count() == 0


def test_it_keeps_events_append_only(owner) -> None:
    event = _applied(owner).events.get()
    event.note = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert ApplicationEvent.objects.get(pk=event.pk).note == ""


def test_it_refuses_to_pin_another_users_posting(cast, owner) -> None:
    member = User.objects.get(email=cast.member_email)
    posting = _posting(member)
    with pytest.raises(ValidationError) as error:
        application_create(owner=owner, posting=posting)
    assert "posting" in error.value.message_dict
    assert Application.objects.count() == 0


def test_it_attaches_contacts_notes_and_tasks_with_a_task_reminder(owner) -> None:
    application = _applied(owner)
    contact = contact_add(application=application, name="Rita Recruiter", role="recruiter", email="rita@acme.example")
    note = note_add(application=application, body="<p>Great call</p>")
    task = task_add(application=application, title="Send portfolio", due_at=timezone.now() + timedelta(days=3))
    assert (contact.name, note.body) == ("Rita Recruiter", "Great call")
    reminder = Reminder.objects.get(task=task)
    assert reminder.due_at == task.due_at - timedelta(hours=24)
    task_complete(task=task)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED
    with pytest.raises(ValidationError) as error:
        contact_add(application=application, name="Bad", email="not-an-email")
    assert "email" in error.value.message_dict


def test_it_refuses_tracking_writes_in_the_public_schema(cast) -> None:
    staff = User.objects.create_user("staff-writer@cvplus.example", "x" * 12)
    with pytest.raises(NotInTenantSchema):
        posting_create(owner=staff, title="x", company="y")


def test_it_splits_requirements_from_their_wording() -> None:
    text = (
        "About us\nWe build things.\n\nWhat you bring:\n* 5+ years of Go\n* Kubernetes experience preferred\n"
        "Bonus points:\n- Rust\n\nA degree is required. Experience with Terraform is a plus."
    )
    assert requirements_split(text) == {
        "must_have": ["5+ years of Go", "A degree is required"],
        "nice_to_have": ["Kubernetes experience preferred", "Rust", "Experience with Terraform is a plus"],
    }
