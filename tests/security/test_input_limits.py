"""Bounded input, checked before any text is read: per field (counted once normalised, NFKC), per upload, and per
batch of text-heavy items (cvplus/text_limits.py). Each refusal is a 400 naming the field and the limit, with
nothing parsed or stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import User
from billing.api_keys import api_key_issue
from cvplus.text_limits import MAX_BATCH_TEXT_CHARS, MAX_CV_TEXT_CHARS, MAX_DESCRIPTION_CHARS
from tests.billing.licensees import licensee_create
from tests.conftest import PUBLIC_HOST
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory
from tracking.cv.reading import cv_read
from tracking.models import CVDocument, JobPosting

EXPANDING = "\ufdfa"  # one character that NFKC turns into 18
ITEM = {"cv_text": "Data engineer\nPython, SQL", "posting_title": "Data Engineer", "posting_description": "Python"}


@pytest.fixture
def no_parse(monkeypatch):
    """Fails the test if a CV is parsed: the bounds are checked before."""

    def refuse(text):
        raise AssertionError("cv_parse ran on input that should have been refused first")

    monkeypatch.setattr("tracking.cv.reading.cv_parse", refuse)  # the worker's reader (tracking/cv/reading.py)


def test_it_counts_a_match_field_once_normalised(signed_in, no_parse):
    cv_text = EXPANDING * 10_000  # 10,000 characters as sent, 180,000 as read

    response = signed_in.post(
        "/api/v1/predictions/match", {**ITEM, "cv_text": cv_text}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "100000" in response.json()["cv_text"][0]
    assert "180000" in response.json()["cv_text"][0]


def test_it_refuses_a_match_batch_over_the_text_budget_before_parsing(signed_in, no_parse):
    per_item = MAX_BATCH_TEXT_CHARS // 5
    items = [{**ITEM, "cv_text": "x" * (per_item - 100)} for _ in range(6)]

    response = signed_in.post("/api/v1/predictions/match", {"items": items}, content_type="application/json")

    assert response.status_code == 400
    assert str(MAX_BATCH_TEXT_CHARS) in response.json()["items"][0]


def test_it_refuses_a_licensee_match_batch_over_the_text_budget_before_parsing(cast, db, no_parse):
    secret = api_key_issue(licensee=licensee_create())[1]
    items = [{**ITEM, "cv_text": "x" * MAX_CV_TEXT_CHARS} for _ in range(6)]

    response = HttpClient().post(
        "/api/v1/licensee/predictions/match",
        {"items": items},
        content_type="application/json",
        HTTP_HOST=PUBLIC_HOST,
        HTTP_X_API_KEY=secret,
    )

    assert response.status_code == 400
    assert str(MAX_BATCH_TEXT_CHARS) in response.json()["items"][0]


@pytest.mark.parametrize("kind", ["match", "interview"])
def test_it_counts_the_stored_texts_of_an_application_batch_before_reading_them(cast, signed_in, kind, monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("a match ran for a batch over the budget")

    monkeypatch.setattr("predictions.match.service.application_match_for", refuse)
    monkeypatch.setattr("predictions.service.application_match_for", refuse)
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        cv = CVDocumentFactory(owner=owner, text="Python " * (MAX_CV_TEXT_CHARS // 7))
        application = ApplicationFactory(owner=owner, cv=cv)

    batch = {"items": [{"application_id": application.pk}] * 6}
    response = signed_in.post(f"/api/v1/predictions/{kind}", batch, content_type="application/json")

    assert response.status_code == 400
    assert str(MAX_BATCH_TEXT_CHARS) in response.json()["items"][0]


def test_it_refuses_a_posting_description_over_its_limit_instead_of_cutting_it(signed_in):
    body = {"title": "Data Engineer", "company": "Acme", "description": "x" * (MAX_DESCRIPTION_CHARS + 1)}

    response = signed_in.post("/api/v1/postings/", body, content_type="application/json")

    assert response.status_code == 400
    assert str(MAX_DESCRIPTION_CHARS) in response.json()["description"][0]
    with schema_context("alpha"):
        assert not JobPosting.objects.exists()


def test_it_refuses_a_posting_description_over_its_limit_on_the_page(signed_in):
    response = signed_in.post(
        "/app/postings/new/", {"title": "Data Engineer", "company": "Acme", "description": "x" * 50_001}
    )

    assert response.status_code == 400
    assert "50000" in response.content.decode().replace(",", "").replace("\u202f", "")
    with schema_context("alpha"):
        assert not JobPosting.objects.exists()


def test_it_refuses_pasted_cv_text_over_its_limit_instead_of_cutting_it(signed_in, no_parse):
    response = signed_in.post("/api/v1/cvs/", {"text": "x" * (MAX_CV_TEXT_CHARS + 1)}, content_type="application/json")

    assert response.status_code == 400
    assert str(MAX_CV_TEXT_CHARS) in response.json()["text"][0]
    with schema_context("alpha"):
        assert not CVDocument.objects.exists()


def test_it_stores_an_upload_whose_text_is_over_the_limit_as_unreadable_without_parsing_it(signed_in, no_parse):
    upload = SimpleUploadedFile("cv.txt", ("word " * 30_000).encode(), content_type="text/plain")

    response = signed_in.post("/api/v1/cvs/", {"file": upload})
    assert (response.status_code, response.json()["status"]) == (201, "reading")  # stored; the worker reads it
    with schema_context("alpha"):
        cv_read(cv_id=response.json()["id"])  # what the worker runs

        cv = CVDocument.objects.get(pk=response.json()["id"])
    assert cv.status == CVDocument.Status.UNREADABLE
    assert f"{MAX_CV_TEXT_CHARS:,}" in cv.unreadable_reason


def test_it_still_matches_a_batch_within_the_budget(signed_in):
    response = signed_in.post("/api/v1/predictions/match", {"items": [ITEM, ITEM]}, content_type="application/json")

    assert response.status_code == 200
    assert len(response.json()["items"]) == 2
