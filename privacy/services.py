"""Writes for privacy that other apps call: consents and the audit log."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from accounts.models import User, email_normalize
from privacy.models import AuditEntry, ConsentRecord
from privacy.notice import NOTICE_VERSION
from tenants.context import require_tenant_schema

AUDIT_HASH_SALT = "cvplus.privacy.audit-subject"


def subject_hash(email: str) -> str:
    """A keyed hash (HMAC with the site's SECRET_KEY) of an address: staff can check whether a given address's data
    was erased, but nobody can read the address back from the log."""
    return salted_hmac(AUDIT_HASH_SALT, email_normalize(email), algorithm="sha256").hexdigest()


def audit_record(
    *,
    action: str,
    actor: User | None,
    subject_email: str = "",
    detail: dict | None = None,
    actor_role: str | None = None,
    at: datetime | None = None,
    tenant_schema: str | None = None,
) -> AuditEntry:
    """Appends an audit entry in the current schema. ``actor`` None means the scheduled system; an actor who is the
    subject is recorded as "self" with no id (their id would lead back to them); an administrator or staff member by
    id. ``detail`` holds counts, never personal data."""
    if actor_role is None:
        if actor is None:
            actor_role = AuditEntry.ActorRole.SYSTEM
        elif actor.is_staff and connection.schema_name == get_public_schema_name():
            actor_role = AuditEntry.ActorRole.STAFF
        elif subject_email and email_normalize(actor.email) == email_normalize(subject_email):
            actor_role = AuditEntry.ActorRole.SELF
        else:
            actor_role = AuditEntry.ActorRole.ADMINISTRATOR
    schema = connection.schema_name if tenant_schema is None else tenant_schema
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        action=action,
        actor_role=actor_role,
        actor_id=None if actor is None or actor_role == AuditEntry.ActorRole.SELF else actor.pk,
        subject_hash=subject_hash(subject_email) if subject_email else "",
        tenant_schema="" if schema == get_public_schema_name() else schema,
        detail=detail or {},
    )


def consent_record(
    *, user: User, notice_version: str = NOTICE_VERSION, purpose: str = ConsentRecord.Purpose.SIGNUP, at=None
) -> ConsentRecord:
    """Records that ``user`` accepted the privacy notice of ``notice_version``: at sign-up (accounts/signup.py) and,
    from issue 13, when an invitation is accepted (``purpose=ConsentRecord.Purpose.INVITATION``)."""
    require_tenant_schema()
    if purpose not in ConsentRecord.Purpose.values:
        raise ValidationError({"purpose": _("Unknown consent purpose.")})
    if not notice_version:
        raise ValidationError({"notice_version": _("Name the version of the privacy notice that was accepted.")})
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, notice_version=notice_version, given_at=at or timezone.now()
    )
