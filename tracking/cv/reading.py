"""Reading a stored CV version, in a worker (tracking.tasks.cv_read_task), never in a web request.

One path for every source: an uploaded PDF, DOCX or text file and pasted text are all stored "reading"
(tracking/cv/services.py), then :func:`cv_read` extracts the text within the read budget (tracking/cv/
read_budget.py), parses it and writes the outcome, "parsed" or "unreadable" with the reason. The original is kept
whatever happens.

Idempotent and safe under redelivery: an attempt first claims the version with a conditional UPDATE (only a version
still reading, and not claimed by an attempt that may still be alive); the outcome is written with another that only
matches a version still reading, so it is written once. A worker killed while reading (hard time limit, out of
memory) leaves a stale claim: :func:`tracking.cv.services.cv_reading_check`, run when the owner looks at the
version, sends it again, and after ``MAX_ATTEMPTS`` such deaths gives up with the time budget's reason.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.context import require_tenant_schema
from tracking.cv import keywords, sections
from tracking.cv.extract import UNKNOWN_TYPE, Extraction, cv_file_read, cv_text_read
from tracking.cv.language import language_detect
from tracking.cv.read_budget import OverBudget, ReadBudget, time_reason
from tracking.events import domain_event_record
from tracking.models import CVDocument, DomainEvent

logger = logging.getLogger(__name__)

PARSER_VERSION = "2"  # 2: the detected language, skill labels and concepts (issue 15)
CV_INDUSTRIES_SHOWN = 3
MAX_ATTEMPTS = 2
# The task's Celery limits sit above the read budget's own checks, for a parser stuck inside one call.
SOFT_LIMIT_MARGIN_S = 10
HARD_LIMIT_MARGIN_S = 25
# A version still waiting this long (its message lost, or sent while the broker was down) is sent again.
REQUEUE_AFTER = timedelta(minutes=2)


def task_time_limits() -> tuple[int, int]:
    """The read task's soft and hard time limits, in seconds."""
    budget_s = settings.CV_READ_TIME_BUDGET_S
    return budget_s + SOFT_LIMIT_MARGIN_S, budget_s + HARD_LIMIT_MARGIN_S


def claim_stale_after() -> timedelta:
    # Past the hard limit the attempt that claimed the version is dead: Celery has killed it.
    return timedelta(seconds=task_time_limits()[1] + 30)


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
        "language": language_detect(text).as_dict(),
        "sections": cv_sections,
        "skills": keywords.skills_match(text, index=index),
        "titles": titles,
        "industries": [{"code": code, "share": share} for code, share in industries[:CV_INDUSTRIES_SHOWN]],
        "years_experience": sections.experience_years(cv_sections, today=timezone.localdate()),
        **sections.contact_flags(text),
    }


def _claim(cv_id: int) -> bool:
    now = timezone.now()
    claimed = (
        CVDocument.objects.filter(pk=cv_id, status=CVDocument.Status.READING)
        .filter(Q(reading_started_at__isnull=True) | Q(reading_started_at__lt=now - claim_stale_after()))
        .update(reading_started_at=now, reading_attempts=F("reading_attempts") + 1)
    )
    return claimed == 1


def _extract(cv: CVDocument, budget: ReadBudget) -> Extraction:
    if cv.source == CVDocument.Source.PASTE:
        return cv_text_read(cv.text, budget)
    try:
        with cv.file.open("rb") as handle:
            data = handle.read(settings.CV_MAX_UPLOAD_BYTES + 1)
    except (FileNotFoundError, ValueError):  # ValueError: the version has no file
        logger.error("CV %s: the stored original is missing", cv.pk)
        return Extraction(ok=False, text="", content_type=UNKNOWN_TYPE, reason=_("This file could not be read."))
    return cv_file_read(data=data, filename=cv.original_name, budget=budget)


def reading_finish(cv: CVDocument, extraction: Extraction, parsed: dict) -> str | None:
    """Writes the outcome if the version is still reading; returns the new status, or None when another attempt
    wrote first."""
    status = CVDocument.Status.PARSED if extraction.ok else CVDocument.Status.UNREADABLE
    with transaction.atomic():
        written = CVDocument.objects.filter(pk=cv.pk, status=CVDocument.Status.READING).update(
            status=status,
            content_type=(extraction.content_type or cv.content_type)[:100],
            unreadable_reason=extraction.reason[:300],
            text=extraction.text if extraction.ok else ("" if cv.source == CVDocument.Source.UPLOAD else cv.text),
            parsed=parsed,
            parser_version=PARSER_VERSION,
        )
        if not written:
            return None
        domain_event_record(
            kind=DomainEvent.Kind.CV_PARSED,
            actor_id=cv.owner_id,
            subject_id=cv.pk,
            payload={"cv_id": cv.pk, "status": status, "skills": len(parsed.get("skills", [])), "version": cv.version},
        )
    return status


def out_of_time(cv: CVDocument) -> Extraction:
    reason = time_reason(settings.CV_READ_TIME_BUDGET_S)
    return Extraction(ok=False, text="", content_type=cv.content_type or UNKNOWN_TYPE, reason=reason)


def cv_read(*, cv_id: int) -> str | None:
    """Reads the version if it is still reading and this attempt wins the claim; returns the status written, or
    None when there was nothing to do (gone, already read, or being read by another live attempt)."""
    require_tenant_schema()
    if not _claim(cv_id):
        return None
    cv = CVDocument.objects.get(pk=cv_id)
    if cv.reading_attempts > MAX_ATTEMPTS:
        return reading_finish(cv, out_of_time(cv), {})
    budget = ReadBudget.from_settings()
    extraction, parsed = out_of_time(cv), {}  # what stands if the soft time limit strikes during extraction
    try:
        extraction = _extract(cv, budget)
        if extraction.ok:
            budget.time_check()
            parsed = cv_parse(extraction.text)
    except OverBudget as over:
        extraction, parsed = replace(extraction, ok=False, text="", reason=over.reason), {}
    except SoftTimeLimitExceeded:
        extraction, parsed = replace(out_of_time(cv), content_type=extraction.content_type), {}
    return reading_finish(cv, extraction, parsed)
