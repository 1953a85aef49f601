"""The background part of a CSV import: a confirmed ImportJob's planned rows imported in batches by a worker
(tracking.tasks.import_job_run), with progress the result page polls.

Guarantees, for a worker killed at any moment:
- each batch is one transaction that writes its rows and advances the job's ``processed`` cursor together, under a
  lock on the job's row, so a batch is either wholly written and counted or not at all, and a resumed job (a second
  task, a redelivered message) starts exactly after the last committed batch: no row is imported twice;
- inside a batch each row has its own savepoint: a row a service refuses (the plan's limit reached meanwhile, a
  date the history rules refuse) is reported with its reason and leaves nothing behind, and the others go in;
- a job that stops making progress (its worker died, its message was lost, the broker was down when it was sent)
  is sent again by :func:`tracking.io.queueing.import_job_check` when its owner looks at it.
Each row goes through the services (posting_create, application_create, application_move), as typed-in ones do;
follow-up reminders the import would schedule in the past are cancelled in the row's batch.
"""

from __future__ import annotations

import logging
import time as monotonic_time
from datetime import date, datetime, time, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking.io.formats import PATH_FROM_APPLIED
from tracking.io.importing import duplicate_key, existing_keys, row_date
from tracking.models import Application, ImportJob, Reminder, Stage
from tracking.services import application_create, application_move, note_add, posting_create

logger = logging.getLogger(__name__)

BATCH_ROWS = 100  # ~1 s of work (bench/tracking.py measured ~10 ms a row)
TIME_SLICE_S = 30  # a task imports for this long, then sends itself again, so one import never holds a worker
TASK_SOFT_LIMIT_S = 120
TASK_HARD_LIMIT_S = 150
STALLED_AFTER = timedelta(minutes=2)  # no batch committed for this long: the job is sent again when polled

MORE_TO_DO = "more"
NOTHING_TO_DO = "nothing"


def _at(day: date) -> datetime:
    """Noon on that day in the current time zone, so the date survives conversions; never after now."""
    return min(timezone.make_aware(datetime.combine(day, time(12))), timezone.now())


def _row_import(*, user: User, row: dict, stage: str, today: date) -> Application:
    posting = posting_create(
        owner=user,
        title=row["title"],
        company=row["company"],
        description=row["description"],
        url=row["url"],
        location=row["location"],
        salary_min=row["salary_min"],
        salary_max=row["salary_max"],
        salary_currency=row["salary_currency"],
        salary_period=row["salary_period"],
    )
    at = _at(row_date(row, today))
    never_applied = stage == Stage.SAVED or (stage == Stage.WITHDRAWN and not row["applied_on"])
    application = application_create(
        owner=user,
        posting=posting,
        channel=row["channel"],
        stage=Stage.SAVED if never_applied else Stage.APPLIED,
        at=_at(date.fromisoformat(row["saved_on"] or row["applied_on"] or today.isoformat())) if never_applied else at,
    )
    path = (Stage.WITHDRAWN,) if never_applied and stage == Stage.WITHDRAWN else PATH_FROM_APPLIED[stage]
    for step in () if stage == Stage.SAVED else path:
        offer = (
            {"offer_amount": row["offer_amount"], "offer_currency": row["offer_currency"]} if step == "offer" else {}
        )
        application_move(application=application, to_stage=step, by=user, at=at, **offer)
    if row["notes"]:
        note_add(application=application, body=row["notes"])
    return application


def _skipped(row: dict, reason: str) -> dict:
    return {"row": row["row"], "company": row["company"], "errors": [{"column": "", "reason": reason}]}


def _batch_run(job: ImportJob) -> str:
    """Imports the next batch of ``job``'s plan in one transaction; returns the job's state afterwards, or
    MORE_TO_DO. ``job`` carries the rows and the plan, which never change after confirmation."""
    with transaction.atomic():
        locked = (
            ImportJob.objects.select_for_update()
            .only("state", "owner", "planned", "processed", "imported", "skipped")
            .get(pk=job.pk)
        )
        if locked.state != ImportJob.State.RUNNING:
            return locked.state
        batch = job.plan[locked.processed : locked.processed + BATCH_ROWS]
        user, today = job.owner, timezone.localdate()
        seen = existing_keys(user)
        imported_ids: list[int] = []
        for index, stage in batch:
            row = job.rows[index]
            key = duplicate_key(row["company"], row["title"], row["applied_on"])
            if key in seen:  # typed in by the user since the preview
                locked.skipped.append(_skipped(row, _("Already in your tracker (same company, title and date).")))
                continue
            try:
                with transaction.atomic():
                    imported_ids.append(_row_import(user=user, row=row, stage=stage, today=today).pk)
            except ValidationError as exc:
                reason = _("Could not be imported: %(reason)s") % {"reason": "; ".join(exc.messages)}
                locked.skipped.append(_skipped(row, reason))
            else:
                seen.add(key)
        # Imported history is not news: follow-ups already due would all fire at once for old applications.
        Reminder.objects.filter(
            application_id__in=imported_ids, status=Reminder.Status.SCHEDULED, due_at__lt=timezone.now()
        ).update(status=Reminder.Status.CANCELLED)
        locked.processed += len(batch)
        locked.imported += len(imported_ids)
        locked.heartbeat_at = timezone.now()
        fields = ["processed", "imported", "skipped", "heartbeat_at"]
        if locked.processed >= locked.planned:
            # Done: only the summary stays; the file's rows (notes, salaries) are not kept.
            locked.state, locked.finished_at, locked.rows, locked.plan = ImportJob.State.DONE, timezone.now(), [], []
            fields += ["state", "finished_at", "rows", "plan"]
        locked.save(update_fields=fields)
        return locked.state if locked.state == ImportJob.State.DONE else MORE_TO_DO


def _fail(job_id: int, reason: str) -> None:
    ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING).update(
        state=ImportJob.State.FAILED, failure_reason=reason[:300], finished_at=timezone.now()
    )


def import_job_work(*, job_id: int, time_slice_s: float = TIME_SLICE_S) -> str:
    """Imports batches of a queued or running job for about ``time_slice_s``; returns MORE_TO_DO when rows remain,
    else the job's state (or NOTHING_TO_DO for a job that is gone, not confirmed, or finished)."""
    require_tenant_schema()
    ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, heartbeat_at=timezone.now()
    )
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, state=ImportJob.State.RUNNING).first()
    if job is None:
        return NOTHING_TO_DO
    deadline = monotonic_time.monotonic() + time_slice_s
    # The report is written in the language the user previewed the file in, not the worker's.
    with translation.override(job.language or None):
        while True:
            try:
                outcome = _batch_run(job)
            except SoftTimeLimitExceeded:
                return MORE_TO_DO  # the batch rolled back; the next task takes it again
            except Exception:
                logger.exception("Import job %s stopped on an unexpected error", job_id)
                _fail(job_id, _("The import stopped on an unexpected error. The rows imported so far are kept."))
                return ImportJob.State.FAILED
            if outcome != MORE_TO_DO or monotonic_time.monotonic() > deadline:
                return outcome


def import_job_get(*, user: User, pk: int) -> ImportJob | None:
    """The user's confirmed import with this id; None for another user's, or a preview not confirmed."""
    return ImportJob.objects.filter(owner=user, pk=pk).exclude(state=ImportJob.State.PREVIEW).first()
