"""Text extraction decided by content, bounded against hostile files, never raising."""

from __future__ import annotations

import os

import pytest

from tests.tracking.fixtures import cv_files
from tracking.cv.extract import DOCX_TYPE, PDF_TYPE, TEXT_TYPE, cv_file_read

CV_LINES = ["Jane Doe", "WORK EXPERIENCE", "Senior Software Engineer, Acme 2019 - 2023", "Python, R, Go"]


def test_it_reads_the_text_of_a_pdf():
    result = cv_file_read(data=cv_files.pdf_make([CV_LINES]), filename="cv.pdf")

    assert result.ok
    assert result.content_type == PDF_TYPE
    assert result.text == "\n".join(CV_LINES)
    assert result.reason == ""


def test_it_reads_paragraphs_and_tables_of_a_docx():
    data = cv_files.docx_make(["Jane Doe", "Berufserfahrung"], table_rows=[["Skills", "Python, SQL"]])

    result = cv_file_read(data=data, filename="cv.docx")

    assert result.ok
    assert result.content_type == DOCX_TYPE
    assert result.text == "Jane Doe\nBerufserfahrung\nSkills\nPython, SQL"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_it_reads_plain_text_in_utf8_or_utf16_with_bom(encoding):
    text = "Jürgen Müller\nBerufserfahrung\nEntwickler seit 2020"

    result = cv_file_read(data=text.encode(encoding), filename="cv.txt")

    assert result.ok
    assert result.content_type == TEXT_TYPE
    assert result.text == text


def test_it_reads_a_pdf_named_docx_as_a_pdf():
    result = cv_file_read(data=cv_files.pdf_make([CV_LINES]), filename="cv.docx")

    assert result.ok
    assert result.content_type == PDF_TYPE


def test_it_reads_a_docx_named_pdf_as_a_docx():
    result = cv_file_read(data=cv_files.docx_make(["Jane Doe, software engineer since 2019"]), filename="cv.pdf")

    assert result.ok
    assert result.content_type == DOCX_TYPE


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (cv_files.PNG_BYTES, "image/png"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4, "application/octet-stream"),
        (b"\x00\x01\x02binary\x00" * 50, "application/octet-stream"),
    ],
)
def test_it_refuses_a_disguised_binary_named_pdf(data, content_type):
    result = cv_file_read(data=data, filename="cv.pdf")

    assert not result.ok
    assert result.text == ""
    assert result.reason == "This is not a PDF, Word (.docx) or text file."
    assert result.content_type == content_type


def test_it_refuses_an_encrypted_pdf_as_password_protected():
    result = cv_file_read(data=cv_files.pdf_encrypt(cv_files.pdf_make([CV_LINES])), filename="cv.pdf")

    assert not result.ok
    assert "password-protected" in result.reason


@pytest.mark.parametrize(
    "data",
    [
        cv_files.pdf_make([CV_LINES])[:300],
        b"%PDF-1.4\n" + os.urandom(4000),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=["truncated", "garbage-after-header", "dangling-references"],
)
def test_it_reports_a_corrupt_pdf_as_damaged(data):
    result = cv_file_read(data=data, filename="cv.pdf")

    assert not result.ok
    assert result.reason == "This file is damaged or not a real PDF."


def test_it_reports_a_pdf_without_a_text_layer_as_scanned():
    result = cv_file_read(data=cv_files.pdf_make([[], []]), filename="scan.pdf")

    assert not result.ok
    assert "contains no text (scanned image?)" in result.reason


def test_it_refuses_a_pdf_with_too_many_pages():
    result = cv_file_read(data=cv_files.pdf_make([["A page of a very long document"]] * 51), filename="cv.pdf")

    assert not result.ok
    assert result.reason == "This PDF has too many pages (51; at most 50)."


def test_it_reads_a_pdf_of_exactly_fifty_pages():
    assert cv_file_read(data=cv_files.pdf_make([["A page of a CV, long enough"]] * 50), filename="cv.pdf").ok


def test_it_refuses_a_zip_bomb_docx_without_extracting_it():
    bomb = cv_files.docx_with_extra_entries({"word/media/bomb.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000  # the point of a bomb: small on disk

    result = cv_file_read(data=bomb, filename="cv.docx")

    assert not result.ok
    assert "zip bomb" in result.reason


def test_it_refuses_a_docx_with_a_thousand_entries():
    data = cv_files.docx_with_extra_entries({f"word/parts/{i}.xml": b"<x/>" for i in range(1000)})

    result = cv_file_read(data=data, filename="cv.docx")

    assert not result.ok
    assert result.reason == "This Word file has too many parts to be a CV."


@pytest.mark.parametrize("name", ["../evil", "word/../../evil.xml", "/etc/passwd", "C:/Windows/evil.dll", "..\\evil"])
def test_it_refuses_a_docx_with_a_traversal_entry_name(name):
    result = cv_file_read(data=cv_files.docx_with_extra_entries({name: b"x"}), filename="cv.docx")

    assert not result.ok
    assert result.reason == "This Word file contains unsafe file names."


def test_it_refuses_a_zip_that_is_not_a_word_document():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "Not a CV at all, just a zip file with text in it.")

    result = cv_file_read(data=out.getvalue(), filename="cv.docx")

    assert not result.ok
    assert result.reason == "This is not a PDF, Word (.docx) or text file."


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.CV_MAX_UPLOAD_BYTES = 2048

    result = cv_file_read(data=b"a" * 2049, filename="cv.txt")

    assert not result.ok
    assert "larger than" in result.reason


def test_it_refuses_an_empty_file():
    result = cv_file_read(data=b"  \n ", filename="cv.txt")

    assert not result.ok
    assert result.reason == "This file is empty."


def test_it_explains_a_legacy_word_doc():
    result = cv_file_read(data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, filename="cv.doc")

    assert not result.ok
    assert ".docx" in result.reason


def test_it_translates_the_reason(settings):
    from django.utils import translation

    with translation.override("fr"):
        result = cv_file_read(data=cv_files.PNG_BYTES, filename="cv.pdf")

    assert not result.ok
    assert result.reason  # a message catalogue may not translate it yet; gettext must still return text
