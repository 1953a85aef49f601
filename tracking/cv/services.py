"""Writes that store a CV version (uploaded file or pasted text), and the selector for the latest one.

Invariants: a refused upload (too large, empty) stores nothing; an acceptable but unreadable file is stored as a
version with status "unreadable" and its reason, keeping the original bytes; versions per owner are 1, 2, 3... with
no gap or collision under concurrency (the owner's row is locked while the next number is taken); the file is saved
under a server-generated name and removed again if the transaction does not commit.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cvplus.text_limits import MAX_CV_TEXT_CHARS, read_length
from tenants.context import require_tenant_schema
from tracking.cv import keywords, sections
from tracking.cv.extract import TEXT_TYPE, Extraction, cv_file_read
from tracking.events import domain_event_record
from tracking.models import CVDocument, DomainEvent
from tracking.services import text_clean

PARSER_VERSION = "1"
MAX_PASTE_CHARS = 100_000
MAX_ORIGINAL_NAME_CHARS = 255
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def original_name_clean(name: str) -> str:
    """The user's file name for display only: basename, no path, no control or direction-override characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = _CONTROL_RE.sub("", name).replace("\\", "/")
    name = os.path.basename(name.rstrip("/")).strip().lstrip(".")
    return name[:MAX_ORIGINAL_NAME_CHARS]


CV_INDUSTRIES_SHOWN = 3


def cv_parse(text: str) -> dict:
    """The ``parsed`` document of a CV's text: sections, skills, titles, years of experience, contact flags, and
    the industries it reads as (its titles' O*NET occupations and task words against the industry keyword
    databases; empty until they are built)."""
    from market.keyword_databases import industry_detect

    cv_sections = sections.cv_sections_split(text)
    index = keywords.keyword_index()
    titles = keywords.titles_match(text=text, sections=cv_sections, index=index)
    industries = industry_detect(
        text=text, occupation_codes=[title["occupation_code"] for title in titles if title["taxonomy"] == "onet"]
    )
    return {
        "sections": cv_sections,
        "skills": keywords.skills_match(text, index=index),
        "titles": titles,
        "industries": [{"code": code, "share": share} for code, share in industries[:CV_INDUSTRIES_SHOWN]],
        "years_experience": sections.experience_years(cv_sections, today=timezone.localdate()),
        **sections.contact_flags(text),
    }


def _upload_read(uploaded_file: UploadedFile) -> bytes:
    """At most one byte more than the limit, so a larger file is known to be too large without reading all of it."""
    limit_bytes = settings.CV_MAX_UPLOAD_BYTES
    uploaded_file.seek(0)
    chunks: list[bytes] = []
    remaining = limit_bytes + 1
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def cv_upload(*, owner: User, uploaded_file: UploadedFile) -> CVDocument:
    """Stores an uploaded file as the owner's next CV version, parsed when readable, unreadable with its reason
    otherwise. Refuses (ValidationError on "file", nothing stored) a file that is empty or over the size limit."""
    require_tenant_schema()
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > settings.CV_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_large_message()})
    data = _upload_read(uploaded_file)
    if len(data) > settings.CV_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_large_message()})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    original_name = original_name_clean(getattr(uploaded_file, "name", "") or "")
    extraction = cv_file_read(data=data, filename=original_name)
    if extraction.ok and read_length(extraction.text) > MAX_CV_TEXT_CHARS:  # bounded before it is parsed
        reason = _("The text of this file is longer than %(limit)s characters.") % {"limit": MAX_CV_TEXT_CHARS}
        extraction = Extraction(ok=False, text="", content_type=extraction.content_type, reason=reason)
    return _cv_store(
        owner=owner,
        source=CVDocument.Source.UPLOAD,
        data=data,
        original_name=original_name,
        extraction=extraction,
    )


def cv_paste(*, owner: User, text: str) -> CVDocument:
    """Stores pasted text (markup stripped, at most 100,000 characters) as the owner's next CV version."""
    require_tenant_schema()
    if text is not None and len(text) > MAX_PASTE_CHARS * 2:
        raise ValidationError({"text": _("The text is too long (at most 100,000 characters).")})
    cleaned = text_clean(text, max_chars=MAX_PASTE_CHARS)
    if not cleaned:
        raise ValidationError({"text": _("Paste the text of your CV.")})
    return _cv_store(
        owner=owner,
        source=CVDocument.Source.PASTE,
        data=cleaned.encode("utf-8"),
        original_name="",
        extraction=Extraction(ok=True, text=cleaned, content_type=TEXT_TYPE),
    )


def _too_large_message() -> str:
    limit_mb = settings.CV_MAX_UPLOAD_BYTES / (1024 * 1024)
    return _("The file is larger than %(limit_mb)s MB.") % {"limit_mb": f"{limit_mb:g}"}


def _cv_store(*, owner: User, source: str, data: bytes, original_name: str, extraction: Extraction) -> CVDocument:
    # Parsing reads only public reference data: done before the transaction so the owner's lock is held briefly.
    parsed = cv_parse(extraction.text) if extraction.ok else {}
    saved_name: str | None = None
    document = CVDocument(
        owner=owner,
        source=source,
        original_name=original_name,
        content_type=extraction.content_type[:100],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=CVDocument.Status.PARSED if extraction.ok else CVDocument.Status.UNREADABLE,
        unreadable_reason=extraction.reason[:300],
        text=extraction.text,
        parsed=parsed,
        parser_version=PARSER_VERSION,
    )
    try:
        with transaction.atomic():
            # The owner's row is the lock that serialises version numbers between concurrent uploads.
            User.objects.select_for_update().only("pk").get(pk=owner.pk)
            latest = CVDocument.objects.filter(owner=owner).aggregate(latest=Max("version"))["latest"] or 0
            document.version = latest + 1
            if source == CVDocument.Source.UPLOAD:
                document.file.save("upload", ContentFile(data), save=False)  # name from cv_upload_path
                saved_name = document.file.name
            document.save()
            domain_event_record(
                kind=DomainEvent.Kind.CV_PARSED,
                actor_id=owner.pk,
                subject_id=document.pk,
                payload={
                    "cv_id": document.pk,
                    "status": document.status,
                    "skills": len(parsed.get("skills", [])),
                    "version": document.version,
                },
            )
    except BaseException:
        # No row points at the file: remove it so a failed upload leaves nothing behind. (An outer transaction rolled
        # back after this one succeeded would leave an orphan file but never a partial version.)
        if saved_name:
            document.file.storage.delete(saved_name)
        raise
    return document


def cv_latest(*, owner: User) -> CVDocument | None:
    """The owner's newest CV version, or None before the first one."""
    require_tenant_schema()
    return CVDocument.objects.filter(owner=owner).order_by("-version").first()
