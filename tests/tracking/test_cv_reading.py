"""CV parsing off the request: an upload is stored "reading" and answered at once; the worker reads it within the
read budget (pages, decompressed bytes, characters, seconds) and a file over one is unreadable with a reason naming
it; the original is kept whatever happens; reading is idempotent and survives a dead worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import HOST_A, login, wait_until
from tests.tracking.fixtures import cv_files
from tests.tracking.inline_tasks import tasks_inline
from tracking.cv import reading
from tracking.cv.reading import MAX_ATTEMPTS, cv_read
from tracking.cv.services import cv_paste, cv_reading_check, cv_upload
from tracking.models import CVDocument, DomainEvent, UploadRecord

CV_LINES = ["Olive Owner", "Work Experience", "Software Engineer, Acme, 2018 - 2023", "Skills", "Python and SQL"]
# Tens of megabytes once inflated, tens of kilobytes on disk: the probe's 1 MB PDF that expanded to ~70 MB.
BOMB_EXPANDS_TO_BYTES = 40 * 1024 * 1024
DECOMPRESSED_REASON = "This PDF expands to more than 8 MB when unpacked"


@pytest.fixture(scope="module")
def pdf_bomb() -> bytes:
    data = cv_files.pdf_compressed_bomb(CV_LINES, expands_to_bytes=BOMB_EXPANDS_TO_BYTES)
    assert len(data) < 200 * 1024
    return data


def _store(owner: User, data: bytes, name: str = "cv.pdf") -> CVDocument:
    return cv_upload(owner=owner, uploaded_file=SimpleUploadedFile(name, data))


def _read(cv: CVDocument) -> CVDocument:
    assert cv_read(cv_id=cv.pk) in (CVDocument.Status.PARSED, CVDocument.Status.UNREADABLE)
    cv.refresh_from_db()
    return cv


# ---------------------------------------------------------------------------------------------------------------------
# The request stores, the worker reads
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_answers_an_upload_at_once_with_the_version_reading_and_parses_nothing_in_the_request(
    owner, owner_client, pdf_bomb
) -> None:
    response = owner_client.post("/app/cv/upload/", {"file": SimpleUploadedFile("cv.pdf", pdf_bomb)})

    assert response.status_code == 302
    with schema_context("alpha"):
        cv = CVDocument.objects.get(owner=owner)
        assert (cv.status, cv.text, cv.parsed, cv.unreadable_reason) == ("reading", "", {}, "")
        assert not DomainEvent.objects.filter(kind=DomainEvent.Kind.CV_PARSED).exists()
        with cv.file.open("rb") as stored:
            assert stored.read() == pdf_bomb
    page = owner_client.get(response["Location"]).content.decode()
    assert "Reading your CV…" in page
    assert f'hx-get="/app/cv/{cv.pk}/status/"' in page
    assert "django_htmx/htmx-2.min.js" in page
    assert "<script>" not in page  # htmx from static files, no inline script


@pytest.mark.django_db
def test_it_answers_an_api_upload_with_201_and_status_reading(owner, owner_client) -> None:
    upload = SimpleUploadedFile("cv.txt", "\n".join(CV_LINES).encode())

    response = owner_client.post("/api/v1/cvs/", {"file": upload})

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["text"], response.json()["parsed"]) == ("reading", "", {})
    detail = owner_client.get(f"/api/v1/cvs/{response.json()['id']}/").json()
    assert detail["status"] == "reading"


@pytest.mark.django_db
def test_it_refuses_a_pdf_whose_streams_expand_to_tens_of_mb_on_the_decompressed_size_budget(owner, pdf_bomb) -> None:
    with schema_context("alpha"):
        cv = _read(_store(owner, pdf_bomb))

        assert cv.status == CVDocument.Status.UNREADABLE
        assert cv.unreadable_reason.startswith(DECOMPRESSED_REASON)
        assert (cv.text, cv.parsed, cv.content_type) == ("", {}, "application/pdf")
        with cv.file.open("rb") as stored:
            assert stored.read() == pdf_bomb  # the original is kept
        assert DomainEvent.objects.get(kind=DomainEvent.Kind.CV_PARSED).payload["status"] == "unreadable"


@pytest.mark.django_db
def test_it_counts_the_decompressed_budget_over_the_whole_document_not_per_stream(owner, settings) -> None:
    # Each page's stream is under the budget; together they are over it.
    settings.CV_READ_MAX_DECOMPRESSED_BYTES = 64 * 1024
    page = ["Olive Owner, Software Engineer", "x" * 80] * 200  # ~24 kB of content stream a page
    with schema_context("alpha"):
        cv = _read(_store(owner, cv_files.pdf_make([page, page, page, page])))

    assert cv.unreadable_reason.startswith("This PDF expands to more than 0.06 MB when unpacked")


@pytest.mark.django_db
def test_it_stops_a_many_page_pdf_at_the_page_budget(owner) -> None:
    with schema_context("alpha"):
        cv = _read(_store(owner, cv_files.pdf_make([CV_LINES] * 60)))

    assert cv.status == CVDocument.Status.UNREADABLE
    assert cv.unreadable_reason == "This PDF has too many pages (60; at most 50)."


@pytest.mark.django_db
def test_it_stops_counting_the_pages_of_a_huge_page_tree_at_the_page_budget(owner, settings) -> None:
    settings.CV_READ_MAX_PAGES = 5  # pypdf stops walking the page tree after a few entries more than this
    with schema_context("alpha"):
        cv = _read(_store(owner, cv_files.pdf_make([["Olive Owner"]] * 400)))

    assert cv.unreadable_reason == "This PDF has more than 5 pages, the most we read."


@pytest.mark.django_db
def test_it_refuses_text_over_the_extracted_text_budget(owner, settings) -> None:
    settings.CV_READ_MAX_TEXT_CHARS = 1_000
    with schema_context("alpha"):
        cv = _read(_store(owner, ("Olive Owner, Python developer. " * 100).encode(), name="cv.txt"))

    assert cv.status == CVDocument.Status.UNREADABLE
    assert cv.unreadable_reason.startswith("This file holds more than 1,000 characters of text")
    assert cv.content_type == "text/plain"


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_time_budget(owner, settings) -> None:
    settings.CV_READ_TIME_BUDGET_S = 0  # spent before the first page
    with schema_context("alpha"):
        cv = _read(_store(owner, cv_files.pdf_make([CV_LINES])))

    assert cv.unreadable_reason.startswith("Reading this file took longer than 0 seconds")


@pytest.mark.django_db
def test_it_turns_the_workers_soft_time_limit_into_the_time_budgets_reason(owner, monkeypatch) -> None:
    def stuck(text: str) -> dict:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(reading, "cv_parse", stuck)
    with schema_context("alpha"):
        cv = _read(_store(owner, cv_files.docx_make(CV_LINES), name="cv.docx"))

    assert cv.status == CVDocument.Status.UNREADABLE
    assert cv.unreadable_reason.startswith("Reading this file took longer than 20 seconds")
    assert cv.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("store", "content_type"),
    [
        (lambda owner: _store(owner, cv_files.pdf_make([CV_LINES])), "application/pdf"),
        (
            lambda owner: _store(owner, cv_files.docx_make(CV_LINES), name="cv.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (lambda owner: _store(owner, "\n".join(CV_LINES).encode(), name="cv.txt"), "text/plain"),
        (lambda owner: cv_paste(owner=owner, text="\n".join(CV_LINES)), "text/plain"),
    ],
    ids=["pdf", "docx", "text", "paste"],
)
def test_it_reads_pdf_docx_text_and_pasted_text_the_same_way(owner, store, content_type) -> None:
    with schema_context("alpha"):
        cv = store(owner)
        assert cv.status == CVDocument.Status.READING

        cv = _read(cv)

    assert (cv.status, cv.content_type, cv.parser_version) == ("parsed", content_type, "2")
    assert cv.text == "\n".join(CV_LINES)
    assert cv.parsed["years_experience"] == 5


@pytest.mark.django_db
def test_it_reads_a_version_once_however_many_times_it_is_sent(owner) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))

        assert cv_read(cv_id=cv.pk) == "parsed"
        assert cv_read(cv_id=cv.pk) is None
        assert DomainEvent.objects.filter(kind=DomainEvent.Kind.CV_PARSED).count() == 1


@pytest.mark.django_db
def test_it_leaves_a_version_to_the_attempt_that_claimed_it_until_that_claim_is_stale(owner) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))
        CVDocument.objects.filter(pk=cv.pk).update(reading_started_at=timezone.now(), reading_attempts=1)

        assert cv_read(cv_id=cv.pk) is None  # another attempt is on it

        CVDocument.objects.filter(pk=cv.pk).update(reading_started_at=timezone.now() - timedelta(hours=1))
        assert cv_read(cv_id=cv.pk) == "parsed"  # that attempt died: retaken
        cv.refresh_from_db()
        assert cv.reading_attempts == 2


@pytest.mark.django_db
def test_it_sends_a_version_again_when_its_worker_died_and_gives_up_after_the_last_attempt(owner) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))
        long_ago = timezone.now() - timedelta(hours=1)
        CVDocument.objects.filter(pk=cv.pk).update(
            reading_queued_at=long_ago, reading_started_at=long_ago, reading_attempts=1
        )
        cv.refresh_from_db()

        with tasks_inline():
            cv_reading_check(cv=cv)  # first death: sent again, and read
        cv.refresh_from_db()
        assert cv.status == CVDocument.Status.PARSED

        killer = cv_paste(owner=owner, text="\n".join(CV_LINES))
        CVDocument.objects.filter(pk=killer.pk).update(
            reading_queued_at=long_ago, reading_started_at=long_ago, reading_attempts=MAX_ATTEMPTS
        )
        killer.refresh_from_db()

        killer = cv_reading_check(cv=killer)

    assert killer.status == CVDocument.Status.UNREADABLE
    assert killer.unreadable_reason.startswith("Reading this file took longer than 20 seconds")


@pytest.mark.django_db
def test_it_sends_a_version_again_at_most_once_per_interval_when_its_message_was_lost(
    owner, django_capture_on_commit_callbacks
) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))
        CVDocument.objects.filter(pk=cv.pk).update(reading_queued_at=timezone.now() - timedelta(minutes=5))
        cv.refresh_from_db()

        with django_capture_on_commit_callbacks() as sent:
            cv_reading_check(cv=cv)
            cv_reading_check(cv=CVDocument.objects.get(pk=cv.pk))

    assert len(sent) == 1


# ---------------------------------------------------------------------------------------------------------------------
# The page polls; inline tasks
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_polls_the_status_until_read_then_reloads_the_page(owner, owner_client) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))
    url = f"/app/cv/{cv.pk}/status/"

    polled = owner_client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert "Reading your CV…" in polled.content.decode()
    assert f'hx-get="{url}"' in polled.content.decode()

    with schema_context("alpha"):
        _read(cv)
    done = owner_client.get(url, headers={"HX-Request": "true"})
    assert (done.status_code, done["HX-Refresh"]) == (200, "true")
    assert owner_client.get(url)["Location"] == f"/app/cv/{cv.pk}/"
    page = owner_client.get(f"/app/cv/{cv.pk}/").content.decode()
    assert "Reading your CV…" not in page
    assert "About 5 years, from the dates in your CV." in page


@pytest.mark.django_db
def test_it_returns_404_for_another_users_or_tenants_cv_status(owner, cast, client_b) -> None:
    with schema_context("alpha"):
        cv = cv_paste(owner=owner, text="\n".join(CV_LINES))
    member = Client(HTTP_HOST=HOST_A)
    login(member, cast.member_email)
    login(client_b, cast.stranger_email)

    for client in (member, client_b):
        assert client.get(f"/app/cv/{cv.pk}/status/").status_code == 404
        assert client.get(f"/api/v1/cvs/{cv.pk}/").status_code == 404
    with schema_context("alpha"):
        assert CVDocument.objects.get(pk=cv.pk).status == CVDocument.Status.READING


@pytest.mark.django_db
def test_it_still_reads_uploads_when_tasks_run_inline_without_redis(owner, owner_client) -> None:
    with tasks_inline():
        page = owner_client.post(
            "/app/cv/upload/", {"file": SimpleUploadedFile("cv.pdf", cv_files.pdf_make([CV_LINES]))}
        )
        api = owner_client.post("/api/v1/cvs/", {"text": "\n".join(CV_LINES)}, content_type="application/json")

    assert "About 5 years, from the dates in your CV." in owner_client.get(page["Location"]).content.decode()
    assert owner_client.get(f"/api/v1/cvs/{api.json()['id']}/").json()["status"] == "parsed"


# ---------------------------------------------------------------------------------------------------------------------
# On the real broker and a real worker
# ---------------------------------------------------------------------------------------------------------------------
def test_it_refuses_the_pdf_bomb_on_a_real_worker_after_the_request_answered(cast, celery_worker, pdf_bomb) -> None:
    client = Client(HTTP_HOST=HOST_A)
    login(client, cast.owner_email)
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
    try:
        response = client.post("/app/cv/upload/", {"file": SimpleUploadedFile("cv.pdf", pdf_bomb)})
        assert response.status_code == 302

        with schema_context("alpha"):
            cv = CVDocument.objects.get(owner=owner)

            def read() -> bool:
                cv.refresh_from_db()
                return cv.status != CVDocument.Status.READING

            assert wait_until(read)
        assert cv.status == CVDocument.Status.UNREADABLE
        assert cv.unreadable_reason.startswith(DECOMPRESSED_REASON)
    finally:
        with schema_context("alpha"):
            for document in CVDocument.objects.filter(owner=owner):
                document.file.delete(save=False)
            CVDocument.objects.filter(owner=owner).delete()
            UploadRecord.objects.filter(owner=owner).delete()
            DomainEvent.objects.all().delete()
