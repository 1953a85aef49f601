"""Applications over the API: create, list and filter, move through the stage machine, history, and the contacts,
notes and tasks on an application; refusals name the field in the user's language; lists cost a fixed number of
queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.tracking.factories import (
    ApplicationFactory,
    ContactFactory,
    CVDocumentFactory,
    JobPostingFactory,
    NoteFactory,
    TaskFactory,
)
from tracking.models import Application, ApplicationEvent, Contact, Note, Reminder, Stage, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner) -> Application:
    with schema_context("alpha"):
        return ApplicationFactory(owner=owner, cv=CVDocumentFactory(owner=owner))


def _state(application: Application) -> tuple:
    with schema_context("alpha"):
        row = Application.objects.get(pk=application.pk)
        return row.stage, row.stage_changed_at, row.offer_amount, ApplicationEvent.objects.count()


def test_it_creates_an_application_pinning_the_users_posting_and_cv(owner, owner_client) -> None:
    with schema_context("alpha"):
        posting, cv = JobPostingFactory(owner=owner), CVDocumentFactory(owner=owner)
    response = owner_client.post(
        "/api/v1/applications/",
        {"posting": posting.pk, "cv": cv.pk, "stage": "applied", "channel": "referral"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["posting"]["id"], body["posting"]["title"], body["cv"]) == (posting.pk, posting.title, cv.pk)
    assert (body["stage"], body["channel"]) == ("applied", "referral")
    with schema_context("alpha"):
        created = Application.objects.get(pk=body["id"])
        assert (created.owner_id, created.posting_id, created.cv_id) == (owner.pk, posting.pk, cv.pk)
        assert list(created.events.values_list("to_stage", flat=True)) == ["applied"]


def test_it_refuses_a_new_application_in_a_later_stage_naming_the_field(owner, owner_client) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner)
    response = owner_client.post(
        "/api/v1/applications/", {"posting": posting.pk, "stage": "offer"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"stage": ["A new application starts as saved or applied."]}
    with schema_context("alpha"):
        assert not Application.objects.exists()


def test_it_retrieves_an_application_with_its_posting_and_pinned_cv(application, owner_client) -> None:
    response = owner_client.get(f"/api/v1/applications/{application.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == application.pk
    assert body["cv"] == application.cv_id
    assert body["posting"]["id"] == application.posting_id
    assert body["posting"]["description"] == application.posting.description
    assert body["stage"] == "applied"


def test_it_lists_applications_filtered_by_stage(owner, owner_client) -> None:
    with schema_context("alpha"):
        applied = ApplicationFactory(owner=owner, stage=Stage.APPLIED)
        saved = ApplicationFactory(owner=owner, stage=Stage.SAVED)
    everything = owner_client.get("/api/v1/applications/").json()
    assert {row["id"] for row in everything["results"]} == {applied.pk, saved.pk}
    only_saved = owner_client.get("/api/v1/applications/?stage=saved").json()
    assert [row["id"] for row in only_saved["results"]] == [saved.pk]
    assert only_saved["results"][0]["posting"]["title"] == saved.posting.title


def test_it_refuses_an_unknown_stage_filter_naming_it(owner_client) -> None:
    response = owner_client.get("/api/v1/applications/?stage=hired")
    assert response.status_code == 400
    assert list(response.json()) == ["stage"]


@pytest.mark.parametrize("rows", [1, 20])
def test_it_lists_applications_in_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries, rows):
    with schema_context("alpha"):
        for _ in range(rows):
            ApplicationFactory(owner=owner, cv=CVDocumentFactory(owner=owner))
    # user, count, page (postings joined; the session comes from the cache): 3 statements after SET search_path
    with django_assert_num_queries(1 + 3):
        response = owner_client.get("/api/v1/applications/")
    assert response.json()["count"] == rows


def test_it_moves_an_application_and_records_the_event(application, owner_client) -> None:
    at = timezone.now() - timedelta(days=1)
    response = owner_client.post(
        f"/api/v1/applications/{application.pk}/move/",
        {"to_stage": "interviewing", "at": at.isoformat(), "note": "First round"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["interview_round"]) == ("interviewing", 1)
    with schema_context("alpha"):
        event = ApplicationEvent.objects.filter(application=application).latest("occurred_at")
        assert (event.from_stage, event.to_stage, event.note, event.occurred_at) == (
            "applied",
            "interviewing",
            "First round",
            at,
        )


def test_it_records_an_offer_with_its_amount(application, owner_client) -> None:
    response = owner_client.post(
        f"/api/v1/applications/{application.pk}/move/",
        {"to_stage": "offer", "offer_amount": "85000.00", "offer_currency": "eur"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["offer_amount"], response.json()["offer_currency"]) == ("85000.00", "EUR")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"to_stage": "screening", "at": "2999-01-01T00:00:00Z"}, {"at": ["The date cannot be in the future."]}),
        ({"to_stage": "saved"}, {"to_stage": ["An application cannot move from Applied to Saved."]}),
        (
            {"to_stage": "offer", "offer_currency": "EUR"},
            {"offer_amount": ["Enter the amount of the offer."]},
        ),
        ({"to_stage": "screening", "offer_amount": "100"}, {"offer_amount": ["Only an offer has an amount."]}),
    ],
    ids=["future-date", "illegal-move", "offer-without-amount", "amount-without-offer"],
)
def test_it_refuses_a_bad_move_naming_the_field_and_changes_nothing(application, owner_client, body, expected):
    before = _state(application)
    response = owner_client.post(f"/api/v1/applications/{application.pk}/move/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == expected
    assert _state(application) == before


def test_it_names_the_field_of_a_refused_move_in_german(application, owner_client) -> None:
    response = owner_client.post(
        f"/api/v1/applications/{application.pk}/move/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert response.json() == {"to_stage": ["Dieses Feld ist zwingend erforderlich."]}


def test_it_passes_a_services_refusal_through_in_the_users_language(application, owner_client) -> None:
    from django.utils import translation

    response = owner_client.post(
        f"/api/v1/applications/{application.pk}/move/",
        {"to_stage": "screening", "at": "2999-01-01T00:00:00Z"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    with translation.override("de"):
        assert response.json() == {"at": [translation.gettext("The date cannot be in the future.")]}


def test_it_lists_an_applications_events_oldest_first(application, owner, owner_client, django_assert_num_queries):
    owner_client.post(
        f"/api/v1/applications/{application.pk}/move/", {"to_stage": "screening"}, content_type="application/json"
    )
    # user, the application, count, page (the session comes from the cache): 4 statements after SET search_path
    with django_assert_num_queries(1 + 4):
        response = owner_client.get(f"/api/v1/applications/{application.pk}/events/")
    assert response.status_code == 200
    assert [(row["from_stage"], row["to_stage"]) for row in response.json()["results"]] == [
        ("", "applied"),
        ("applied", "screening"),
    ]


@pytest.mark.parametrize(
    ("children", "factory", "body", "model", "shown"),
    [
        ("contacts", ContactFactory, {"name": "Rita Recruiter", "email": "rita@acme.example"}, Contact, "name"),
        ("notes", NoteFactory, {"body": "Asked about the team <b>size</b>."}, Note, "body"),
        ("tasks", TaskFactory, {"title": "Send portfolio"}, Task, "title"),
    ],
)
def test_it_adds_and_lists_an_applications_children(
    application, owner_client, django_assert_num_queries, children, factory, body, model, shown
) -> None:
    url = f"/api/v1/applications/{application.pk}/{children}/"
    created = owner_client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    with schema_context("alpha"):
        row = model.objects.get(pk=created.json()["id"])
        assert row.application_id == application.pk
        assert "<b>" not in getattr(row, shown)
    for rows in (1, 20):
        with schema_context("alpha"):
            factory.create_batch(rows - model.objects.filter(application=application).count(), application=application)
        # user, the application, count, page (the session comes from the cache): 4 statements after SET search_path
        with django_assert_num_queries(1 + 4):
            listed = owner_client.get(url)
        assert listed.status_code == 200
        assert listed.json()["count"] == rows


def test_it_refuses_a_nameless_contact_naming_the_field(application, owner_client) -> None:
    response = owner_client.post(
        f"/api/v1/applications/{application.pk}/contacts/", {"name": "<b></b>"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["Enter the contact's name."]}
    with schema_context("alpha"):
        assert not Contact.objects.exists()


def test_it_completes_a_task_and_cancels_its_reminder(application, owner_client) -> None:
    due = timezone.now() + timedelta(days=3)
    created = owner_client.post(
        f"/api/v1/applications/{application.pk}/tasks/",
        {"title": "Prepare questions", "due_at": due.isoformat()},
        content_type="application/json",
    ).json()
    with schema_context("alpha"):
        assert Reminder.objects.get(task_id=created["id"]).status == Reminder.Status.SCHEDULED
    response = owner_client.post(f"/api/v1/tasks/{created['id']}/complete/")
    assert response.status_code == 200
    assert response.json()["done_at"] is not None
    with schema_context("alpha"):
        assert Task.objects.get(pk=created["id"]).done_at is not None
        assert Reminder.objects.get(task_id=created["id"]).status == Reminder.Status.CANCELLED
