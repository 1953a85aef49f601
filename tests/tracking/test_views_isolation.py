"""Every object URL under /app/ answers another user's request with a 404 and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.test_views import make_application
from tests.tracking.test_views_cv import make_cv
from tracking.models import Application, Contact, CVCorrection, Note, Notification, Reminder, Task
from tracking.services import task_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners_objects(cast) -> dict:
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
    application = make_application(owner, days_ago=10)
    cv = make_cv(owner, content=b"Olive's CV", original_name="olive.txt")
    with schema_context("alpha"):
        Application.objects.filter(pk=application.pk).update(likely_ghosted_since=timezone.now())
        task = task_add(application=application, title="Call back", due_at=timezone.now() + timedelta(days=3))
        reminder = Reminder.objects.get(application=application, task__isnull=True)
        notification = Notification.objects.create(user=owner, title="Follow up")
    return {"application": application, "cv": cv, "task": task, "reminder": reminder, "notification": notification}


def _urls(objects: dict) -> list[tuple[str, str, dict]]:
    app = objects["application"].pk
    return [
        ("get", f"/app/applications/{app}/", {}),
        ("post", f"/app/applications/{app}/move/", {"to_stage": "interviewing"}),
        ("post", f"/app/applications/{app}/move/", {"to_stage": "interviewing", "return_to": "board"}),
        ("post", f"/app/applications/{app}/not-ghosted/", {}),
        ("post", f"/app/applications/{app}/contacts/", {"name": "Intruder"}),
        ("post", f"/app/applications/{app}/notes/", {"body": "Intruder"}),
        ("post", f"/app/applications/{app}/tasks/", {"title": "Intruder"}),
        ("post", f"/app/tasks/{objects['task'].pk}/done/", {}),
        ("post", f"/app/reminders/{objects['reminder'].pk}/snooze/", {"days": "7"}),
        ("post", f"/app/reminders/{objects['reminder'].pk}/off/", {}),
        ("post", f"/app/notifications/{objects['notification'].pk}/read/", {}),
        ("get", f"/app/cv/{objects['cv'].pk}/", {}),
        ("get", f"/app/cv/{objects['cv'].pk}/file/", {}),
        ("post", f"/app/cv/{objects['cv'].pk}/corrections/", {"skills_added": "Intruder", "years_experience": "1"}),
        ("get", f"/app/applications/new/?posting={objects['application'].posting_id}", {}),
    ]


def _snapshot(objects: dict) -> tuple:
    application = Application.objects.get(pk=objects["application"].pk)
    reminder = Reminder.objects.get(pk=objects["reminder"].pk)
    return (
        application.stage,
        application.likely_ghosted_since,
        application.stage_changed_at,
        Contact.objects.count(),
        Note.objects.count(),
        Task.objects.count(),
        Task.objects.get(pk=objects["task"].pk).done_at,
        reminder.status,
        reminder.due_at,
        Notification.objects.get(pk=objects["notification"].pk).read_at,
        CVCorrection.objects.count(),
    )


def test_it_returns_404_for_every_object_of_another_user_in_the_same_tenant(cast, client_a, owners_objects) -> None:
    login(client_a, cast.member_email)
    with schema_context("alpha"):
        before = _snapshot(owners_objects)
    for method, url, data in _urls(owners_objects):
        response = getattr(client_a, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert b"Olive" not in response.content, url
    with schema_context("alpha"):
        assert _snapshot(owners_objects) == before


def test_it_returns_404_for_every_object_of_a_user_in_another_tenant(cast, client_b, owners_objects) -> None:
    login(client_b, cast.stranger_email)
    for method, url, data in _urls(owners_objects):
        assert getattr(client_b, method)(url, data).status_code == 404, (method, url)


def test_it_shows_another_users_board_without_the_owners_applications(cast, client_a, owners_objects) -> None:
    login(client_a, cast.member_email)
    page = client_a.get("/app/").content.decode()
    assert "Data Engineer" not in page
    assert "Nothing on your board yet" in page


def test_it_refuses_another_users_posting_and_cv_in_the_add_forms(cast, client_a, owners_objects) -> None:
    login(client_a, cast.member_email)
    response = client_a.post(
        "/app/applications/new/",
        {"posting": owners_objects["application"].posting_id, "channel": "job_board", "stage": "applied"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    with schema_context("alpha"):
        assert Application.objects.count() == 1
