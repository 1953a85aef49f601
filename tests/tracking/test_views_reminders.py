"""The reminders page: due and upcoming reminders (snooze, turn off) and in-app notifications (mark read)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.tracking.test_views import make_application, nav_count  # noqa: F401 - a fixture
from tracking.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def test_it_lists_due_and_upcoming_reminders(owner, owner_client) -> None:
    make_application(owner, title="Old job", days_ago=10)  # follow-up due 3 days ago
    make_application(owner, title="New job", days_ago=1)  # follow-up due in 6 days
    page = owner_client.get("/app/reminders/").content.decode()
    due, upcoming = page.split('id="due-h"')[1].split('id="upcoming-h"')
    assert "Old job" in due
    assert "New job" not in due
    assert "New job" in upcoming.split('id="notifications-h"')[0]


def test_it_snoozes_a_reminder_and_returns_to_the_reminders_page(owner, owner_client) -> None:
    application = make_application(owner, days_ago=10)
    with schema_context("alpha"):
        reminder = Reminder.objects.get(application=application)
    before = timezone.now()
    response = owner_client.post(f"/app/reminders/{reminder.pk}/snooze/", {"days": "3", "return_to": "reminders"})
    assert response.status_code == 302
    assert response["Location"] == "/app/reminders/"
    with schema_context("alpha"):
        reminder.refresh_from_db()
    assert before + timedelta(days=3) <= reminder.due_at <= timezone.now() + timedelta(days=3)


def test_it_refuses_a_snooze_length_not_offered(owner, owner_client) -> None:
    application = make_application(owner, days_ago=10)
    with schema_context("alpha"):
        reminder = Reminder.objects.get(application=application)
    owner_client.post(f"/app/reminders/{reminder.pk}/snooze/", {"days": "365"})
    with schema_context("alpha"):
        assert Reminder.objects.get(pk=reminder.pk).due_at == reminder.due_at


def test_it_turns_a_reminder_off_from_the_application_page(owner, owner_client) -> None:
    application = make_application(owner)
    with schema_context("alpha"):
        reminder = Reminder.objects.get(application=application)
    response = owner_client.post(f"/app/reminders/{reminder.pk}/off/", {"return_to": "application"})
    assert response["Location"] == f"/app/applications/{application.pk}/"
    with schema_context("alpha"):
        assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.OFF


def _notification(owner, application) -> Notification:
    with schema_context("alpha"):
        return Notification.objects.create(
            user=owner, title="Time to follow up: Data Engineer at Acme", url=f"/app/applications/{application.pk}/"
        )


def test_it_marks_a_notification_read_and_answers_htmx_with_the_item(owner, owner_client) -> None:
    notification = _notification(owner, make_application(owner))
    page = owner_client.get("/app/reminders/").content.decode()
    assert "Time to follow up: Data Engineer at Acme" in page
    assert "1 unread" in page
    response = owner_client.post(f"/app/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<li class="notification" id="notification-{notification.pk}"')
    with schema_context("alpha"):
        assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_it_marks_every_notification_read(owner, owner_client) -> None:
    application = make_application(owner)
    _notification(owner, application)
    _notification(owner, application)
    assert owner_client.post("/app/notifications/read-all/").status_code == 302
    with schema_context("alpha"):
        assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()


@pytest.mark.usefixtures("nav_count")
def test_it_counts_unread_notifications_in_the_nav(owner, owner_client) -> None:
    _notification(owner, make_application(owner))
    page = owner_client.get("/app/cv/").content.decode()
    assert '<span class="nav-count">1<span class="visually-hidden"> unread</span></span>' in page
