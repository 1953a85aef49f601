"""The pages that correct, reopen and delete (tracking/views/edits.py): each edit form saves what it says, refuses
bad input with the field named and nothing changed, every delete asks first and can be undone from the board, and
every new URL is a 404 for anyone but the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import login
from tests.tracking.inline_tasks import tasks_inline
from tests.tracking.test_views import make_application
from tests.tracking.test_views_cv import make_cv
from tracking.cv.services import cv_latest
from tracking.models import Application, ApplicationEvent, Contact, CVDocument, JobPosting, Note, Stage, Task
from tracking.services import application_move, contact_add, note_add, task_add

pytestmark = pytest.mark.django_db


def _posting_form(posting: JobPosting, **changes) -> dict:
    values = {
        "title": posting.title,
        "company": posting.company,
        "location": posting.location,
        "country": posting.country,
        "employment_type": posting.employment_type,
        "remote": posting.remote,
        "industry": "",
        "salary_min": "",
        "salary_max": "",
        "salary_currency": "",
        "salary_period": "year",
        "description": posting.description,
        "url": posting.url,
    }
    return values | changes


def _rows(*objects) -> list[dict]:
    with schema_context("alpha"):
        rows = []
        for obj in objects:
            manager = getattr(type(obj), "all_objects", type(obj).objects)
            rows.append(model_to_dict(manager.get(pk=obj.pk)))
        return rows


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def test_it_edits_a_posting_and_shows_a_weekly_wage_per_week(owner, owner_client) -> None:
    application = make_application(owner, title="Truck Driver")
    posting = application.posting
    assert 'value="Truck Driver"' in owner_client.get(f"/app/postings/{posting.pk}/edit/").content.decode()

    response = owner_client.post(
        f"/app/postings/{posting.pk}/edit/",
        _posting_form(posting, salary_min="1200", salary_max="1500", salary_currency="usd", salary_period="week"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/app/applications/{application.pk}/"
    page = owner_client.get(response["Location"]).content.decode()
    salary = page.split('id="posting-salary">')[1].split("</dd>")[0]
    assert "1,200–1,500 USD per week" in " ".join(salary.split())
    assert "per year" not in salary


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"salary_min": "90", "salary_max": "80", "salary_currency": "USD"}, "The upper salary must not be below"),
        ({"salary_min": "90"}, "Say which currency the salary is in."),
        ({"salary_min": "9", "salary_currency": "USD", "salary_period": "fortnight"}, "Choose per hour, per day"),
        ({"country": "Germany"}, "Ensure this value has at most 2 characters"),
        ({"salary_min": "abc"}, "Enter a number."),
    ],
)
def test_it_refuses_a_bad_posting_edit_with_the_field_named_and_nothing_changed(
    owner, owner_client, changes, message
) -> None:
    posting = make_application(owner).posting
    before = _rows(posting)

    response = owner_client.post(f"/app/postings/{posting.pk}/edit/", _posting_form(posting, **changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'class="field has-error' in page
    assert _rows(posting) == before


# ---------------------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------------------
def test_it_edits_how_the_seeker_applied(owner, owner_client) -> None:
    application = make_application(owner, days_ago=3)
    cv = make_cv(owner)
    day = timezone.localdate() - timedelta(days=6)

    response = owner_client.post(
        f"/app/applications/{application.pk}/edit/",
        {"channel": "referral", "cv": cv.pk, "applied_on": day.isoformat()},
    )

    assert response.status_code == 302
    with schema_context("alpha"):
        stored = Application.objects.get(pk=application.pk)
        assert (stored.channel, stored.cv_id, timezone.localdate(stored.applied_at)) == ("referral", cv.pk, day)
        assert stored.events.get().occurred_at == stored.applied_at
    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()
    assert "Referral" in page
    assert f"Version {cv.version}" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"channel": "carrier pigeon"}, "Choose how you applied from the list."),
        ({"channel": "referral", "applied_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"channel": "referral", "applied_on": "yesterday"}, "Enter a valid date."),
        ({"channel": "referral", "cv": "999999"}, "Choose one of your own CV versions."),
    ],
)
def test_it_refuses_a_bad_application_edit_with_the_field_named_and_nothing_changed(
    owner, owner_client, data, field_message
) -> None:
    application = make_application(owner)
    before = _rows(application)

    response = owner_client.post(f"/app/applications/{application.pk}/edit/", data)

    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert _rows(application) == before


def test_it_refuses_another_users_cv_in_the_application_edit(owner, member, owner_client) -> None:
    application = make_application(owner)
    theirs = make_cv(member)
    response = owner_client.post(f"/app/applications/{application.pk}/edit/", {"channel": "referral", "cv": theirs.pk})
    assert response.status_code == 400
    assert "Choose one of your own CV versions." in response.content.decode()
    with schema_context("alpha"):
        assert Application.objects.get(pk=application.pk).cv_id is None


def test_it_reopens_a_rejected_application_from_its_page(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.SCREENING, days_ago=5)
    with schema_context("alpha"):
        application_move(application=application, to_stage=Stage.REJECTED, by=owner)
    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()
    assert "This application is closed." in page
    assert "Reopen it" in page

    response = owner_client.post(f"/app/applications/{application.pk}/reopen/", {"to_stage": "screening"})

    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "Rejected → Screening" in timeline
    assert "Reopened" in timeline
    with schema_context("alpha"):
        assert Application.objects.get(pk=application.pk).stage == Stage.SCREENING


def test_it_refuses_to_reopen_at_a_stage_never_reached(owner, owner_client) -> None:
    application = make_application(owner, stage=Stage.APPLIED)
    with schema_context("alpha"):
        application_move(application=application, to_stage=Stage.WITHDRAWN, by=owner)
    response = owner_client.post(f"/app/applications/{application.pk}/reopen/", {"to_stage": "offer"})
    assert response.status_code == 400
    assert "Choose a stage from the list." in response.content.decode()
    with schema_context("alpha"):
        assert Application.objects.get(pk=application.pk).stage == Stage.WITHDRAWN


# ---------------------------------------------------------------------------------------------------------------------
# Delete and undo
# ---------------------------------------------------------------------------------------------------------------------
def test_it_asks_before_deleting_an_application_and_offers_undo_on_the_board(owner, owner_client) -> None:
    application = make_application(owner, title="Data Engineer")
    confirm = owner_client.get(f"/app/applications/{application.pk}/delete/")
    assert confirm.status_code == 200
    assert "Delete your application for “Data Engineer” at Acme?" in confirm.content.decode()
    with schema_context("alpha"):
        assert Application.objects.filter(pk=application.pk).exists()  # asking deleted nothing

    response = owner_client.post(f"/app/applications/{application.pk}/delete/", follow=True)

    page = response.content.decode()
    assert 'class="message warning"' in page
    assert "You can undo this on your board for 10 minutes." in page
    assert "Nothing on your board yet" in page
    assert f'action="/app/applications/{application.pk}/restore/"' in page
    assert owner_client.get(f"/app/applications/{application.pk}/").status_code == 404

    restored = owner_client.post(f"/app/applications/{application.pk}/restore/")

    assert restored["Location"] == f"/app/applications/{application.pk}/"
    assert "Data Engineer" in owner_client.get("/app/").content.decode()


def test_it_deletes_a_posting_with_its_application_and_undoes_both(owner, owner_client) -> None:
    application = make_application(owner, title="Data Engineer")
    posting = application.posting
    confirm = owner_client.get(f"/app/postings/{posting.pk}/delete/").content.decode()
    assert "Your application to it is deleted with it." in confirm

    owner_client.post(f"/app/postings/{posting.pk}/delete/")

    board = owner_client.get("/app/").content.decode()
    assert "Deleted the posting “Data Engineer” at Acme." in board
    assert owner_client.get(f"/app/postings/{posting.pk}/edit/").status_code == 404

    owner_client.post(f"/app/postings/{posting.pk}/restore/")

    assert owner_client.get(f"/app/applications/{application.pk}/").status_code == 200


def test_it_says_when_an_undo_comes_too_late(owner, owner_client) -> None:
    application = make_application(owner)
    owner_client.post(f"/app/applications/{application.pk}/delete/")
    with schema_context("alpha"):
        Application.all_objects.filter(pk=application.pk).update(deleted_at=timezone.now() - timedelta(hours=1))

    response = owner_client.post(f"/app/applications/{application.pk}/restore/", follow=True)

    assert "It is too late to undo this delete." in response.content.decode()
    with schema_context("alpha"):
        assert not Application.objects.filter(pk=application.pk).exists()


# ---------------------------------------------------------------------------------------------------------------------
# Contacts, notes and tasks
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def attached(owner) -> dict:
    application = make_application(owner)
    with schema_context("alpha"):
        return {
            "application": application,
            "contact": contact_add(application=application, name="Ann", email="ann@example.com"),
            "note": note_add(application=application, body="Olive's note"),
            "task": task_add(application=application, title="Call back", due_at=timezone.now() + timedelta(days=2)),
        }


def test_it_edits_a_contact_a_note_and_a_task(owner_client, attached) -> None:
    contact, note, task = attached["contact"], attached["note"], attached["task"]
    due = timezone.localdate() + timedelta(days=5)

    for url, data in (
        (f"/app/contacts/{contact.pk}/edit/", {"name": "Ann Lee", "role": "recruiter", "email": "", "phone": ""}),
        (f"/app/notes/{note.pk}/edit/", {"body": "Called; second round next week"}),
        (f"/app/tasks/{task.pk}/edit/", {"title": "Send references", "due_on": due.isoformat()}),
    ):
        response = owner_client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == f"/app/applications/{attached['application'].pk}/"

    with schema_context("alpha"):
        assert (Contact.objects.get(pk=contact.pk).name, Contact.objects.get(pk=contact.pk).role) == (
            "Ann Lee",
            "recruiter",
        )
        assert Note.objects.get(pk=note.pk).body == "Called; second round next week"
        stored = Task.objects.get(pk=task.pk)
        assert (stored.title, timezone.localdate(stored.due_at)) == ("Send references", due)


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("contacts", {"name": "", "email": "x"}, "This field is required."),
        ("contacts", {"name": "Ann", "email": "not an email"}, "Enter a valid email address."),
        ("notes", {"body": ""}, "This field is required."),
        ("tasks", {"title": "Call", "due_on": "31/31/2026"}, "Enter a valid date."),
    ],
)
def test_it_refuses_bad_contact_note_and_task_edits_and_changes_nothing(
    owner_client, attached, kind, data, message
) -> None:
    item = attached[kind[:-1]]
    before = _rows(item)
    response = owner_client.post(f"/app/{kind}/{item.pk}/edit/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _rows(item) == before


def test_it_asks_before_deleting_a_contact_a_note_and_a_task(owner_client, attached) -> None:
    for kind, model in (("contacts", Contact), ("notes", Note), ("tasks", Task)):
        item = attached[kind[:-1]]
        assert "Cancel" in owner_client.get(f"/app/{kind}/{item.pk}/delete/").content.decode()
        with schema_context("alpha"):
            assert model.objects.filter(pk=item.pk).exists()
        assert owner_client.post(f"/app/{kind}/{item.pk}/delete/").status_code == 302
        with schema_context("alpha"):
            assert not model.objects.filter(pk=item.pk).exists()


def test_it_hides_what_hangs_off_a_deleted_application(owner_client, attached) -> None:
    owner_client.post(f"/app/applications/{attached['application'].pk}/delete/")
    for kind in ("contacts", "notes", "tasks"):
        assert owner_client.get(f"/app/{kind}/{attached[kind[:-1]].pk}/edit/").status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# Another user's objects: a 404 from every new URL, nothing changed
# ---------------------------------------------------------------------------------------------------------------------
def _new_urls(objects: dict, deleted: Application) -> list[tuple[str, str, dict]]:
    app, posting = objects["application"].pk, objects["application"].posting_id
    contact, note, task = objects["contact"].pk, objects["note"].pk, objects["task"].pk
    return [
        ("get", f"/app/postings/{posting}/edit/", {}),
        ("post", f"/app/postings/{posting}/edit/", {"title": "Intruder", "company": "Intruder"}),
        ("get", f"/app/postings/{posting}/delete/", {}),
        ("post", f"/app/postings/{posting}/delete/", {}),
        ("post", f"/app/postings/{deleted.posting_id}/restore/", {}),
        ("get", f"/app/applications/{app}/edit/", {}),
        ("post", f"/app/applications/{app}/edit/", {"channel": "referral"}),
        ("get", f"/app/applications/{app}/delete/", {}),
        ("post", f"/app/applications/{app}/delete/", {}),
        ("post", f"/app/applications/{deleted.pk}/restore/", {}),
        ("post", f"/app/applications/{app}/reopen/", {"to_stage": "applied"}),
        ("get", f"/app/contacts/{contact}/edit/", {}),
        ("post", f"/app/contacts/{contact}/edit/", {"name": "Intruder"}),
        ("get", f"/app/contacts/{contact}/delete/", {}),
        ("post", f"/app/contacts/{contact}/delete/", {}),
        ("get", f"/app/notes/{note}/edit/", {}),
        ("post", f"/app/notes/{note}/edit/", {"body": "Intruder"}),
        ("post", f"/app/notes/{note}/delete/", {}),
        ("get", f"/app/tasks/{task}/edit/", {}),
        ("post", f"/app/tasks/{task}/edit/", {"title": "Intruder"}),
        ("post", f"/app/tasks/{task}/delete/", {}),
    ]


@pytest.fixture
def owners_deleted(owner) -> Application:
    from tracking.deletion import posting_delete

    application = make_application(owner, title="Olive's deleted job")
    with schema_context("alpha"):
        posting_delete(posting=application.posting, by=owner)
    return application


def _state(objects: dict, deleted: Application) -> list:
    with schema_context("alpha"):
        rows = _rows(
            objects["application"],
            objects["application"].posting,
            objects["contact"],
            objects["note"],
            objects["task"],
            deleted,
            deleted.posting,
        )
        return [*rows, ApplicationEvent.objects.count()]


@pytest.mark.parametrize("who", ["member", "stranger"])
def test_it_returns_404_for_another_users_objects_on_every_new_url(
    cast, client_a, client_b, attached, owners_deleted, who
) -> None:
    with schema_context("alpha"):  # closed, so that reopening would be allowed to the owner
        application_move(application=attached["application"], to_stage=Stage.REJECTED, by=attached["application"].owner)
    before = _state(attached, owners_deleted)
    client = client_a if who == "member" else client_b
    login(client, cast.member_email if who == "member" else cast.stranger_email)

    for method, url, data in _new_urls(attached, owners_deleted):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert b"Olive" not in response.content, url

    assert _state(attached, owners_deleted) == before


# ---------------------------------------------------------------------------------------------------------------------
# An unreadable upload
# ---------------------------------------------------------------------------------------------------------------------
def test_it_never_shows_an_unreadable_upload_as_the_latest_cv(owner, owner_client) -> None:
    readable = make_cv(owner)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nnot really a pdf\n", "application/pdf")

    with tasks_inline():
        response = owner_client.post("/app/cv/upload/", {"file": upload})

    with schema_context("alpha"):
        newest = CVDocument.objects.filter(owner=owner).order_by("-version").first()
        assert newest.status == CVDocument.Status.UNREADABLE
        assert cv_latest(owner=owner).pk == readable.pk
    shown = owner_client.get(response["Location"]).content.decode().split('id="shown-h">')[1].split("</h2>")[0]
    assert f"Version {newest.version}" in shown
    assert "latest" not in shown
    overview = owner_client.get("/app/cv/").content.decode().split('id="shown-h">')[1].split("</h2>")[0]
    assert f"Version {readable.version}" in overview
    assert "latest" in overview


def test_it_tells_an_unreadable_upload_as_a_warning_not_a_success(owner, rf) -> None:
    from tracking.views.cv import _saved

    readable = make_cv(owner)
    unreadable = make_cv(owner, status=CVDocument.Status.UNREADABLE, parsed={}, reason="A scanned image.")
    request = rf.post("/app/cv/upload/")
    request.user, request.session = owner, {}
    request._messages = FallbackStorage(request)

    with schema_context("alpha"):
        _saved(request, unreadable)

    [message] = list(request._messages)
    assert (message.level, message.tags) == (messages.WARNING, "warning")
    assert str(message) == (
        f"We kept version {unreadable.version}, but could not read it: your latest CV is still version "
        f"{readable.version}."
    )
