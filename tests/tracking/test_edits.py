"""Correcting what was saved (tracking/edits.py) and deleting with undo (tracking/deletion.py): each edit writes what
it says and nothing else; each refusal names its field and changes nothing; the history stays consistent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from tests.tracking.test_views_cv import make_cv
from tracking import deletion, edits
from tracking.models import (
    Application,
    ApplicationEvent,
    Contact,
    DomainEvent,
    JobPosting,
    Note,
    Reminder,
    Stage,
    Task,
)
from tracking.reminders import reminders_due_ids
from tracking.selectors import board_for
from tracking.services import application_create, application_move, contact_add, note_add, posting_create, task_add

pytestmark = pytest.mark.django_db


def _posting(owner, **overrides) -> JobPosting:
    values = {"owner": owner, "title": "Truck Driver", "company": "Haulage Ltd", "country": "US"} | overrides
    return posting_create(**values)


def _applied(owner, days_ago: int = 10) -> Application:
    return application_create(
        owner=owner, posting=_posting(owner), stage=Stage.APPLIED, at=timezone.now() - timedelta(days=days_ago)
    )


def _row(model, pk: int) -> dict:
    return model_to_dict(model.all_objects.get(pk=pk) if hasattr(model, "all_objects") else model.objects.get(pk=pk))


def _update(posting: JobPosting, **changes):
    values = {
        "title": posting.title,
        "company": posting.company,
        "location": posting.location,
        "country": posting.country,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "salary_currency": posting.salary_currency,
        "salary_period": posting.salary_period,
        "employment_type": posting.employment_type,
        "remote": posting.remote,
        "industry": "" if posting.industry_detected else posting.industry,
        "url": posting.url,
    } | changes
    return edits.posting_update(posting=posting, **values)


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def test_it_edits_a_posting_with_a_weekly_wage(owner) -> None:
    posting = _posting(owner, salary_min="1200", salary_currency="USD")
    assert posting.salary_period == "year"  # the old default, which a trucker's weekly wage was wrongly given

    updated = _update(
        posting, title="Long-haul Truck Driver", location="Dallas", salary_max="1500", salary_period="week"
    )

    stored = JobPosting.objects.get(pk=posting.pk)
    assert (stored.title, stored.location, stored.salary_min, stored.salary_max, stored.salary_period) == (
        "Long-haul Truck Driver",
        "Dallas",
        Decimal("1200.00"),
        Decimal("1500.00"),
        "week",
    )
    assert stored.get_salary_period_display() == "per week"
    assert stored.updated_at is not None
    assert updated.updated_at == stored.updated_at


@pytest.mark.parametrize("period", ["hour", "day", "week", "month", "year"])
def test_it_accepts_every_salary_period(owner, period) -> None:
    posting = _update(_posting(owner), salary_min="10", salary_currency="EUR", salary_period=period)
    assert JobPosting.objects.get(pk=posting.pk).salary_period == period


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"company": ""}, "company"),
        ({"salary_min": "-5", "salary_currency": "USD"}, "salary_min"),
        ({"salary_min": "90", "salary_max": "80", "salary_currency": "USD"}, "salary_max"),
        ({"salary_min": "90", "salary_currency": ""}, "salary_currency"),
        ({"salary_min": "90", "salary_currency": "USD", "salary_period": "fortnight"}, "salary_period"),
        ({"country": "USA"}, "country"),
        ({"remote": "moon"}, "remote"),
        ({"industry": "not-an-industry"}, "industry"),
    ],
)
def test_it_refuses_a_bad_posting_edit_naming_the_field_and_changing_nothing(owner, changes, field) -> None:
    posting = _posting(owner, salary_min="1000", salary_currency="USD", salary_period="week")
    before = _row(JobPosting, posting.pk)

    with pytest.raises(ValidationError) as refused:
        _update(posting, **changes)

    assert field in refused.value.message_dict
    assert _row(JobPosting, posting.pk) == before


# ---------------------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------------------
def test_it_changes_the_channel_and_pins_a_cv_later(owner) -> None:
    application = _applied(owner)
    cv = make_cv(owner, content=b"Olive's CV", original_name="olive.txt")

    edits.application_update(application=application, channel="referral", cv=cv)

    stored = Application.objects.get(pk=application.pk)
    assert (stored.channel, stored.cv_id) == ("referral", cv.pk)
    assert stored.events.count() == 1  # no step of the history was added or changed


def test_it_corrects_the_applied_date_in_the_history_and_the_follow_up(owner) -> None:
    application = _applied(owner, days_ago=3)
    earlier = timezone.now() - timedelta(days=8)

    edits.application_update(application=application, channel=application.channel, cv=None, applied_at=earlier)

    stored = Application.objects.get(pk=application.pk)
    [step] = stored.events.all()
    assert stored.applied_at == step.occurred_at == stored.stage_changed_at == earlier
    reminder = Reminder.objects.get(application=stored, kind=Reminder.Kind.AFTER_APPLYING)
    assert reminder.due_at == earlier + timedelta(days=7)


def test_it_refuses_an_applied_date_after_the_next_step(owner) -> None:
    application = _applied(owner, days_ago=10)
    application_move(application=application, to_stage=Stage.SCREENING, by=owner, at=timezone.now() - timedelta(days=5))
    before = (_row(Application, application.pk), list(ApplicationEvent.objects.values_list("occurred_at", flat=True)))

    with pytest.raises(ValidationError) as refused:
        edits.application_update(
            application=application,
            channel="referral",
            cv=None,
            applied_at=timezone.now() - timedelta(days=2),
        )

    assert "applied_at" in refused.value.message_dict
    after = (_row(Application, application.pk), list(ApplicationEvent.objects.values_list("occurred_at", flat=True)))
    assert after == before  # the channel was not written either


def test_it_refuses_an_applied_date_on_a_saved_application_and_another_users_cv(owner, member) -> None:
    saved = application_create(owner=owner, posting=_posting(owner), stage=Stage.SAVED)
    with pytest.raises(ValidationError) as refused:
        edits.application_update(
            application=saved, channel="job_board", cv=None, applied_at=timezone.now() - timedelta(days=1)
        )
    assert "applied_at" in refused.value.message_dict

    with pytest.raises(ValidationError) as refused:
        edits.application_update(application=saved, channel="job_board", cv=make_cv(member, content=b"Other CV"))
    assert "cv" in refused.value.message_dict
    assert Application.objects.get(pk=saved.pk).cv_id is None


def test_it_reopens_a_rejected_application_as_a_marked_step_of_its_history(owner) -> None:
    application = _applied(owner, days_ago=10)
    application_move(application=application, to_stage=Stage.INTERVIEWING, by=owner, at=timezone.now() - timedelta(5))
    application_move(application=application, to_stage=Stage.REJECTED, by=owner, at=timezone.now() - timedelta(2))
    application.refresh_from_db()
    assert edits.application_reopen_stages(application=application) == [Stage.APPLIED, Stage.INTERVIEWING]

    event = edits.application_reopen(application=application, by=owner, to_stage=Stage.INTERVIEWING, note="Called")

    stored = Application.objects.get(pk=application.pk)
    assert (stored.stage, stored.interview_round, stored.stage_changed_at) == (
        Stage.INTERVIEWING,
        1,
        event.occurred_at,
    )
    steps = list(stored.events.values_list("from_stage", "to_stage", "reopened", "interview_round"))
    assert steps[-1] == (Stage.REJECTED, Stage.INTERVIEWING, True, 1)
    assert [to for _from, to, _reopened, _round in steps][-1] == stored.stage  # stage == latest step
    changed = DomainEvent.objects.filter(kind=DomainEvent.Kind.STAGE_CHANGED, subject_id=application.pk).last()
    assert changed.payload == {"from": "rejected", "to": "interviewing", "round": 1, "reopened": True}
    # Open again, it moves on as any other application.
    application_move(application=stored, to_stage=Stage.OFFER, by=owner, offer_amount="100", offer_currency="USD")


def test_it_refuses_to_reopen_an_open_application_or_to_a_stage_never_reached(owner) -> None:
    application = _applied(owner)
    with pytest.raises(ValidationError) as refused:
        edits.application_reopen(application=application, by=owner, to_stage=Stage.APPLIED)
    assert "to_stage" in refused.value.message_dict

    application_move(application=application, to_stage=Stage.WITHDRAWN, by=owner)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        edits.application_reopen(application=application, by=owner, to_stage=Stage.OFFER)
    assert "to_stage" in refused.value.message_dict
    assert Application.objects.get(pk=application.pk).stage == Stage.WITHDRAWN
    assert ApplicationEvent.objects.filter(application=application).count() == 2


# ---------------------------------------------------------------------------------------------------------------------
# Contacts, notes and tasks
# ---------------------------------------------------------------------------------------------------------------------
def test_it_edits_and_deletes_contacts_and_notes(owner) -> None:
    application = _applied(owner)
    contact = contact_add(application=application, name="Ann", email="ann@example.com")
    note = note_add(application=application, body="First call")

    edits.contact_update(contact=contact, name="Ann Lee", role="recruiter", email="ann.lee@example.com", phone="+1 5")
    edits.note_update(note=note, body="<b>Second</b> call")

    assert _row(Contact, contact.pk) | {"id": None} == {
        "id": None,
        "application": application.pk,
        "name": "Ann Lee",
        "role": "recruiter",
        "email": "ann.lee@example.com",
        "phone": "+1 5",
    }
    assert Note.objects.get(pk=note.pk).body == "Second call"

    with pytest.raises(ValidationError) as refused:
        edits.contact_update(contact=contact, name="Ann", email="not an email")
    assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        edits.note_update(note=note, body="   ")
    assert "body" in refused.value.message_dict
    assert (Contact.objects.get(pk=contact.pk).email, Note.objects.get(pk=note.pk).body) == (
        "ann.lee@example.com",
        "Second call",
    )

    edits.contact_delete(contact=contact)
    edits.note_delete(note=note)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not Note.objects.filter(pk=note.pk).exists()


def test_it_moves_a_tasks_reminder_with_its_due_date_and_deletes_it_with_the_task(owner) -> None:
    application = _applied(owner)
    task = task_add(application=application, title="Send portfolio", due_at=timezone.now() + timedelta(days=3))
    later = timezone.now() + timedelta(days=6)

    edits.task_update(task=task, title="Send the portfolio", due_at=later)

    [reminder] = Reminder.objects.filter(task=task)
    assert reminder.due_at == later - timedelta(hours=24)
    assert Task.objects.get(pk=task.pk).title == "Send the portfolio"

    with pytest.raises(ValidationError) as refused:
        edits.task_update(task=task, title="", due_at=None)
    assert "title" in refused.value.message_dict
    assert Task.objects.get(pk=task.pk).due_at == later

    edits.task_delete(task=task)
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Reminder.objects.filter(pk=reminder.pk).exists()


# ---------------------------------------------------------------------------------------------------------------------
# Delete, undo, purge
# ---------------------------------------------------------------------------------------------------------------------
def test_it_hides_a_deleted_application_everywhere_and_restores_it_whole(owner) -> None:
    application = _applied(owner)
    note_add(application=application, body="Keep me")
    events_before = list(application.events.values_list("pk", "to_stage", "occurred_at"))

    deletion.application_delete(application=application, by=owner)

    assert not Application.objects.filter(pk=application.pk).exists()
    assert board_for(user=owner).total == 0
    assert Application.all_objects.get(pk=application.pk).deleted_at is not None
    applications, postings = deletion.recently_deleted(user=owner)
    assert ([a.pk for a in applications], postings) == ([application.pk], [])

    deletion.application_restore(application=application, by=owner)

    restored = Application.objects.get(pk=application.pk)
    assert list(restored.events.values_list("pk", "to_stage", "occurred_at")) == events_before
    assert restored.notes.get().body == "Keep me"
    kinds = list(DomainEvent.objects.filter(subject_id=application.pk).values_list("kind", flat=True))
    assert kinds == ["application.created", "application.deleted", "application.restored"]


def test_it_does_not_send_a_deleted_applications_reminders(owner) -> None:
    application = _applied(owner, days_ago=30)  # its follow-up is due
    reminder = Reminder.objects.get(application=application)
    assert reminder.pk in reminders_due_ids()

    deletion.application_delete(application=application, by=owner)

    assert reminder.pk not in reminders_due_ids()


def test_it_deletes_a_posting_with_its_applications_and_undoes_them_together(owner) -> None:
    application = _applied(owner)
    posting = application.posting
    alone = application_create(owner=owner, posting=posting)
    deletion.application_delete(application=alone, by=owner)  # deleted earlier, on its own

    deletion.posting_delete(posting=posting, by=owner)

    assert not JobPosting.objects.filter(pk=posting.pk).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    applications, postings = deletion.recently_deleted(user=owner)
    assert (applications, [p.pk for p in postings]) == ([], [posting.pk])

    deletion.posting_restore(posting=posting, by=owner)

    assert JobPosting.objects.filter(pk=posting.pk).exists()
    assert Application.objects.filter(pk=application.pk).exists()
    assert not Application.objects.filter(pk=alone.pk).exists()  # its own delete stands


def test_it_refuses_an_undo_after_the_window_and_purges_then(owner) -> None:
    application = _applied(owner)
    kept = _applied(owner)
    deletion.application_delete(application=application, by=owner)
    posting_id = application.posting_id
    Application.all_objects.filter(pk=application.pk).update(
        deleted_at=timezone.now() - deletion.UNDO_WINDOW - timedelta(seconds=1)
    )
    JobPosting.objects.filter(pk=posting_id).update(deleted_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(ValidationError) as refused:
        deletion.application_restore(application=application, by=owner)
    assert "application" in refused.value.message_dict
    assert Application.all_objects.get(pk=application.pk).deleted_at is not None

    assert deletion.deleted_purge() == {
        "applications": 1,
        "postings": 1,
        "rows": 3,
    }  # the application, its step, its reminder

    assert not Application.all_objects.filter(pk=application.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=application.pk).exists()
    assert not JobPosting.all_objects.filter(pk=posting_id).exists()
    assert Application.objects.filter(pk=kept.pk).exists()
    # What happened stays counted, unlinked from the purged application (as an erasure leaves it).
    assert DomainEvent.objects.filter(kind="application.deleted", subject_id=None).count() == 1
    assert not DomainEvent.objects.filter(subject_id=application.pk, kind__startswith="application.").exists()


def test_it_leaves_what_is_within_the_window_to_the_purge(owner) -> None:
    application = _applied(owner)
    deletion.application_delete(application=application, by=owner)
    assert deletion.deleted_purge()["applications"] == 0
    assert Application.all_objects.filter(pk=application.pk).exists()
