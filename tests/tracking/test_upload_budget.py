"""The upload budget: new CV versions per user per hour and per day (counted in PostgreSQL, so it holds with Redis
down) and the versions a user may keep, each refused with a message naming the limit and what to do, storing
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import HOST_A, login
from tests.tracking.redis_down import cache_down  # noqa: F401 - fixture
from tracking.cv.services import cv_paste
from tracking.cv.upload_budget import UploadBudgetExceeded
from tracking.models import CVDocument, UploadRecord

pytestmark = pytest.mark.django_db

CV_TEXT = "Olive Owner\nExperience\nData Engineer, Acme, 2018-2024\nPython, SQL"


def _upload(client: Client, name: str = "cv.txt"):
    return client.post("/app/cv/upload/", {"file": SimpleUploadedFile(name, CV_TEXT.encode())})


def _versions(owner) -> int:
    with schema_context("alpha"):
        return CVDocument.objects.filter(owner=owner).count()


def test_it_refuses_uploads_over_the_hourly_rate_with_a_429_naming_the_limit(owner, owner_client, settings) -> None:
    settings.CV_UPLOADS_PER_HOUR = 2
    assert [_upload(owner_client).status_code for _ in range(2)] == [302, 302]

    refused = _upload(owner_client)

    assert refused.status_code == 429
    assert 3540 <= int(refused["Retry-After"]) <= 3600
    assert refused.context["upload_form"].non_field_errors() == [
        "You have added 2 CV versions in the last hour, the most we accept in an hour. Try again in 1\xa0hour."
    ]
    assert _versions(owner) == 2


def test_it_counts_pasted_text_and_the_api_in_the_same_budget(owner, owner_client, settings) -> None:
    settings.CV_UPLOADS_PER_HOUR = 2
    assert owner_client.post("/app/cv/paste/", {"text": CV_TEXT}).status_code == 302
    assert owner_client.post("/api/v1/cvs/", {"text": CV_TEXT}, content_type="application/json").status_code == 201

    api = owner_client.post("/api/v1/cvs/", {"file": SimpleUploadedFile("cv.txt", CV_TEXT.encode())})
    paste = owner_client.post("/app/cv/paste/", {"text": CV_TEXT})

    assert api.status_code == 429
    assert api.json()["detail"].startswith("You have added 2 CV versions in the last hour")
    assert 1 <= int(api["Retry-After"]) <= 3600
    assert paste.status_code == 429
    assert _versions(owner) == 2


def test_it_refuses_uploads_over_the_daily_rate_and_says_when_to_come_back(owner, settings) -> None:
    settings.CV_UPLOADS_PER_DAY = 3
    now = timezone.now()
    with schema_context("alpha"):
        for hours_ago in (20, 10, 5):  # outside the last hour, inside the last day
            UploadRecord.objects.create(owner=owner, created_at=now - timedelta(hours=hours_ago))

        with pytest.raises(UploadBudgetExceeded) as refusal:
            cv_paste(owner=owner, text=CV_TEXT)

    assert refusal.value.messages == [
        "You have added 3 CV versions in the last 24 hours, the most we accept in a day. Try again in 4\xa0hours."
    ]
    assert 3 * 3600 < refusal.value.retry_after_s <= 4 * 3600
    assert _versions(owner) == 0


def test_it_forgets_uploads_older_than_a_day(owner, settings) -> None:
    settings.CV_UPLOADS_PER_DAY = 1
    with schema_context("alpha"):
        UploadRecord.objects.create(owner=owner, created_at=timezone.now() - timedelta(days=1, minutes=1))

        cv_paste(owner=owner, text=CV_TEXT)

        assert UploadRecord.objects.filter(owner=owner).count() == 1


def test_it_does_not_give_an_upload_back_when_its_version_is_deleted(owner, settings) -> None:
    settings.CV_UPLOADS_PER_HOUR = 1
    with schema_context("alpha"):
        cv_paste(owner=owner, text=CV_TEXT)
        CVDocument.objects.filter(owner=owner).delete()

        with pytest.raises(UploadBudgetExceeded):
            cv_paste(owner=owner, text=CV_TEXT)


def test_it_refuses_a_version_past_the_cap_naming_it_and_the_cv_page(owner, owner_client, settings) -> None:
    settings.CV_MAX_VERSIONS = 2
    with schema_context("alpha"):
        cv_paste(owner=owner, text=CV_TEXT)
        cv_paste(owner=owner, text=CV_TEXT)

    page = _upload(owner_client)
    api = owner_client.post("/api/v1/cvs/", {"text": CV_TEXT}, content_type="application/json")

    message = (
        "You keep 2 CV versions, the most we store. Delete versions you no longer need on your CV page "
        "(http://alpha.localhost/app/cv/), then add this one again."
    )
    assert page.status_code == 400
    assert page.context["upload_form"].non_field_errors() == [message]
    assert "Retry-After" not in page
    assert api.status_code == 400
    assert api.json() == {"non_field_errors": [message]}
    assert _versions(owner) == 2


def test_it_keeps_each_users_budget_apart(owner, cast, settings) -> None:
    settings.CV_UPLOADS_PER_HOUR = 1
    member = Client(HTTP_HOST=HOST_A)
    login(member, cast.member_email)
    with schema_context("alpha"):
        cv_paste(owner=owner, text=CV_TEXT)

    assert _upload(member).status_code == 302


@pytest.mark.usefixtures("cache_down")
def test_it_holds_the_budget_with_redis_down(owner, owner_client, settings) -> None:
    settings.CV_UPLOADS_PER_HOUR = 1

    assert _upload(owner_client).status_code == 302
    assert _upload(owner_client).status_code == 429
    assert _versions(owner) == 1
