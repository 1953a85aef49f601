"""The request side of the CSV import's background job: confirming a preview queues the job, and looking at a job
still under way sends it again when it stalled. Kept apart from the job itself (tracking/io/jobs.py), which the task
module imports, so that this module can import the task without a circle."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tenants.tasks import enqueue_on_commit
from tracking.io.formats import AUTO, PREVIEW_TTL_S
from tracking.io.importing import (
    ImportAlreadyConfirmed,
    ImportNotFound,
    duplicate_key,
    existing_keys,
    plan_limit_check,
    plan_room_for,
    stage_errors,
    stage_of,
)
from tracking.io.jobs import STALLED_AFTER
from tracking.models import ImportJob, Stage
from tracking.tasks import import_job_run

logger = logging.getLogger(__name__)


def import_confirm(*, user: User, token: str, stage_choices: Mapping[str, str], fit: bool = False) -> ImportJob:
    """Confirms a preview: fixes which rows are imported as which stage, reports the others with their reasons, and
    queues the background job (tracking/io/jobs.py), which imports the planned rows after this transaction commits.
    Fast: no row is written here.

    ``stage_choices`` maps a status's index in the preview's ``stages`` to a stage value, AUTO or "" (skip those
    rows). Raises ImportNotFound for an unknown or expired token (or another user's), ImportAlreadyConfirmed for
    one confirmed before, and ValidationError for a stage choice that is not on the list. A file that would take the
    user past their plan's application limit is refused as a whole (billing.gating.EntitlementRequired, a
    ValidationError) and the preview stays usable; with ``fit`` the first rows that fit the limit (in the file's
    order) are imported instead and the others reported as skipped for the limit.
    """
    require_tenant_schema()
    job = ImportJob.objects.filter(owner=user, token=token).first() if token else None
    if job is None or (
        job.state == ImportJob.State.PREVIEW and job.created_at < timezone.now() - timedelta(seconds=PREVIEW_TTL_S)
    ):
        raise ImportNotFound
    if job.state != ImportJob.State.PREVIEW:
        raise ImportAlreadyConfirmed(job)
    allowed = {"", AUTO, *Stage.values}
    stages = {}
    for index, entry in enumerate(job.stages):
        choice = stage_choices.get(str(index), entry["stage"])
        if choice not in allowed or (choice == AUTO and entry["key"]):
            raise ValidationError(_("Choose a stage from the list."))
        stages[entry["key"]] = choice
    seen = existing_keys(user)
    skipped: list[dict] = []
    plan: list[tuple[int, str]] = []
    for index, row in enumerate(job.rows):
        stage = stage_of(row, stages)
        errors = [
            *(issue for issue in row["errors"] if issue["column"] != job.stage_column),
            *stage_errors(row, stage, job.stage_column),
        ]
        if not errors and duplicate_key(row["company"], row["title"], row["applied_on"]) in seen:
            errors.append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
        if errors:
            skipped.append({"row": row["row"], "company": row["company"], "errors": errors})
        else:
            plan.append((index, stage))
    if fit:
        plan, over = plan_fitted(user=user, job=job, plan=plan)
        skipped = sorted([*skipped, *over], key=lambda entry: entry["row"])
    plan_limit_check(user=user, adding=len(plan))
    now = timezone.now()
    with transaction.atomic():
        # Of two confirms of one preview (a double click, two tabs), only one finds it still a preview.
        confirmed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEW).update(
            state=ImportJob.State.QUEUED if plan else ImportJob.State.DONE,
            plan=plan,
            planned=len(plan),
            skipped=skipped,
            confirmed_at=now,
            heartbeat_at=now,
            finished_at=None if plan else now,
        )
        if not confirmed:
            job.refresh_from_db()
            raise ImportAlreadyConfirmed(job)
        if plan:
            import_job_enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job


def plan_fitted(*, user: User, job: ImportJob, plan: list[tuple[int, str]]) -> tuple[list, list[dict]]:
    """The first planned rows the user's plan has room for, and the others as skipped rows naming the limit."""
    room = plan_room_for(user=user, adding=len(plan))
    if room is None:
        return plan, []
    if room.organisation:
        reason = _("Not imported: without an active contract you can track up to %(limit)s applications.")
    else:
        reason = _("Not imported: the %(plan)s plan tracks up to %(limit)s applications.")
    reason = reason % {"plan": room.plan, "limit": room.limit}
    over = [
        {
            "row": job.rows[index]["row"],
            "company": job.rows[index]["company"],
            "errors": [{"column": "", "reason": reason}],
        }
        for index, _stage in plan[room.remaining :]
    ]
    return plan[: room.remaining], over


def import_job_enqueue(*, job_id: int) -> None:
    enqueue_on_commit(import_job_run, job_id)


def import_job_check(*, job: ImportJob) -> ImportJob:
    """Run when the owner looks at an import still under way: sends it again when no batch has been committed for
    ``STALLED_AFTER`` (its worker died or its message was lost). At most one resend per ``STALLED_AFTER``: the
    heartbeat it moves is the condition."""
    require_tenant_schema()
    if not job.is_active or job.heartbeat_at is None or job.heartbeat_at > timezone.now() - STALLED_AFTER:
        return job
    with transaction.atomic():
        resent = ImportJob.objects.filter(
            pk=job.pk, state__in=(ImportJob.State.QUEUED, ImportJob.State.RUNNING), heartbeat_at=job.heartbeat_at
        ).update(heartbeat_at=timezone.now())
        if resent:
            logger.warning("Import job %s made no progress for %s; sent again", job.pk, STALLED_AFTER)
            import_job_enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job
