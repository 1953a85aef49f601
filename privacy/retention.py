"""Retention rules, applied daily in every tenant (beat -> tenants_dispatch -> privacy.tasks.retention_run).

Each rule deletes one kind of data past its period and returns how many rows (or files) went. Periods a tenant may
change are fields of tenants.Client, within tenants.models.RETENTION_LIMITS (staff edit them in the tenants admin);
the others are fixed here and stated in the privacy notice.

Invitations (issue 13) will add their rule to ``RULES``: delete invitations expired for longer than their period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import sessions_expired_delete
from accounts.signup import pending_signups_expired_delete
from predictions.models import PredictionLog
from privacy.erasure import (
    ANONYMISED,
    account_erase,
    account_erasures_overdue,
    domain_events_forget,
    file_delete_on_commit,
    tenant_user_relations,
    user_data_erase,
    user_files_delete,
)
from privacy.models import AuditEntry, ErasureRequest
from privacy.services import audit_record
from tenants.context import current_tenant, require_tenant_schema
from tenants.models import Client
from tracking.models import CVDocument

ORPHAN_FILE_GRACE = timedelta(days=1)  # an upload in flight writes its file before its row commits
CV_FOLDER = "cv"


def unreadable_uploads_delete(*, tenant: Client, now: datetime) -> int:
    """CV uploads that could not be read, older than the tenant's period, that no application pins (a pinned one is
    the record of what was sent, and is kept with its application)."""
    cutoff = now - timedelta(days=tenant.retention_unreadable_upload_days)
    expired = CVDocument.objects.filter(
        status=CVDocument.Status.UNREADABLE, created_at__lt=cutoff, applications__isnull=True
    )
    with transaction.atomic():
        rows = list(expired.select_for_update(of=("self",)).values_list("pk", "file"))
        for _pk, name in rows:
            file_delete_on_commit(name)
        domain_events_forget(cv_ids=[pk for pk, _name in rows])
        CVDocument.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    return len(rows)


def orphan_files_delete(*, tenant: Client, now: datetime) -> int:
    """Files in the tenant's CV folder that no CV version names (an upload whose transaction rolled back, a file
    whose deletion was interrupted), once older than ORPHAN_FILE_GRACE."""
    storage = CVDocument._meta.get_field("file").storage
    _folders, files = storage.listdir(CV_FOLDER)
    known = set(CVDocument.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for file_name in files:
        name = f"{CV_FOLDER}/{file_name}"
        if name not in known and storage.get_modified_time(name) < now - ORPHAN_FILE_GRACE:
            storage.delete(name)
            deleted += 1
    return deleted


def prediction_logs_delete(*, tenant: Client, now: datetime) -> int:
    cutoff = now - timedelta(days=tenant.retention_prediction_log_days)
    deleted, _by_model = PredictionLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def sessions_delete(*, tenant: Client, now: datetime) -> int:
    return sessions_expired_delete()


def pending_signups_delete(*, tenant: Client, now: datetime) -> int:
    return pending_signups_expired_delete(now=now)


def erased_accounts_leftovers_delete(*, tenant: Client, now: datetime) -> int:
    """Erasure requests the queue lost, and anything written about an erased person after their erasure ran (a
    request that was in flight when they were signed out): erased again. Returns the number of accounts."""
    done = sum(account_erase(request_id=request_id, now=now) for request_id in account_erasures_overdue(now=now))
    erased_ids = set(ErasureRequest.objects.filter(status=ErasureRequest.Status.DONE).values_list("user_id", flat=True))
    with_leftovers: set[int] = set()
    for relation in tenant_user_relations() if erased_ids else ():
        model, field = relation.related_model, relation.field.name
        if (model._meta.app_label, model._meta.model_name, field) in ANONYMISED:
            continue
        rows = model._base_manager.filter(**{f"{field}__in": erased_ids})
        with_leftovers.update(rows.values_list(field, flat=True).distinct())
    for user in User.objects.filter(pk__in=with_leftovers):
        user_files_delete(user)
        with transaction.atomic():
            user_data_erase(user=user)
    return done + len(with_leftovers)


RetentionRule = Callable[..., int]
RULES: dict[str, RetentionRule] = {
    "unreadable_uploads": unreadable_uploads_delete,
    "orphan_files": orphan_files_delete,
    "prediction_logs": prediction_logs_delete,
    "expired_sessions": sessions_delete,
    "unconfirmed_signups": pending_signups_delete,
    "erased_accounts": erased_accounts_leftovers_delete,
}


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Applies every rule in the current tenant; records what went in the audit log when anything did."""
    require_tenant_schema()
    now = now or timezone.now()
    tenant = current_tenant()
    counts = {name: rule(tenant=tenant, now=now) for name, rule in RULES.items()}
    if any(counts.values()):
        audit_record(action=AuditEntry.Action.RETENTION_APPLIED, actor=None, detail=counts, at=now)
    return counts
