"""The reminder-wording experiment: the follow-up reminder sent after applying is worded by the recipient's variant
("control": the usual text, "direct": a shorter one that names the action), in the recipient's language; sending it
records the exposure once; other reminders are worded as before and expose nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from analytics.experiments.catalogue import CONTROL, DIRECT, REMINDER_WORDING
from analytics.models import Exposure
from tests.analytics.experiment_support import experiment_make, fresh_caches, person  # noqa: F401
from tracking import reminders
from tracking.models import Notification, Reminder, Stage
from tracking.services import application_create, posting_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def due_follow_up(owner) -> Reminder:
    posting = posting_create(owner=owner, title="Backend Developer", company="Globex")
    application = application_create(
        owner=owner, posting=posting, stage=Stage.APPLIED, at=timezone.now() - timedelta(days=10)
    )
    return Reminder.objects.get(application=application)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_two_wordings_differ_in_every_language_and_control_is_the_usual_text(cast, language) -> None:
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        reminder = due_follow_up(owner)
        with translation.override(language):
            usual = reminders._message_for(reminder)
            control = reminders._message_for(reminder, wording=CONTROL)
            direct = reminders._message_for(reminder, wording=DIRECT)
            expected_title = translation.gettext("Time to follow up: %(job)s") % {
                "job": translation.gettext("%(title)s at %(company)s")
                % {"title": "Backend Developer", "company": "Globex"}
            }
    assert control == usual
    assert control[0] == expected_title
    assert direct[0] != control[0]
    assert direct[1] != control[1]
    assert "Backend Developer" in direct[0]


@pytest.mark.parametrize(("variant", "weights"), [(DIRECT, [[CONTROL, 0], [DIRECT, 100]]), (CONTROL, None)])
def test_sending_a_follow_up_words_it_by_variant_and_records_the_exposure_once(cast, variant, weights) -> None:
    experiment_make(REMINDER_WORDING, variants=weights or [[CONTROL, 100], [DIRECT, 0]])
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        reminder = due_follow_up(owner)
        with translation.override("en"):
            expected_title, _body = reminders._message_for(reminder, wording=variant)
        assert reminders.reminder_claim(reminder_id=reminder.pk)
        assert reminders.reminder_deliver(reminder_id=reminder.pk) is True
        assert reminders.reminder_deliver(reminder_id=reminder.pk) is False  # sent once
        notification = Notification.objects.get(reminder=reminder)

    assert notification.title == expected_title
    assert [message.subject for message in mail.outbox] == [expected_title]
    [exposure] = Exposure.objects.all()
    assert (exposure.variant, exposure.user_id, exposure.tenant_id) == (variant, owner.pk, cast.tenant_a.pk)


def test_a_task_reminder_is_worded_as_before_and_exposes_nobody(cast) -> None:
    from tests.tracking.factories import ReminderFactory

    experiment_make(REMINDER_WORDING, variants=[[CONTROL, 0], [DIRECT, 100]])
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        reminder = due_follow_up(owner)
        task_reminder = ReminderFactory(
            application=reminder.application, kind=Reminder.Kind.AFTER_INTERVIEW, due_at=timezone.now()
        )
        assert reminders.reminder_claim(reminder_id=task_reminder.pk)
        assert reminders.reminder_deliver(reminder_id=task_reminder.pk) is True
    assert mail.outbox[0].subject.startswith("Follow up on your interview")
    assert not Exposure.objects.exists()
