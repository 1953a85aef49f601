"""Text out of an uploaded CV file, decided by the file's content (never its name) and bounded against hostile files.

Contract: :func:`cv_file_read` never raises for bad input. Every failure is an ``Extraction`` with ``ok=False`` and a
translated, user-facing ``reason``; the caller stores such a file as an unreadable CV version. Reading stays within a
:class:`~tracking.cv.read_budget.ReadBudget` (pages, decompressed bytes, characters, seconds): a file over one is
refused with a reason naming it. It runs in a worker (tracking/cv/reading.py), never in a web request.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import puremagic
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from cvplus.text_limits import read_length
from tracking.cv.read_budget import OverBudget, ReadBudget, megabytes

logger = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_TYPE = "text/plain"
UNKNOWN_TYPE = "application/octet-stream"

MAX_PDF_PAGES = 50  # the default of settings.CV_READ_MAX_PAGES, which the budget reads
PDF_MAX_RECOVERY_INPUT_BYTES = 256 * 1024  # pypdf retries a broken stream one byte at a time, in Python
PDF_MAX_FORM_INVOCATIONS = 500  # form XObjects drawn per page (pypdf allows 5,000)
MAX_ZIP_ENTRIES = 200
MAX_ZIP_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_ZIP_COMPRESSION_RATIO = 100
# Tiny entries of repeated bytes (an empty style part) compress beyond 100:1 legitimately and are harmless; the ratio
# is judged only on entries large enough to matter.
ZIP_RATIO_MIN_ENTRY_BYTES = 64 * 1024
MIN_TEXT_CHARS = 20  # fewer non-space characters than this is "no text", not a CV
MIN_PRINTABLE_SHARE = 0.95

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc (and .xls, .msg)
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Extraction:
    ok: bool
    text: str
    content_type: str
    reason: str = ""


def _refused(content_type: str, reason: str) -> Extraction:
    return Extraction(ok=False, text="", content_type=content_type, reason=reason)


def _not_supported_reason() -> str:
    return _("This is not a PDF, Word (.docx) or text file.")


def cv_file_read(*, data: bytes, filename: str, budget: ReadBudget | None = None) -> Extraction:
    """Detects the type from the bytes and extracts the text. ``filename`` is used for logging only; ``budget``
    defaults to the settings' (its clock starts when it is made)."""
    budget = budget or ReadBudget.from_settings()
    limit_bytes = settings.CV_MAX_UPLOAD_BYTES
    if len(data) > limit_bytes:
        return _refused(
            UNKNOWN_TYPE,
            _("This file is larger than %(limit_mb)s MB.") % {"limit_mb": megabytes(limit_bytes)},
        )
    if not data.strip():
        return _refused(UNKNOWN_TYPE, _("This file is empty."))
    content_type = UNKNOWN_TYPE
    try:
        if b"%PDF-" in data[:1024]:  # readers accept a PDF header after a little leading junk; so do we
            content_type = PDF_TYPE
            return _pdf_read(data, budget)
        if data.startswith(ZIP_MAGIC):
            content_type = DOCX_TYPE
            return _docx_read(data, budget)
        if data.startswith(OLE2_MAGIC):
            return _refused(
                "application/x-ole-storage",
                _("This is an old Word (.doc) file. Save it as .docx or PDF and upload it again."),
            )
        text = _text_decode(data)
        if text is not None:
            content_type = TEXT_TYPE
            return cv_text_read(text, budget)
        return _refused(_sniffed_type(data), _not_supported_reason())
    except OverBudget as over:
        return _refused(content_type, over.reason)
    except SoftTimeLimitExceeded:
        raise  # the worker's own time limit: reading.py turns it into the time budget's reason
    except Exception:  # a parser bug on hostile input must become "unreadable", not a 500
        logger.warning("CV extraction failed unexpectedly for %r", filename[:100], exc_info=True)
        return _refused(UNKNOWN_TYPE, _("This file is damaged or could not be read."))


def _sniffed_type(data: bytes) -> str:
    try:
        return puremagic.from_string(data[:8192], mime=True) or UNKNOWN_TYPE
    except puremagic.PureError:
        return UNKNOWN_TYPE


# ---------------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------------
def _pdf_limits(budget: ReadBudget) -> dict[str, int]:
    """pypdf's own limits (pypdf.Configuration), tightened from its 75 MB defaults to this budget: no single stream
    may decode to more than the whole budget, and the slow byte-by-byte recovery of a damaged stream stays short."""
    stream_bytes = budget.max_decompressed_bytes
    return {
        "zlib_maximum_output_length": stream_bytes,
        "lzw_maximum_output_length": stream_bytes,
        "run_length_maximum_output_length": stream_bytes,
        "brotli_maximum_output_length": stream_bytes,
        "jbig2_maximum_output_length": stream_bytes,
        "array_based_stream_maximum_output_length": stream_bytes,
        "maximum_declared_stream_length": stream_bytes,
        "stream_decoding_work_maximum_length": 4 * stream_bytes,
        "image_maximum_buffer_size": stream_bytes,
        "zlib_maximum_recovery_input_length": PDF_MAX_RECOVERY_INPUT_BYTES,
        # Intermediate /Pages nodes count too: a real document needs far fewer than this.
        "page_tree_maximum_entries": 4 * budget.max_pages + 16,
        "xform_maximum_invocations_per_extraction": PDF_MAX_FORM_INVOCATIONS,
    }


def _pdf_read(data: bytes, budget: ReadBudget) -> Extraction:
    from pypdf import apply_configuration

    with apply_configuration(**_pdf_limits(budget)):
        return _pdf_read_limited(data, budget)


def _pdf_content_bytes(page) -> int:
    """Decodes the page's content streams (pypdf keeps the decoded copy that ``extract_text`` then reuses) and
    returns their decoded size, so the budget is counted over the whole document, not per stream."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def _pdf_read_limited(data: bytes, budget: ReadBudget) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    damaged = _("This file is damaged or not a real PDF.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An owner password alone (printing or copying restricted) still opens with the empty user password.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError):
                opened = 0
            if not opened:
                return _refused(PDF_TYPE, _("This PDF is password-protected. Upload a copy without a password."))
        n_pages = len(reader.pages)
    except LimitReachedError:
        return _refused(PDF_TYPE, budget.pages_reason(None))
    except Exception:
        return _refused(PDF_TYPE, damaged)
    if n_pages == 0:
        return _refused(PDF_TYPE, damaged)
    if n_pages > budget.max_pages:
        return _refused(PDF_TYPE, budget.pages_reason(n_pages))
    page_texts: list[str] = []
    decompressed_bytes = text_chars = 0
    try:
        for page in reader.pages:
            budget.time_check()
            decompressed_bytes += _pdf_content_bytes(page)
            if decompressed_bytes > budget.max_decompressed_bytes:
                return _refused(PDF_TYPE, budget.decompressed_reason())
            page_text = page.extract_text(extraction_mode="plain") or ""
            text_chars += read_length(page_text)
            budget.text_check(text_chars)
            page_texts.append(page_text)
    except LimitReachedError:
        return _refused(PDF_TYPE, budget.decompressed_reason())
    except (OverBudget, SoftTimeLimitExceeded):
        raise
    except Exception:
        return _refused(PDF_TYPE, damaged)
    budget.time_check()
    text = _text_tidy("\n\n".join(page_texts))
    if _visible_chars(text) < MIN_TEXT_CHARS:
        return _refused(PDF_TYPE, _("This PDF contains no text (scanned image?). Upload a PDF with selectable text."))
    return Extraction(ok=True, text=text, content_type=PDF_TYPE)


# ---------------------------------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------------------------------
def _zip_entry_name_unsafe(name: str) -> bool:
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized):
        return True
    return ".." in normalized.split("/") or posixpath.isabs(normalized)


def _zip_check(archive: zipfile.ZipFile) -> str:
    """The reason to refuse this archive without extracting anything, or "" when its directory is within bounds."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return _("This Word file has too many parts to be a CV.")
    total_bytes = 0
    for entry in entries:
        if _zip_entry_name_unsafe(entry.filename):
            return _("This Word file contains unsafe file names.")
        total_bytes += entry.file_size
        if entry.file_size >= ZIP_RATIO_MIN_ENTRY_BYTES and (
            entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_ZIP_COMPRESSION_RATIO
        ):
            return _("This Word file expands to far more than its size (a zip bomb?).")
    if total_bytes > MAX_ZIP_UNCOMPRESSED_BYTES:
        return _("This Word file expands to far more than its size (a zip bomb?).")
    return ""


def _docx_read(data: bytes, budget: ReadBudget) -> Extraction:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return _refused("application/zip", _("This file is damaged or not a real Word file."))
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            return _refused(_sniffed_type(data), _not_supported_reason())
        refusal = _zip_check(archive)
    if refusal:
        return _refused(DOCX_TYPE, refusal)
    try:
        text = _docx_text(data)
    except SoftTimeLimitExceeded:
        raise
    except Exception:
        return _refused(DOCX_TYPE, _("This file is damaged or not a real Word file."))
    budget.time_check()
    text = _text_tidy(text)
    budget.text_check(read_length(text))
    if _visible_chars(text) < MIN_TEXT_CHARS:
        return _refused(DOCX_TYPE, _("This Word file contains no text."))
    return Extraction(ok=True, text=text, content_type=DOCX_TYPE)


def _docx_text(data: bytes) -> str:
    """Paragraphs in document order, including those in tables and text boxes (two-column CV templates use both)."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    lines: list[str] = []
    for element in body.iter(qn("w:p")):
        lines.append(Paragraph(element, document).text)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                lines.extend(paragraph.text for paragraph in part.paragraphs)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------------------------------------
def _text_decode(data: bytes) -> str | None:
    """The text of a UTF-8 (BOM optional) or BOM-marked UTF-16 file, or None when the bytes are not such text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        return None
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if "\x00" in text or text.lstrip().startswith("{\\rtf"):
        return None
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return None
    printable = sum(1 for char in visible if char.isprintable())
    if printable / len(visible) < MIN_PRINTABLE_SHARE:
        return None
    return text


def cv_text_read(text: str, budget: ReadBudget | None = None) -> Extraction:
    """The text of a text file or of pasted text, tidied; refused (never raised) over the budget's characters."""
    budget = budget or ReadBudget.from_settings()
    text = _text_tidy(text)
    try:
        budget.text_check(read_length(text))
    except OverBudget as over:
        return _refused(TEXT_TYPE, over.reason)
    if _visible_chars(text) < MIN_TEXT_CHARS:
        return _refused(TEXT_TYPE, _("This file contains almost no text."))
    return Extraction(ok=True, text=text, content_type=TEXT_TYPE)


# ---------------------------------------------------------------------------------------------------------------------
# Shared
# ---------------------------------------------------------------------------------------------------------------------
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def _text_tidy(text: str) -> str:
    """NFC, Unix newlines, no control characters, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def _visible_chars(text: str) -> int:
    return sum(1 for char in text if not char.isspace())
