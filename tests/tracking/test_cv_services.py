"""Storing CV versions: a refused upload stores nothing, an unreadable file is kept with its reason, versions count.
The worker's reading is run inline here (tests/tracking/test_cv_reading.py tests it on its own)."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from market.models import Skill
from tenants.context import NotInTenantSchema
from tests.tracking.fixtures import cv_files
from tests.tracking.inline_tasks import tasks_inline
from tracking.cv import keywords
from tracking.cv.extract import DOCX_TYPE, PDF_TYPE
from tracking.cv.services import cv_latest, cv_paste, cv_upload, original_name_clean
from tracking.models import CVDocument, DomainEvent

pytestmark = pytest.mark.django_db

CV_LINES = [
    "Olive Owner",
    "olive@example.com",
    "Work Experience",
    "Software Engineer, Acme, 2018 - 2023",
    "Skills",
    "Python, Kubernetes, R",
]


@pytest.fixture(autouse=True)
def market_skills(cast):
    """A few public-schema skills, and an index built from exactly these rows."""
    for name in ("Python", "Kubernetes", "R"):
        Skill.objects.create(taxonomy="onet", key=name.casefold(), name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


def _pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, cv_files.pdf_make([CV_LINES]), content_type="application/pdf")


def _read(upload) -> CVDocument:
    """Stores the upload (or pasted text) and runs the worker's reading inline, as without Redis."""
    with tasks_inline():
        cv = upload()
    cv.refresh_from_db()
    return cv


def test_it_stores_a_parsed_pdf_as_version_one(owner):
    with schema_context("alpha"):
        cv = _read(lambda: cv_upload(owner=owner, uploaded_file=_pdf_upload()))

        assert cv.version == 1
        assert cv.status == CVDocument.Status.PARSED
        assert cv.content_type == PDF_TYPE
        assert cv.source == CVDocument.Source.UPLOAD
        assert cv.parser_version == "2"
        assert cv.text == "\n".join(CV_LINES)
        assert [skill["name"] for skill in cv.parsed["skills"]] == ["Python", "Kubernetes", "R"]
        assert cv.parsed["years_experience"] == 5
        assert cv.parsed["has_email"] is True
        assert [section["kind"] for section in cv.parsed["sections"]] == ["header", "experience", "skills"]
        with cv.file.open("rb") as stored:
            assert stored.read() == cv_files.pdf_make([CV_LINES])
        event = DomainEvent.objects.get(kind=DomainEvent.Kind.CV_PARSED)
        assert event.payload == {"cv_id": cv.pk, "status": "parsed", "skills": 3, "version": 1}
        assert event.actor_id == owner.pk
        assert event.subject_id == cv.pk


def test_it_numbers_versions_one_two_three(owner):
    with schema_context("alpha"):
        versions = [
            cv_upload(owner=owner, uploaded_file=_pdf_upload()).version,
            cv_paste(owner=owner, text="Olive Owner\nSkills\nPython and Kubernetes").version,
            cv_upload(owner=owner, uploaded_file=_pdf_upload()).version,
        ]

        assert versions == [1, 2, 3]
        assert cv_latest(owner=owner).version == 3


def test_it_refuses_an_oversized_upload_and_stores_nothing(owner, settings):
    files_before = _stored_files()
    with schema_context("alpha"):
        too_big = SimpleUploadedFile("cv.txt", b"a" * (settings.CV_MAX_UPLOAD_BYTES + 1))

        with pytest.raises(ValidationError) as refusal:
            cv_upload(owner=owner, uploaded_file=too_big)

        assert refusal.value.message_dict == {"file": ["The file is larger than 5 MB."]}
        assert not CVDocument.objects.exists()
        assert not DomainEvent.objects.exists()
    assert _stored_files() == files_before


def test_it_refuses_an_oversized_stream_that_misreports_its_size(owner, settings):
    settings.CV_MAX_UPLOAD_BYTES = 4096
    with schema_context("alpha"):
        lying = SimpleUploadedFile("cv.txt", b"a" * 5000)
        lying.size = 10

        with pytest.raises(ValidationError):
            cv_upload(owner=owner, uploaded_file=lying)

        assert not CVDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason_part"),
    [
        ("cv.pdf", cv_files.PNG_BYTES, "not a PDF, Word (.docx) or text file"),
        ("cv.pdf", cv_files.pdf_encrypt(cv_files.pdf_make([CV_LINES])), "password-protected"),
        ("cv.pdf", cv_files.pdf_make([CV_LINES])[:300], "damaged"),
        ("scan.pdf", cv_files.pdf_make([[]]), "scanned image"),
        ("cv.docx", cv_files.docx_with_extra_entries({"../evil": b"x"}), "unsafe file names"),
    ],
    ids=["png-named-pdf", "encrypted", "truncated", "scanned", "traversal-entry"],
)
def test_it_stores_an_unreadable_file_with_its_reason_and_bytes(owner, name, data, reason_part):
    with schema_context("alpha"):
        cv = _read(lambda: cv_upload(owner=owner, uploaded_file=SimpleUploadedFile(name, data)))

        assert cv.status == CVDocument.Status.UNREADABLE
        assert reason_part in cv.unreadable_reason
        assert cv.text == ""
        assert cv.parsed == {}
        assert cv.size_bytes == len(data)
        with cv.file.open("rb") as stored:
            assert stored.read() == data
        assert DomainEvent.objects.get().payload == {
            "cv_id": cv.pk,
            "status": "unreadable",
            "skills": 0,
            "version": 1,
        }


def test_it_reads_a_docx_named_pdf_by_its_content(owner):
    with schema_context("alpha"):
        upload = SimpleUploadedFile("cv.pdf", cv_files.docx_make(CV_LINES))

        cv = _read(lambda: cv_upload(owner=owner, uploaded_file=upload))

        assert cv.status == CVDocument.Status.PARSED
        assert cv.content_type == DOCX_TYPE


def test_it_never_uses_the_uploaded_name_on_disk(owner):
    with schema_context("alpha"):
        cv = cv_upload(owner=owner, uploaded_file=_pdf_upload("../../etc/passwd.pdf"))

        assert cv.original_name == "passwd.pdf"
        assert cv.file.name.startswith("cv/")
        assert "passwd" not in cv.file.name
        assert ".." not in cv.file.name


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("C:\\Users\\olive\\CV final.pdf", "CV final.pdf"),
        ("cv\x00\x1b[31m.pdf", "cv[31m.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("/", ""),
        ("a" * 300 + ".pdf", "a" * 255),
    ],
)
def test_it_sanitises_the_original_name_for_display(name, clean):
    assert original_name_clean(name) == clean


def test_it_stores_pasted_text_cleaned(owner):
    with schema_context("alpha"):
        cv = _read(lambda: cv_paste(owner=owner, text="<b>Olive Owner</b><script>x()</script>\nSkills\nPython"))

        assert cv.source == CVDocument.Source.PASTE
        assert cv.text == "Olive Owner\nSkills\nPython"
        assert cv.file.name == ""
        assert [skill["name"] for skill in cv.parsed["skills"]] == ["Python"]


@pytest.mark.parametrize("text", ["", "   ", "<p></p>"])
def test_it_refuses_empty_pasted_text(owner, text):
    with schema_context("alpha"):
        with pytest.raises(ValidationError) as refusal:
            cv_paste(owner=owner, text=text)

        assert refusal.value.message_dict == {"text": ["Paste the text of your CV."]}
        assert not CVDocument.objects.exists()


def test_it_removes_the_written_file_when_the_transaction_fails(owner, monkeypatch):
    files_before = _stored_files()

    def fail(**kwargs):
        raise RuntimeError("upload records down")

    monkeypatch.setattr("tracking.cv.services.upload_record", fail)
    with schema_context("alpha"):
        with pytest.raises(RuntimeError):
            cv_upload(owner=owner, uploaded_file=_pdf_upload())

        assert not CVDocument.objects.exists()
    assert _stored_files() == files_before


def test_it_refuses_to_run_in_the_public_schema(owner):
    with schema_context("public"):
        with pytest.raises(NotInTenantSchema):
            cv_upload(owner=owner, uploaded_file=_pdf_upload())
        with pytest.raises(NotInTenantSchema):
            cv_paste(owner=owner, text="Olive Owner, Python")
        with pytest.raises(NotInTenantSchema):
            cv_latest(owner=owner)

    with schema_context("alpha"):
        assert not CVDocument.objects.exists()


def test_it_keeps_versions_per_owner(cast, owner):
    with schema_context("alpha"):
        member = User.objects.get(email=cast.member_email)
        cv_paste(owner=owner, text="Olive Owner, Python developer")

        assert cv_paste(owner=member, text="Mo Member, Kubernetes operator").version == 1


def _stored_files() -> set[str]:
    """Every file under MEDIA_ROOT (all tenants), to prove an upload left nothing behind."""
    from django.conf import settings

    found = set()
    for directory, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(directory, name) for name in files)
    return found
