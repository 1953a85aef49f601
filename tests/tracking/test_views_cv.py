"""The CV page: versions, what was read from each, an unreadable file as its own state, the owner-only download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from accounts.models import User
from tracking.models import CVDocument

pytestmark = pytest.mark.django_db

PARSED = {
    "sections": [{"kind": "experience", "heading": "Work experience", "text": "…", "start_line": 3}],
    "skills": [
        {
            "name": "Python",
            "key": "python",
            "taxonomy": "esco",
            "evidence": "Built ETL pipelines in Python and SQL",
            "matched_text": "Python",
        }
    ],
    "titles": [{"title_as_written": "Data Engineer", "occupation_title": "data engineer"}],
    "years_experience": 6,
}


def make_cv(
    owner: User,
    *,
    status: str = CVDocument.Status.PARSED,
    parsed: dict | None = None,
    reason: str = "",
    content: bytes | None = None,
    original_name: str = "",
) -> CVDocument:
    with schema_context("alpha"):
        version = (
            CVDocument.objects.filter(owner=owner).order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
        cv = CVDocument(
            owner=owner,
            version=version,
            source=CVDocument.Source.UPLOAD if content is not None else CVDocument.Source.PASTE,
            original_name=original_name,
            content_type="text/plain" if content is not None else "",
            size_bytes=len(content or b""),
            sha256=hashlib.sha256(content or b"").hexdigest(),
            status=status,
            unreadable_reason=reason,
            parsed=PARSED if parsed is None else parsed,
        )
        if content is not None:
            cv.file.save("ignored", ContentFile(content), save=False)
        cv.save()
        return cv


def test_it_shows_the_latest_versions_sections_skills_with_evidence_titles_and_years(owner, owner_client) -> None:
    make_cv(owner, parsed={})
    make_cv(owner)
    response = owner_client.get("/app/cv/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 2" in page
    assert "latest" in page
    for expected in ("Work experience", "Python", "Built ETL pipelines in Python and SQL", "Data Engineer"):
        assert expected in page
    assert "About 6 years, from the dates in your CV." in page


def test_it_shows_an_unreadable_version_with_its_reason_never_as_an_empty_cv(owner, owner_client) -> None:
    cv = make_cv(owner, status=CVDocument.Status.UNREADABLE, parsed={}, reason="The PDF is a scanned image.")
    page = owner_client.get(f"/app/cv/{cv.pk}/").content.decode()
    assert "We could not read this file" in page
    assert "The PDF is a scanned image." in page
    assert "No skills found." not in page
    assert "Sections found" not in page


def test_it_shows_an_older_version_by_its_id(owner, owner_client) -> None:
    first = make_cv(owner, parsed={"skills": [{"name": "Cobol", "evidence": "Cobol batch jobs"}]})
    make_cv(owner)
    page = owner_client.get(f"/app/cv/{first.pk}/").content.decode()
    assert "Cobol batch jobs" in page
    assert "Built ETL pipelines" not in page


def test_it_streams_the_original_file_as_an_attachment_with_a_sanitised_name(owner, owner_client) -> None:
    cv = make_cv(owner, content=b"Olive Owner\nData Engineer", original_name='../../etc/"passwd" cv.txt')
    response = owner_client.get(f"/app/cv/{cv.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Olive Owner\nData Engineer"
    assert response["Content-Disposition"] == 'attachment; filename="passwd_ cv.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_names_a_download_without_an_original_name_after_its_version(owner, owner_client) -> None:
    cv = make_cv(owner, content=b"text")
    response = owner_client.get(f"/app/cv/{cv.pk}/file/")
    assert response["Content-Disposition"] == f'attachment; filename="cv-v{cv.version}.txt"'


def test_it_has_no_file_to_download_for_a_pasted_version(owner, owner_client) -> None:
    cv = make_cv(owner)
    assert owner_client.get(f"/app/cv/{cv.pk}/file/").status_code == 404


def test_it_uploads_a_text_cv_through_the_cv_service(owner, owner_client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "olive.txt", b"Olive Owner\n\nExperience\nData Engineer, Acme, 2018-2024\nPython, SQL\n", "text/plain"
    )
    response = owner_client.post("/app/cv/upload/", {"file": upload})
    assert response.status_code == 302
    with schema_context("alpha"):
        cv = CVDocument.objects.get(owner=owner)
    assert response["Location"] == f"/app/cv/{cv.pk}/"
    assert owner_client.get(response["Location"]).status_code == 200


def test_it_pastes_a_cv_through_the_cv_service(owner, owner_client) -> None:
    response = owner_client.post("/app/cv/paste/", {"text": "Experience\nData Engineer at Acme\nPython and SQL"})
    assert response.status_code == 302
    with schema_context("alpha"):
        assert CVDocument.objects.filter(owner=owner, source=CVDocument.Source.PASTE).count() == 1


def test_it_asks_for_a_file_when_the_upload_form_is_empty(owner, owner_client) -> None:
    response = owner_client.post("/app/cv/upload/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
