"""Erasing a person's data in the current tenant.

- One CV version or one application: at once, in the request (a few rows and at most one file).
- A whole account: ``privacy.erasure_requests.account_erasure_request`` deactivates it at once (signed out
  everywhere, no password), records the request, e-mails a confirmation and queues ``account_erase`` (here) on
  commit; the job deletes or irreversibly anonymises everything personal and leaves an inactive, anonymised user
  row, so the billing records in public that name its id still point at something. ``privacy.tasks`` sweeps
  overdue requests every hour, so the 24 hours the notice promises hold even if the queue loses the task.

What is kept after an account erasure: the tombstone user row (no address, name or password), invoices, Stripe
customer and subscription rows in public (required for accounting; the local copy of the address is blanked), domain
events and prediction-log rows with every link to the person removed (anonymised aggregates), and the audit log
(a keyed hash of the address, never the address).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import F, Func, JSONField, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.lockout import attempts_forget
from accounts.models import User
from privacy.models import AuditEntry, ErasureRequest
from privacy.services import audit_record
from tenants.context import require_tenant_schema
from tracking.models import Application, CVDocument, DomainEvent, JobPosting, Reminder

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)  # a job that died mid-way is retaken after this
OVERDUE_AFTER = timedelta(hours=2)  # the sweep runs a request the queue has not run by then

# Rows that point at the user and are kept, with the personal link removed, instead of deleted:
# (app label, model name, field) -> the values that anonymise them (None: kept as they are, they hold no personal data).
ANONYMISED: dict[tuple[str, str, str], dict | None] = {
    ("predictions", "predictionlog", "user"): {"user": None, "input_hash": ""},
    ("tracking", "applicationevent", "actor"): {"actor": None},
    ("privacy", "erasurerequest", "user"): None,
    ("privacy", "erasurerequest", "requested_by"): None,
}


class JSONKeysRemoved(Func):
    """``payload - 'key'`` (PostgreSQL jsonb): the JSON without one key."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = JSONField()


def _without(field: str, key: str) -> JSONKeysRemoved:
    return JSONKeysRemoved(F(field), Cast(Value(key), TextField()))


def domain_events_forget(*, actor_id: int | None = None, application_ids=(), cv_ids=(), reminder_ids=()) -> int:
    """Keeps what happened (kinds, stages, times) and drops whose it was: actor, subject and ids in the payload."""
    changed = 0
    if actor_id is not None:
        changed += DomainEvent.objects.filter(actor_id=actor_id).update(actor_id=None)
    kinds = DomainEvent.Kind
    if application_ids:
        changed += DomainEvent.objects.filter(
            kind__in=[
                kinds.APPLICATION_CREATED,
                kinds.STAGE_CHANGED,
                kinds.APPLICATION_DELETED,
                kinds.APPLICATION_RESTORED,
            ],
            subject_id__in=list(application_ids),
        ).update(subject_id=None)
    if cv_ids:
        changed += DomainEvent.objects.filter(kind=kinds.CV_PARSED, subject_id__in=list(cv_ids)).update(
            subject_id=None, payload=_without("payload", "cv_id")
        )
    if reminder_ids:
        changed += DomainEvent.objects.filter(kind=kinds.REMINDER_SENT, subject_id__in=list(reminder_ids)).update(
            subject_id=None, payload=_without("payload", "application_id")
        )
    return changed


def file_delete_on_commit(name: str) -> None:
    """Removes a stored file once the rows that name it are gone for good (a rollback keeps both)."""
    if not name:
        return
    storage = CVDocument._meta.get_field("file").storage
    schema = connection.schema_name  # the storage's folder is the schema's; keep it whatever runs next

    def delete() -> None:
        with schema_context(schema):
            storage.delete(name)

    transaction.on_commit(delete)


# ---------------------------------------------------------------------------------------------------------------------
# One CV version, one application
# ---------------------------------------------------------------------------------------------------------------------
def cv_erase(*, cv: CVDocument, by: User) -> dict[str, int]:
    """Deletes one CV version, its text, parse and file. Applications sent with it keep their record and show no CV.
    ``cv`` must already be scoped to its owner (or to a member an administrator manages). Erasing a version that
    is already gone (a double-click) does nothing and returns ``{}``."""
    require_tenant_schema()
    with transaction.atomic():
        cv = CVDocument.objects.select_for_update(of=("self",)).select_related("owner").filter(pk=cv.pk).first()
        if cv is None:
            return {}
        unpinned = Application.objects.filter(cv=cv).update(cv=None)
        domain_events_forget(cv_ids=[cv.pk])
        file_delete_on_commit(cv.file.name)
        CVDocument.objects.filter(pk=cv.pk).delete()
        detail = {"cv_versions": 1, "files": int(bool(cv.file.name)), "applications_unpinned": unpinned}
        audit_record(action=AuditEntry.Action.CV_ERASED, actor=by, subject_email=cv.owner.email, detail=detail)
    return detail


def application_erase(*, application: Application, by: User) -> dict[str, int]:
    """Deletes an application with its events, contacts, notes, tasks, reminders and their notifications, and its
    posting snapshot unless another application pins it. One already gone (a double-click) does nothing and returns
    ``{}``."""
    require_tenant_schema()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("owner")
        application = locked.filter(pk=application.pk).first()
        if application is None:
            return {}
        reminder_ids = list(application.reminders.values_list("pk", flat=True))
        _deleted, by_model = Application.objects.filter(pk=application.pk).delete()
        detail = _counts(by_model)
        posting_deleted, _by_model = (
            JobPosting.objects.filter(pk=application.posting_id).exclude(applications__isnull=False).delete()
        )
        detail["job_postings"] = posting_deleted
        domain_events_forget(application_ids=[application.pk], reminder_ids=reminder_ids)
        audit_record(
            action=AuditEntry.Action.APPLICATION_ERASED,
            actor=by,
            subject_email=application.owner.email,
            detail=detail,
        )
    return detail


def _counts(by_model: dict[str, int]) -> dict[str, int]:
    """``{"tracking.Note": 2}`` -> ``{"notes": 2}``: the audit log's counts, by table."""
    names = Counter()
    for label, count in by_model.items():
        names[label.rsplit(".", 1)[-1].lower() + "s"] += count
    return dict(names)


# ---------------------------------------------------------------------------------------------------------------------
# A whole account
# ---------------------------------------------------------------------------------------------------------------------
def sessions_delete_for(user: User) -> int:
    """Signs ``user`` out everywhere in this tenant: deletes every stored session that names them. (An engine that
    cannot list sessions is covered too: the user is inactive and their password hash changed, which ends any
    session Django still finds.)"""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = [
        session.session_key
        for session in Session.objects.all().iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY, "")) == str(user.pk)
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


def account_erase(*, request_id: int, now: datetime | None = None) -> bool:
    """The job: erases the account of one request. Claims it first (a conditional UPDATE), so two workers or a
    worker and the sweep never run it together; every step tolerates a previous attempt having done part of it.
    Returns False when there was nothing to claim (already done, or running elsewhere)."""
    require_tenant_schema()
    now = now or timezone.now()
    claimable = Q(status=ErasureRequest.Status.PENDING) | Q(
        status=ErasureRequest.Status.RUNNING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = ErasureRequest.objects.filter(claimable, pk=request_id).update(
        status=ErasureRequest.Status.RUNNING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    request = ErasureRequest.objects.select_related("user").get(pk=request_id)
    user = request.user
    email = user.email
    from privacy.payments import stripe_subscription_cancel

    stripe_subscription_cancel(user=user)  # raises if Stripe fails: the claim goes stale and the sweep retries
    files = user_files_delete(user)  # before the rows: a retry still finds the rows that name the files
    with transaction.atomic():
        detail = user_data_erase(user=user)
        detail["files"] = files
        ErasureRequest.objects.filter(pk=request_id).update(
            status=ErasureRequest.Status.DONE, completed_at=timezone.now()
        )
        audit_record(action=AuditEntry.Action.ACCOUNT_ERASED, actor=None, subject_email=email, detail=detail)
    return True


def user_files_delete(user: User) -> int:
    """Deletes every stored file of a row that points at ``user`` (CV versions today; any model with a FileField
    that is added later too). Rows kept anonymised are skipped: their files are not the person's."""
    deleted = 0
    for relation in tenant_user_relations():
        model, field = relation.related_model, relation.field.name
        file_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields or (model._meta.app_label, model._meta.model_name, field) in ANONYMISED:
            continue
        for row in model._base_manager.filter(**{field: user}).only(*file_fields):
            for name in file_fields:
                stored = getattr(row, name)
                if stored.name:
                    stored.storage.delete(stored.name)
                    deleted += 1
    return deleted


def tenant_user_relations():
    """Every relation that points at a user from a model stored in tenant schemas (a model only in public, such as
    the admin log, must not be touched from here: the tenant's search path reaches public too)."""
    from django.apps import apps

    tenant_apps = {apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.TENANT_APPS}
    # include_hidden: a foreign key declared with related_name="+" (the prediction log's) points at the user too.
    for relation in User._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and (relation.one_to_many or relation.one_to_one)
            and relation.related_model._meta.app_label in tenant_apps
        ):
            yield relation


def user_data_erase(*, user: User) -> dict[str, int]:
    """Deletes or anonymises every row of the current tenant that is about ``user``, then turns the user row into a
    tombstone. Generic on purpose: a model added later with a foreign key to the user is erased without anyone
    remembering to add it here (only ``ANONYMISED`` lists what is kept). Returns counts by table."""
    require_tenant_schema()
    application_ids = list(Application.objects.filter(owner=user).values_list("pk", flat=True))
    cv_ids = list(CVDocument.objects.filter(owner=user).values_list("pk", flat=True))
    reminder_ids = list(Reminder.objects.filter(owner=user).values_list("pk", flat=True))
    counts: Counter[str] = Counter()
    # Applications first: they protect the postings and CV versions they pin.
    counts.update(_counts(Application.objects.filter(owner=user).delete()[1]))
    for relation in tenant_user_relations():
        model, field = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{field: user})
        key = (model._meta.app_label, model._meta.model_name, field)
        if key in ANONYMISED:
            if ANONYMISED[key]:
                counts[f"{model._meta.model_name}s_anonymised"] += rows.update(**ANONYMISED[key])
            continue
        counts.update(_counts(rows.delete()[1]))
    counts["domain_events_anonymised"] += domain_events_forget(
        actor_id=user.pk, application_ids=application_ids, cv_ids=cv_ids, reminder_ids=reminder_ids
    )
    counts["sessions"] += sessions_delete_for(user)
    counts["sign_in_attempts"] += attempts_forget(user.email)
    user.groups.clear()
    user.user_permissions.clear()
    _billing_copies_forget(user)
    counts["experiment_exposures"] += _exposures_forget(user)
    counts["analytics_people_rows"] += _analytics_rollups_forget(user)
    counts["beta_programme_rows"] += _beta_programme_forget(user)
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@erased.invalid",
        full_name="",
        language="",
        role=User.Role.MEMBER,
        is_active=False,
        is_staff=False,
        is_superuser=False,
        last_login=None,
        password=_unusable_password(),
    )
    return {name: count for name, count in counts.items() if count}


def _unusable_password() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(None)


def _billing_copies_forget(user: User) -> None:
    """The local copy of the address on the Stripe customer row (public schema; the row stays: invoices name it) and
    the person's places on the payment waiting list."""
    from billing.models import Customer
    from billing.waitlist import waitlist_forget
    from tenants.context import current_tenant

    Customer.objects.filter(tenant=current_tenant(), user_id=user.pk).update(email="")
    waitlist_forget(tenant=current_tenant(), user_id=user.pk)


def _exposures_forget(user: User) -> int:
    """The person's experiment exposures (public schema, by tenant and user id)."""
    from analytics.experiments.exposure import exposures_forget
    from tenants.context import current_tenant

    return exposures_forget(tenant=current_tenant(), user_id=user.pk)


def _analytics_rollups_forget(user: User) -> int:
    """The person's rows in the analytics rollups (public schema, by tenant and user id): their active days, sign-up
    cohort, activity and weeks; the counts of events they took part in stay, naming nobody."""
    from analytics.rollups import rollups_people_forget
    from tenants.context import current_tenant

    return rollups_people_forget(tenant=current_tenant(), user_id=user.pk)


def _beta_programme_forget(user: User) -> int:
    """The person's beta membership, feedback and NPS answers (public schema, by tenant and user id)."""
    from analytics.beta import beta_people_forget
    from tenants.context import current_tenant

    return beta_people_forget(tenant=current_tenant(), user_id=user.pk)


def account_erasures_overdue(*, now: datetime | None = None) -> list[int]:
    """Requests the queue should have run by now: waiting longer than OVERDUE_AFTER, or claimed by a job that died."""
    now = now or timezone.now()
    return list(
        ErasureRequest.objects.filter(
            Q(status=ErasureRequest.Status.PENDING, requested_at__lt=now - OVERDUE_AFTER)
            | Q(status=ErasureRequest.Status.RUNNING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
