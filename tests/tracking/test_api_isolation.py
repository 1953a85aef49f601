"""The API fails closed: another user's object (same tenant) or another tenant's is a 404 carrying none of its data,
anonymous callers are refused, objects referenced in input must be the caller's own, and a refused write changes
nothing."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.factories import one_of_everything
from tracking.models import (
    Application,
    ApplicationEvent,
    Contact,
    CVDocument,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Task,
)

pytestmark = pytest.mark.django_db

MARKER = "Zebracorn"

# (method, path with {placeholders} filled from the owner's objects, JSON body)
OBJECT_ENDPOINTS = [
    ("get", "/api/v1/cvs/{cv}/", None),
    ("get", "/api/v1/cvs/{cv}/conventions/", None),
    ("get", "/api/v1/postings/{posting}/", None),
    ("patch", "/api/v1/postings/{posting}/", {"url": "https://attacker.example/"}),
    ("delete", "/api/v1/postings/{posting}/", None),
    ("get", "/api/v1/applications/{application}/", None),
    ("post", "/api/v1/applications/{application}/move/", {"to_stage": "screening"}),
    ("get", "/api/v1/applications/{application}/events/", None),
    ("get", "/api/v1/applications/{application}/contacts/", None),
    ("post", "/api/v1/applications/{application}/contacts/", {"name": "Eve"}),
    ("get", "/api/v1/applications/{application}/notes/", None),
    ("post", "/api/v1/applications/{application}/notes/", {"body": "planted"}),
    ("get", "/api/v1/applications/{application}/tasks/", None),
    ("post", "/api/v1/applications/{application}/tasks/", {"title": "planted"}),
    ("post", "/api/v1/tasks/{task}/complete/", None),
    ("post", "/api/v1/reminders/{reminder}/snooze/", {"days": 3}),
    ("post", "/api/v1/reminders/{reminder}/turn-off/", None),
    ("post", "/api/v1/notifications/{notification}/read/", None),
]
COLLECTION_ENDPOINTS = [
    ("get", "/api/v1/profile/", None),
    ("patch", "/api/v1/profile/", {"headline": "planted"}),
    ("get", "/api/v1/cvs/", None),
    ("get", "/api/v1/cvs/conventions/", None),
    ("post", "/api/v1/cvs/", {"text": "planted CV text that is long enough to read."}),
    ("get", "/api/v1/postings/", None),
    ("post", "/api/v1/postings/", {"title": "Planted", "company": "Planted"}),
    ("get", "/api/v1/applications/", None),
    ("post", "/api/v1/applications/", {"posting": 1}),
    ("get", "/api/v1/reminders/", None),
    ("get", "/api/v1/notifications/", None),
]


@pytest.fixture
def owners_things(cast) -> dict[str, object]:
    with schema_context("alpha"):
        return one_of_everything(User.objects.get(email=cast.owner_email), marker=MARKER)


def _path(template: str, things: dict[str, object]) -> str:
    return template.format(**{name: obj.pk for name, obj in things.items()})


def _call(client, method: str, path: str, body: dict | None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


def _alpha_state(things: dict[str, object]) -> dict[str, object]:
    """Everything a refused write could have changed in the owner's tenant."""
    with schema_context("alpha"):
        reminder = Reminder.objects.get(pk=things["reminder"].pk)
        return {
            "counts": [
                model.objects.count()
                for model in (CVDocument, JobPosting, Application, ApplicationEvent, Contact, Note, Task, Reminder)
            ],
            "stage": Application.objects.get(pk=things["application"].pk).stage,
            "url": JobPosting.objects.get(pk=things["posting"].pk).url,
            "task_done_at": Task.objects.get(pk=things["task"].pk).done_at,
            "reminder": (reminder.status, reminder.due_at),
            "notification_read_at": Notification.objects.get(pk=things["notification"].pk).read_at,
        }


@pytest.mark.parametrize(("method", "template", "body"), OBJECT_ENDPOINTS)
def test_it_returns_404_for_another_users_object_and_changes_nothing(
    cast, client_a, owners_things, method, template, body
) -> None:
    before = _alpha_state(owners_things)
    login(client_a, cast.member_email)
    response = _call(client_a, method, _path(template, owners_things), body)
    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    assert _alpha_state(owners_things) == before


@pytest.mark.parametrize(("method", "template", "body"), OBJECT_ENDPOINTS)
def test_it_returns_404_for_another_tenants_object_and_changes_nothing(
    cast, client_b, owners_things, method, template, body
) -> None:
    before = _alpha_state(owners_things)
    with schema_context("beta"):
        assert not Application.objects.exists()  # so the owner's ids name nothing in beta either
    login(client_b, cast.stranger_email)
    response = _call(client_b, method, _path(template, owners_things), body)
    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    assert _alpha_state(owners_things) == before
    with schema_context("beta"):
        assert [model.objects.count() for model in (Contact, Note, Task)] == [0, 0, 0]


@pytest.mark.parametrize(("method", "template", "body"), OBJECT_ENDPOINTS + COLLECTION_ENDPOINTS)
def test_it_refuses_anonymous_callers_and_changes_nothing(client_a, owners_things, method, template, body) -> None:
    before = _alpha_state(owners_things)
    response = _call(client_a, method, _path(template, owners_things), body)
    assert response.status_code in (401, 403)
    assert MARKER not in response.content.decode()
    assert _alpha_state(owners_things) == before


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cvs/", "/api/v1/postings/", "/api/v1/applications/", "/api/v1/reminders/", "/api/v1/notifications/"],
)
def test_it_lists_none_of_another_users_objects(cast, client_a, owners_things, path) -> None:
    login(client_a, cast.member_email)
    response = client_a.get(path)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert MARKER not in response.content.decode()


def test_it_refuses_to_link_an_application_to_another_users_posting(cast, client_a, owners_things) -> None:
    before = _alpha_state(owners_things)
    login(client_a, cast.member_email)
    response = client_a.post(
        "/api/v1/applications/", {"posting": owners_things["posting"].pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"posting": ["Choose one of your own job postings."]}
    assert _alpha_state(owners_things) == before


def test_it_refuses_to_pin_another_users_cv_to_an_application(cast, client_a, owners_things) -> None:
    from tests.tracking.factories import JobPostingFactory

    with schema_context("alpha"):
        members_posting = JobPostingFactory(owner=User.objects.get(email=cast.member_email))
    before = _alpha_state(owners_things)
    login(client_a, cast.member_email)
    response = client_a.post(
        "/api/v1/applications/",
        {"posting": members_posting.pk, "cv": owners_things["cv"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"cv": ["Choose one of your own CV versions."]}
    assert _alpha_state(owners_things) == before


def test_it_refuses_a_subclass_that_overrides_the_scoped_queryset() -> None:
    from tracking.api.base import UserScopedViewSet

    with pytest.raises(TypeError, match="must not define"):

        class LeakyViewSet(UserScopedViewSet):
            model = Application

            def get_queryset(self):
                return Application.objects.all()
