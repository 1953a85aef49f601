"""Writes that store a CV version (uploaded file or pasted text), and the selector for the latest one.

Invariants: a refused upload (too large, empty, over the upload budget) stores nothing; an accepted one is stored at
once, original bytes kept, as a version "reading" that a worker then reads and parses (tracking/cv/reading.py), so no
web request parses a file; versions per owner are 1, 2, 3... with no gap or collision under concurrency (the owner's
row is locked while the budget is checked and the next number taken); the file is saved under a server-generated
name and removed again if the transaction does not commit.
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
from tenants.context import require_tenant_schema
from tenants.tasks import enqueue_on_commit
from tracking.cv.extract import TEXT_TYPE
from tracking.cv.reading import (  # noqa: F401 - cv_parse is used from here
    MAX_ATTEMPTS,
    PARSER_VERSION,
    REQUEUE_AFTER,
    claim_stale_after,
    cv_parse,
    out_of_time,
    reading_finish,
)
from tracking.cv.upload_budget import upload_budget_check, upload_record
from tracking.models import CVDocument
from tracking.services import text_clean
from tracking.tasks import cv_read_task

MAX_PASTE_CHARS = 100_000
MAX_ORIGINAL_NAME_CHARS = 255
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def original_name_clean(name: str) -> str:
    """The user's file name for display only: basename, no path, no control or direction-override characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = _CONTROL_RE.sub("", name).replace("\\", "/")
    name = os.path.basename(name.rstrip("/")).strip().lstrip(".")
    return name[:MAX_ORIGINAL_NAME_CHARS]


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
    """Stores an uploaded file as the owner's next CV version, "reading" until a worker has read it. Refuses
    (ValidationError on "file", nothing stored) a file that is empty or over the size limit, and
    (upload_budget.UploadBudgetExceeded) an upload over the owner's upload budget."""
    require_tenant_schema()
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > settings.CV_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_large_message()})
    data = _upload_read(uploaded_file)
    if len(data) > settings.CV_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_large_message()})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    return _cv_store(
        owner=owner,
        source=CVDocument.Source.UPLOAD,
        data=data,
        original_name=original_name_clean(getattr(uploaded_file, "name", "") or ""),
    )


def cv_paste(*, owner: User, text: str) -> CVDocument:
    """Stores pasted text (markup stripped, at most 100,000 characters) as the owner's next CV version, "reading"
    like an upload: the worker reads both the same way."""
    require_tenant_schema()
    if text is not None and len(text) > MAX_PASTE_CHARS * 2:
        raise ValidationError({"text": _("The text is too long (at most 100,000 characters).")})
    cleaned = text_clean(text, max_chars=MAX_PASTE_CHARS)
    if not cleaned:
        raise ValidationError({"text": _("Paste the text of your CV.")})
    return _cv_store(owner=owner, source=CVDocument.Source.PASTE, data=cleaned.encode("utf-8"), original_name="")


def _too_large_message() -> str:
    limit_mb = settings.CV_MAX_UPLOAD_BYTES / (1024 * 1024)
    return _("The file is larger than %(limit_mb)s MB.") % {"limit_mb": f"{limit_mb:g}"}


def _cv_store(*, owner: User, source: str, data: bytes, original_name: str) -> CVDocument:
    now = timezone.now()
    saved_name: str | None = None
    pasted = source == CVDocument.Source.PASTE
    document = CVDocument(
        owner=owner,
        source=source,
        original_name=original_name,
        # An upload's type is read from its bytes by the worker; pasted text is text.
        content_type=TEXT_TYPE if pasted else "",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=CVDocument.Status.READING,
        # Pasted text has no file: the text is its original, kept here for the worker to read.
        text=data.decode("utf-8") if pasted else "",
        parsed={},
        reading_queued_at=now,
    )
    try:
        with transaction.atomic():
            # The owner's row is the lock that serialises the upload budget and version numbers between concurrent
            # uploads.
            User.objects.select_for_update().only("pk").get(pk=owner.pk)
            upload_budget_check(owner=owner, now=now)
            latest = CVDocument.objects.filter(owner=owner).aggregate(latest=Max("version"))["latest"] or 0
            document.version = latest + 1
            if not pasted:
                document.file.save("upload", ContentFile(data), save=False)  # name from cv_upload_path
                saved_name = document.file.name
            document.save()
            upload_record(owner=owner, now=now)
            cv_reading_enqueue(cv_id=document.pk)
    except BaseException:
        # No row points at the file: remove it so a failed upload leaves nothing behind. (An outer transaction rolled
        # back after this one succeeded would leave an orphan file but never a partial version.)
        if saved_name:
            document.file.storage.delete(saved_name)
        raise
    return document


def cv_latest(*, owner: User) -> CVDocument | None:
    """The owner's newest CV version that is not unreadable (read, or still being read), or None before the first
    one. An unreadable upload is kept as a version but never becomes the CV that counts."""
    require_tenant_schema()
    return (
        CVDocument.objects.filter(owner=owner).exclude(status=CVDocument.Status.UNREADABLE).order_by("-version").first()
    )


def cv_reading_enqueue(*, cv_id: int) -> None:
    """Sends the version to the worker once the current transaction commits (inline when tasks run inline)."""
    enqueue_on_commit(cv_read_task, cv_id)


def cv_reading_check(*, cv: CVDocument) -> CVDocument:
    """Run when the owner looks at a version still reading: sends it to the worker again when its message seems
    lost (never started after ``REQUEUE_AFTER``) or its last attempt died, and gives up with the time budget's
    reason after ``MAX_ATTEMPTS`` deaths. At most one resend per ``REQUEUE_AFTER``, whoever polls."""
    require_tenant_schema()
    if cv.status != CVDocument.Status.READING:
        return cv
    now = timezone.now()
    if cv.reading_queued_at is not None and cv.reading_queued_at > now - REQUEUE_AFTER:
        return cv
    started = cv.reading_started_at
    if started is not None and started > now - claim_stale_after():
        return cv  # an attempt may still be running
    if started is not None and cv.reading_attempts >= MAX_ATTEMPTS:
        reading_finish(cv, out_of_time(cv), {})
        cv.refresh_from_db()
        return cv
    with transaction.atomic():
        resent = CVDocument.objects.filter(
            pk=cv.pk, status=CVDocument.Status.READING, reading_queued_at=cv.reading_queued_at
        ).update(reading_queued_at=now)
        if resent:
            cv_reading_enqueue(cv_id=cv.pk)
    cv.refresh_from_db()
    return cv
