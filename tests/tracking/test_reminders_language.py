"""A reminder is written in its recipient's language (their own, else their tenant's), whatever language the
worker or the request that scheduled it had active."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from accounts.models import User
from tracking import reminders
from tracking.models import Notification, Reminder, Stage
from tracking.services import application_create, posting_create
from tracking.tasks import reminder_send

pytestmark = pytest.mark.django_db


def _due_reminder(owner: User) -> Reminder:
    posting = posting_create(owner=owner, title="Backend Developer", company="Globex")
    application = application_create(
        owner=owner, posting=posting, stage=Stage.APPLIED, at=timezone.now() - timedelta(days=10)
    )
    return Reminder.objects.get(application=application)


def test_it_writes_a_reminder_in_the_recipients_own_language_not_the_workers(owner) -> None:
    User.objects.filter(pk=owner.pk).update(language="de")
    reminder = _due_reminder(owner)
    translation.activate("ja")  # whatever the worker last served

    assert reminders.reminder_claim(reminder_id=reminder.pk)
    assert reminders.reminder_deliver(reminder_id=reminder.pk) is True

    assert [message.subject for message in mail.outbox] == ["Zeit zum Nachfassen: Backend Developer bei Globex"]
    notification = Notification.objects.get(reminder=reminder)
    assert notification.title == "Zeit zum Nachfassen: Backend Developer bei Globex"
    assert translation.get_language() == "ja"  # the worker's language is left as it was


def test_it_writes_a_reminder_in_the_tenants_language_to_a_member_without_one(cast) -> None:
    with schema_context("beta"):  # beta's default language is French
        stranger = User.objects.get(email=cast.stranger_email)
        assert stranger.language == ""
        reminder = _due_reminder(stranger)

    with translation.override("en"):
        sent = reminder_send.apply(args=[reminder.pk], headers={"_schema_name": "beta"}).get()

    assert sent is True
    assert [message.subject for message in mail.outbox] == [
        "Il est temps de relancer\xa0: Backend Developer chez Globex"
    ]
