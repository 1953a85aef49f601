"""Profile, CV versions, postings, reminders and notifications over the API, and page-number pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.tracking.factories import (
    ApplicationFactory,
    CVDocumentFactory,
    JobPostingFactory,
    NotificationFactory,
    ReminderFactory,
)
from tracking.models import CandidateProfile, CVDocument, JobPosting, Notification, Reminder

pytestmark = pytest.mark.django_db

CV_TEXT = "Jane Doe\nData engineer\nExperience\n2019 - 2024 Data Engineer at Acme\nSkills: Python, SQL, Airflow"


# ---------------------------------------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------------------------------------
def test_it_shows_the_users_profile_with_default_reminder_settings(owner_client) -> None:
    response = owner_client.get("/api/v1/profile/")
    assert response.status_code == 200
    assert response.json()["reminders_enabled"] is True
    assert response.json()["follow_up_after_applied_days"] == 7


def test_it_updates_the_profile_and_reminder_settings(owner, owner_client) -> None:
    response = owner_client.patch(
        "/api/v1/profile/",
        {"headline": "Data <i>engineer</i>", "country": "de", "reminders_enabled": False, "ghosted_after_days": 45},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["headline"], response.json()["country"]) == ("Data engineer", "DE")
    with schema_context("alpha"):
        profile = CandidateProfile.objects.get(user=owner)
        assert (profile.reminders_enabled, profile.ghosted_after_days, profile.target_title) == (False, 45, "")


def test_it_refuses_a_bad_profile_value_naming_the_field_and_changes_nothing(owner, owner_client) -> None:
    response = owner_client.patch(
        "/api/v1/profile/", {"country": "Germany", "headline": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["country"]
    with schema_context("alpha"):
        assert not CandidateProfile.objects.filter(user=owner, headline="Changed").exists()


# ---------------------------------------------------------------------------------------------------------------------
# CV versions
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 20])
def test_it_lists_cv_versions_newest_first_in_a_fixed_number_of_queries(
    owner, owner_client, django_assert_num_queries, rows
) -> None:
    with schema_context("alpha"):
        CVDocumentFactory.create_batch(rows, owner=owner)
    # user, count, page (the session comes from the cache): 3 statements after SET search_path
    with django_assert_num_queries(1 + 3):
        response = owner_client.get("/api/v1/cvs/")
    body = response.json()
    assert body["count"] == rows
    assert [row["version"] for row in body["results"]] == list(range(rows, 0, -1))
    assert "text" not in body["results"][0]


def test_it_retrieves_a_cv_version_with_its_text(owner, owner_client) -> None:
    with schema_context("alpha"):
        cv = CVDocumentFactory(owner=owner, text=CV_TEXT)
    response = owner_client.get(f"/api/v1/cvs/{cv.pk}/")
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["version"]) == (CV_TEXT, 1)


def test_it_stores_pasted_text_as_the_next_cv_version(owner, owner_client) -> None:
    with schema_context("alpha"):
        CVDocumentFactory(owner=owner)
    response = owner_client.post("/api/v1/cvs/", {"text": CV_TEXT}, content_type="application/json")
    assert response.status_code == 201
    # Answered at once: the worker reads it (tests/tracking/test_cv_reading.py).
    assert (response.json()["version"], response.json()["source"], response.json()["status"]) == (2, "paste", "reading")
    with schema_context("alpha"):
        assert CVDocument.objects.get(pk=response.json()["id"]).owner_id == owner.pk


def test_it_stores_an_uploaded_file_as_the_next_cv_version(owner, owner_client) -> None:
    upload = SimpleUploadedFile("cv.txt", CV_TEXT.encode(), content_type="text/plain")
    response = owner_client.post("/api/v1/cvs/", {"file": upload})
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["source"], body["original_name"]) == (1, "upload", "cv.txt")
    with schema_context("alpha"):
        assert CVDocument.objects.get(pk=body["id"]).owner_id == owner.pk


@pytest.mark.parametrize("body", [{}, {"text": CV_TEXT, "file": "x"}], ids=["neither", "both"])
def test_it_asks_for_a_file_or_text_but_not_both(owner_client, body) -> None:
    response = owner_client.post("/api/v1/cvs/", body)
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    with schema_context("alpha"):
        assert not CVDocument.objects.exists()


def test_it_offers_no_way_to_change_or_delete_a_cv_version(owner, owner_client) -> None:
    with schema_context("alpha"):
        cv = CVDocumentFactory(owner=owner)
    changed = owner_client.patch(f"/api/v1/cvs/{cv.pk}/", {"text": "x"}, content_type="application/json")
    assert changed.status_code == 405
    assert owner_client.delete(f"/api/v1/cvs/{cv.pk}/").status_code == 405
    with schema_context("alpha"):
        assert CVDocument.objects.get(pk=cv.pk).text == cv.text


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def test_it_saves_a_posting_through_the_service(owner, owner_client) -> None:
    response = owner_client.post(
        "/api/v1/postings/",
        {
            "title": "Data Engineer",
            "company": "Acme",
            "country": "de",
            "salary_min": "60000",
            "salary_currency": "eur",
            "description": "Requirements:\n- Python\nNice to have:\n- Kafka is a plus",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["country"], body["salary_currency"], body["salary_period"]) == ("DE", "EUR", "year")
    assert body["requirements"] == {"must_have": ["Python"], "nice_to_have": ["Kafka is a plus"]}
    with schema_context("alpha"):
        assert JobPosting.objects.get(pk=body["id"]).owner_id == owner.pk


def test_it_refuses_a_salary_without_currency_naming_the_field(owner_client) -> None:
    response = owner_client.post(
        "/api/v1/postings/", {"title": "X", "company": "Y", "salary_min": "1000"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"salary_currency": ["Say which currency the salary is in."]}
    with schema_context("alpha"):
        assert not JobPosting.objects.exists()


@pytest.mark.parametrize("rows", [1, 20])
def test_it_lists_postings_in_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries, rows) -> None:
    with schema_context("alpha"):
        JobPostingFactory.create_batch(rows, owner=owner)
    # user, count, page (the session comes from the cache): 3 statements after SET search_path
    with django_assert_num_queries(1 + 3):
        response = owner_client.get("/api/v1/postings/")
    assert response.json()["count"] == rows


def test_it_retrieves_a_posting(owner, owner_client) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner)
    response = owner_client.get(f"/api/v1/postings/{posting.pk}/")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["company"]) == (posting.title, posting.company)


def test_it_changes_only_a_postings_link(owner, owner_client) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner)
    moved = owner_client.patch(
        f"/api/v1/postings/{posting.pk}/", {"url": "https://jobs.example.com/moved"}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert moved.json()["url"] == "https://jobs.example.com/moved"
    refused = owner_client.patch(
        f"/api/v1/postings/{posting.pk}/",
        {"url": "https://jobs.example.com/again", "title": "Senior"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["title"]
    assert owner_client.put(f"/api/v1/postings/{posting.pk}/", {}, content_type="application/json").status_code == 405
    with schema_context("alpha"):
        saved = JobPosting.objects.get(pk=posting.pk)
        assert (saved.url, saved.title) == ("https://jobs.example.com/moved", posting.title)


def test_it_deletes_an_unused_posting_and_keeps_one_an_application_uses(owner, owner_client) -> None:
    with schema_context("alpha"):
        unused = JobPostingFactory(owner=owner)
        used = ApplicationFactory(owner=owner).posting
    assert owner_client.delete(f"/api/v1/postings/{unused.pk}/").status_code == 204
    kept = owner_client.delete(f"/api/v1/postings/{used.pk}/")
    assert kept.status_code == 409
    assert "detail" in kept.json()
    with schema_context("alpha"):
        assert set(JobPosting.objects.values_list("pk", flat=True)) == {used.pk}


def test_it_pages_lists_by_fifty(owner, owner_client) -> None:
    with schema_context("alpha"):
        JobPostingFactory.create_batch(51, owner=owner)
    first = owner_client.get("/api/v1/postings/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (51, 50, None)
    assert first["next"].endswith("/api/v1/postings/?page=2")
    second = owner_client.get("/api/v1/postings/?page=2").json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert {row["id"] for row in first["results"]}.isdisjoint({row["id"] for row in second["results"]})


# ---------------------------------------------------------------------------------------------------------------------
# Reminders and notifications
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 20])
def test_it_lists_reminders_in_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries, rows) -> None:
    with schema_context("alpha"):
        application = ApplicationFactory(owner=owner)
        ReminderFactory.create_batch(rows, application=application)
    # user, count, page (application, posting, task joined; session cached): 3 after SET search_path
    with django_assert_num_queries(1 + 3):
        response = owner_client.get("/api/v1/reminders/")
    body = response.json()
    assert body["count"] == rows
    assert body["results"][0]["posting"]["title"] == application.posting.title


def test_it_snoozes_a_reminder(owner, owner_client) -> None:
    with schema_context("alpha"):
        reminder = ReminderFactory(application=ApplicationFactory(owner=owner))
    response = owner_client.post(
        f"/api/v1/reminders/{reminder.pk}/snooze/", {"days": 3}, content_type="application/json"
    )
    assert response.status_code == 200
    with schema_context("alpha"):
        assert Reminder.objects.get(pk=reminder.pk).due_at == reminder.due_at + timedelta(days=3)


def test_it_refuses_a_long_snooze_naming_the_field_and_changes_nothing(owner, owner_client) -> None:
    with schema_context("alpha"):
        reminder = ReminderFactory(application=ApplicationFactory(owner=owner))
    response = owner_client.post(
        f"/api/v1/reminders/{reminder.pk}/snooze/", {"days": 90}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"days": ["Snooze for 1 to 60 days."]}
    with schema_context("alpha"):
        assert Reminder.objects.get(pk=reminder.pk).due_at == reminder.due_at


def test_it_turns_a_reminder_off(owner, owner_client) -> None:
    with schema_context("alpha"):
        reminder = ReminderFactory(application=ApplicationFactory(owner=owner))
    response = owner_client.post(f"/api/v1/reminders/{reminder.pk}/turn-off/")
    assert response.status_code == 200
    assert response.json()["status"] == "off"
    with schema_context("alpha"):
        assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.OFF


@pytest.mark.parametrize("rows", [1, 20])
def test_it_lists_notifications_in_a_fixed_number_of_queries(
    owner, owner_client, django_assert_num_queries, rows
) -> None:
    with schema_context("alpha"):
        NotificationFactory.create_batch(rows, user=owner)
    # user, count, page (the session comes from the cache): 3 statements after SET search_path
    with django_assert_num_queries(1 + 3):
        response = owner_client.get("/api/v1/notifications/")
    assert response.json()["count"] == rows


def test_it_marks_a_notification_read_once(owner, owner_client) -> None:
    with schema_context("alpha"):
        notification = NotificationFactory(user=owner)
    first = owner_client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert first.status_code == 200
    assert first.json()["read_at"] is not None
    with schema_context("alpha"):
        read_at = Notification.objects.get(pk=notification.pk).read_at
        assert timezone.now() - read_at < timedelta(minutes=1)
    again = owner_client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert again.status_code == 200
    with schema_context("alpha"):
        assert Notification.objects.get(pk=notification.pk).read_at == read_at
