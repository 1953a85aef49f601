"""The CSV import confirm as a background job: the request answers at once, a worker imports the rows in batches
(each batch one transaction with the job's cursor, resumable, no row twice, nothing half-written), the page polls its
progress; the preview keeps working with Redis down; another user's job is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import HOST_A, login, wait_until
from tests.tracking.inline_tasks import tasks_inline
from tests.tracking.redis_down import cache_down  # noqa: F401 - fixture
from tracking.io import jobs
from tracking.models import Application, ApplicationEvent, DomainEvent, ImportJob, JobPosting, Note, Reminder, Stage

IMPORT_URL = "/app/import/"
CONFIRM_URL = "/app/import/confirm/"


def _csv(count: int, *, company: str = "Company") -> bytes:
    lines = ["Company,Title,Status,Date Applied,Notes"]
    lines += [
        f"{company} {number},Engineer,Interview,2024-01-{1 + number % 28:02d},Note {number}" for number in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _preview(client: Client, data: bytes) -> str:
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("jobs.csv", data, "text/csv"), "date_order": "auto"})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["preview"].token


def _confirm(client: Client, token: str) -> ImportJob:
    response = client.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 302
    with schema_context("alpha"):
        return ImportJob.objects.get(token=token)


def _counts(owner) -> tuple[int, int, int, int]:
    with schema_context("alpha"):
        return (
            JobPosting.objects.filter(owner=owner).count(),
            Application.objects.filter(owner=owner).count(),
            ApplicationEvent.objects.filter(application__owner=owner).count(),
            Note.objects.filter(application__owner=owner).count(),
        )


class WorkerKilled(BaseException):
    """Stands for SIGKILL in the middle of a batch: not an Exception, so no handler of ours catches it."""


@pytest.mark.django_db
def test_it_answers_the_confirm_at_once_and_imports_nothing_in_the_request(owner, owner_client) -> None:
    token = _preview(owner_client, _csv(5))

    response = owner_client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 302
    with schema_context("alpha"):
        job = ImportJob.objects.get(token=token)
    assert response["Location"] == f"/app/import/jobs/{job.pk}/"
    assert (job.state, job.planned, job.processed) == ("queued", 5, 0)
    assert _counts(owner) == (0, 0, 0, 0)
    page = owner_client.get(response["Location"]).content.decode()
    assert "Waiting for a free worker…" in page
    assert f'hx-get="/app/import/jobs/{job.pk}/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "django_htmx/htmx-2.min.js" in page


@pytest.mark.django_db
def test_it_imports_in_batches_and_shows_the_progress_then_the_summary(owner, owner_client, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "BATCH_ROWS", 2)
    job = _confirm(owner_client, _preview(owner_client, _csv(5)))
    url = f"/app/import/jobs/{job.pk}/"

    with schema_context("alpha"):
        assert jobs.import_job_work(job_id=job.pk, time_slice_s=0) == jobs.MORE_TO_DO  # one batch, then yields
    polled = owner_client.get(url, headers={"HX-Request": "true"})
    assert polled.templates[0].name == "tracking/_io_import_job.html"
    assert "2 of 5 rows imported." in polled.content.decode()
    assert 'value="2"' in polled.content.decode()
    assert _counts(owner) == (2, 2, 4, 2)

    with schema_context("alpha"):
        assert jobs.import_job_work(job_id=job.pk) == ImportJob.State.DONE
    done = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "5 applications were imported." in done
    assert "hx-get" not in done  # polling stops
    with schema_context("alpha"):
        job.refresh_from_db()
    assert (job.processed, job.imported, job.rows, job.plan) == (5, 5, [], [])  # the file's rows are not kept


@pytest.mark.django_db
def test_it_resumes_a_job_killed_mid_batch_without_importing_a_row_twice_or_half(
    owner, owner_client, monkeypatch
) -> None:
    monkeypatch.setattr(jobs, "BATCH_ROWS", 3)
    job = _confirm(owner_client, _preview(owner_client, _csv(7)))
    real_move = jobs.application_move
    calls = {"moves": 0}

    def move_then_die(**kwargs):
        calls["moves"] += 1
        if calls["moves"] == 5:  # in the second batch, after its first row and half of its second
            raise WorkerKilled
        return real_move(**kwargs)

    monkeypatch.setattr(jobs, "application_move", move_then_die)
    with schema_context("alpha"), pytest.raises(WorkerKilled):
        jobs.import_job_work(job_id=job.pk)

    # The first batch is in; nothing of the second, not even its finished first row.
    assert _counts(owner) == (3, 3, 6, 3)
    with schema_context("alpha"):
        job.refresh_from_db()
        assert (job.state, job.processed, job.imported) == ("running", 3, 3)

        monkeypatch.setattr(jobs, "application_move", real_move)
        assert jobs.import_job_work(job_id=job.pk) == ImportJob.State.DONE
        assert jobs.import_job_work(job_id=job.pk) == jobs.NOTHING_TO_DO  # a redelivered message does nothing

        companies = sorted(JobPosting.objects.filter(owner=owner).values_list("company", flat=True))
    assert companies == [f"Company {number}" for number in range(7)]
    assert _counts(owner) == (7, 7, 14, 7)


@pytest.mark.django_db
def test_it_reports_a_row_a_service_refuses_and_imports_the_others(owner, owner_client, monkeypatch) -> None:
    job = _confirm(owner_client, _preview(owner_client, _csv(3)))
    real_create = jobs.application_create

    def refuse_company_1(**kwargs):
        if kwargs["posting"].company == "Company 1":
            raise ValidationError("The plan is full.")
        return real_create(**kwargs)

    monkeypatch.setattr(jobs, "application_create", refuse_company_1)
    with schema_context("alpha"):
        assert jobs.import_job_work(job_id=job.pk) == ImportJob.State.DONE
        job.refresh_from_db()
        assert sorted(Application.objects.filter(owner=owner).values_list("posting__company", flat=True)) == [
            "Company 0",
            "Company 2",
        ]
        assert not JobPosting.objects.filter(company="Company 1").exists()  # its posting went with it
    assert job.imported == 2
    assert job.skipped == [
        {
            "row": 3,
            "company": "Company 1",
            "errors": [{"column": "", "reason": "Could not be imported: The plan is full."}],
        }
    ]


@pytest.mark.django_db
def test_it_sends_a_stalled_job_again_when_its_page_is_polled(owner, owner_client) -> None:
    job = _confirm(owner_client, _preview(owner_client, _csv(2)))
    with schema_context("alpha"):
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))

    with tasks_inline():
        owner_client.get(f"/app/import/jobs/{job.pk}/", headers={"HX-Request": "true"})

    with schema_context("alpha"):
        job.refresh_from_db()
    assert (job.state, job.imported) == ("done", 2)


@pytest.mark.django_db
def test_it_writes_the_report_in_the_language_of_the_preview_not_the_workers(owner, owner_client) -> None:
    owner_client.cookies["django_language"] = "fr"
    job = _confirm(owner_client, _preview(owner_client, _csv(1)))
    with schema_context("alpha"):
        Application.objects.create(
            owner=owner,
            posting=JobPosting.objects.create(owner=owner, title="Engineer", company="Company 0"),
            stage=Stage.APPLIED,
            applied_at=timezone.make_aware(timezone.datetime(2024, 1, 1, 12)),
            stage_changed_at=timezone.now(),
        )

        jobs.import_job_work(job_id=job.pk)
        job.refresh_from_db()

    assert job.language == "fr"
    assert job.skipped[0]["errors"][0]["reason"] == (
        "Déjà dans votre suivi (même entreprise, même intitulé et même date)."
    )


@pytest.mark.django_db
def test_it_returns_404_for_another_users_or_tenants_import_and_for_an_unconfirmed_preview(
    owner, owner_client, cast, client_b
) -> None:
    token = _preview(owner_client, _csv(2))
    with schema_context("alpha"):
        preview = ImportJob.objects.get(token=token)
    assert owner_client.get(f"/app/import/jobs/{preview.pk}/").status_code == 404
    job = _confirm(owner_client, token)
    member = Client(HTTP_HOST=HOST_A)
    login(member, cast.member_email)
    login(client_b, cast.stranger_email)

    for client in (member, client_b):
        response = client.get(f"/app/import/jobs/{job.pk}/")
        assert response.status_code == 404
        assert "Company 0" not in response.content.decode()
    assert owner_client.get(f"/app/import/jobs/{job.pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("cache_down")
def test_it_previews_and_confirms_an_import_with_redis_down(owner, owner_client) -> None:
    token = _preview(owner_client, _csv(3))

    job = _confirm(owner_client, token)

    assert job.state == "queued"
    with schema_context("alpha"):
        assert jobs.import_job_work(job_id=job.pk) == ImportJob.State.DONE
    assert _counts(owner)[1] == 3


def test_it_imports_through_the_queue_on_a_real_worker(cast, celery_worker) -> None:
    client = Client(HTTP_HOST=HOST_A)
    login(client, cast.owner_email)
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
    try:
        token = _preview(client, _csv(12, company="Queued"))
        job = _confirm(client, token)

        def done() -> bool:
            with schema_context("alpha"):
                job.refresh_from_db()
            return job.state == ImportJob.State.DONE

        assert wait_until(done)
        assert job.imported == 12
        assert "12 applications were imported." in client.get(f"/app/import/jobs/{job.pk}/").content.decode()
    finally:
        with schema_context("alpha"):
            Application.objects.filter(owner=owner).delete()
            JobPosting.objects.filter(owner=owner).delete()
            ImportJob.objects.filter(owner=owner).delete()
            Reminder.objects.filter(owner=owner).delete()
            DomainEvent.objects.all().delete()
