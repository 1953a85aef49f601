"""Follow-up reminders become due, are sent exactly once (twice-run, crashed and concurrent senders alike), can be
snoozed or turned off, and silent applications are flagged as likely ghosted for the user to confirm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import wait_until
from tracking import reminders
from tracking.models import Application, CandidateProfile, DomainEvent, JobPosting, Notification, Reminder, Stage
from tracking.services import application_create, posting_create
from tracking.tasks import reminder_send, reminders_due_dispatch


def _due_application(owner: User, *, days_ago: int = 10) -> Application:
    posting = posting_create(owner=owner, title="Backend Developer", company="Globex")
    return application_create(
        owner=owner, posting=posting, stage=Stage.APPLIED, at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_it_sends_a_due_reminder_once_even_when_the_task_runs_twice(owner) -> None:
    reminder = Reminder.objects.get(application=_due_application(owner))
    assert reminders.reminders_due_ids() == [reminder.pk]

    first = reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "alpha"}).get()
    second = reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "alpha"}).get()

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Time to follow up: Backend Developer at Globex"
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<reminder-alpha-{reminder.pk}@cvplus>"
    assert Notification.objects.filter(user=owner, reminder=reminder).count() == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert DomainEvent.objects.filter(kind=DomainEvent.Kind.REMINDER_SENT, subject_id=reminder.pk).count() == 1
    assert reminders.reminders_due_ids() == []


@pytest.mark.django_db
def test_it_emails_an_absolute_link_on_the_tenants_primary_domain(owner, settings) -> None:
    settings.SITE_SCHEME, settings.SITE_PORT = "https", 8443
    reminder = Reminder.objects.get(application=_due_application(owner))

    assert reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "alpha"}).get() is True

    link = f"https://alpha.localhost:8443/app/applications/{reminder.application_id}/"
    assert mail.outbox[0].body.endswith(f"\n\n{link}")
    assert Notification.objects.get(reminder=reminder).url == f"/app/applications/{reminder.application_id}/"


@pytest.mark.django_db
def test_it_sends_once_after_a_worker_died_mid_send(owner, monkeypatch) -> None:
    reminder = Reminder.objects.get(application=_due_application(owner))

    def die(**kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(reminders, "reminder_deliver", die)
        with pytest.raises(SystemExit):
            reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "alpha"}, throw=True)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENDING
    assert mail.outbox == []

    assert reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "alpha"}).get() is False  # lease held
    later = timezone.now() + reminders.CLAIM_LEASE + timedelta(seconds=1)
    assert reminders.reminders_due_ids(now=later) == [reminder.pk]
    assert reminders.reminder_claim(reminder_id=reminder.pk, now=later) is True
    assert reminders.reminder_deliver(reminder_id=reminder.pk) is True
    assert reminders.reminder_deliver(reminder_id=reminder.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_lets_the_user_snooze_or_turn_off_a_reminder(owner) -> None:
    snoozed = Reminder.objects.get(application=_due_application(owner))
    reminders.reminder_snooze(reminder=snoozed, days=3)
    assert snoozed.due_at > timezone.now() + timedelta(days=2)
    turned_off = Reminder.objects.get(application=_due_application(owner))
    reminders.reminder_turn_off(reminder=turned_off)
    assert turned_off.status == Reminder.Status.OFF
    assert reminders.reminders_due_ids() == []
    with pytest.raises(Exception, match="Snooze for 1 to 60 days"):
        reminders.reminder_snooze(reminder=snoozed, days=0)


@pytest.mark.django_db
def test_it_schedules_no_reminder_for_a_user_who_turned_them_off(owner) -> None:
    CandidateProfile.objects.update_or_create(user=owner, defaults={"reminders_enabled": False})
    assert not Reminder.objects.filter(application=_due_application(owner)).exists()


@pytest.mark.django_db
def test_it_flags_silent_applications_as_likely_ghosted_for_the_user_to_confirm(owner) -> None:
    silent = _due_application(owner, days_ago=40)
    recent = _due_application(owner, days_ago=5)
    assert reminders.applications_flag_likely_ghosted() == 1
    silent.refresh_from_db()
    recent.refresh_from_db()
    assert silent.likely_ghosted_since is not None
    assert silent.stage == Stage.APPLIED
    assert recent.likely_ghosted_since is None
    assert reminders.applications_flag_likely_ghosted() == 0


def test_it_sends_each_reminder_once_with_concurrent_senders_on_a_real_worker(cast, celery_worker) -> None:
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        applications = [_due_application(owner) for _ in range(3)]
        due = set(Reminder.objects.filter(application__in=applications).values_list("pk", flat=True))
    try:
        with schema_context("alpha"):
            reminders_due_dispatch.delay()
            for reminder_id in due:  # duplicates racing the dispatched sends
                reminder_send.delay(reminder_id)

            def all_sent() -> bool:
                return Reminder.objects.filter(pk__in=due, status=Reminder.Status.SENT).count() == len(due)

            assert wait_until(all_sent)
        assert len([m for m in mail.outbox if "Globex" in m.subject]) == len(due)
        with schema_context("alpha"):
            assert Notification.objects.filter(reminder_id__in=due).count() == len(due)
    finally:
        with schema_context("alpha"):
            for application in applications:
                application.delete()
            JobPosting.objects.filter(owner=owner, company="Globex").delete()
            DomainEvent.objects.all().delete()


@pytest.mark.django_db
def test_it_turns_off_scheduled_reminders_when_the_user_turns_reminders_off(owner) -> None:
    from tracking.services import profile_update

    reminder = Reminder.objects.get(application=_due_application(owner))
    profile_update(user=owner, reminders_enabled=False)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.OFF
    assert reminders.reminders_due_ids() == []
