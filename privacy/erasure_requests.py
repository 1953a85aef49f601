"""Requests to erase a whole account or a whole tenant: what happens at once in the request (deactivate, sign out,
take offline, audit), and the Celery job queued on commit that erases the rest (privacy/erasure.py,
privacy/tenant_erasure.py). Kept apart from the jobs so the task module can import the jobs and this module can
import the tasks without a circle."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from privacy.emails import erasure_confirmation_send
from privacy.erasure import sessions_delete_for
from privacy.models import AuditEntry, ErasureRequest
from privacy.services import audit_record
from privacy.tasks import account_erase_task, tenant_erase_task
from privacy.tenant_erasure import tenant_check_erasable
from tenants.context import require_tenant_schema
from tenants.models import Client, Domain


def account_erasure_request(*, user: User, by: User) -> ErasureRequest:
    """Deactivates ``user`` at once and queues the erasure of their data. Idempotent: a second call returns the
    first request. ``by`` is the user themselves or an administrator of their organisation (checked by callers)."""
    require_tenant_schema()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        existing = ErasureRequest.objects.filter(user=locked).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                request = ErasureRequest.objects.create(user=locked, requested_by=by, requested_at=timezone.now())
        except IntegrityError:
            return ErasureRequest.objects.get(user=locked)
        locked.is_active = False
        locked.set_unusable_password()
        locked.save(update_fields=["is_active", "password"])
        signed_out = sessions_delete_for(locked)
        audit_record(
            action=AuditEntry.Action.ACCOUNT_ERASURE_REQUESTED,
            actor=by,
            subject_email=locked.email,
            detail={"sessions": signed_out},
        )
        by_administrator = by.pk != locked.pk
        transaction.on_commit(lambda: erasure_confirmation_send(user=locked, by_administrator=by_administrator))
        transaction.on_commit(lambda: account_erase_task.delay(request.pk))
    return request


def tenant_erasure_request(*, client: Client, by: User) -> Client:
    """Takes the tenant offline and queues the drop of its schema and files. A second call only re-queues the drop."""
    tenant_check_erasable(client)
    connection.set_schema_to_public()
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.erased_at is None:
            client.erased_at = timezone.now()
            client.is_ready = False
            client.save(update_fields=["erased_at", "is_ready"])
            domains = Domain.objects.filter(tenant=client).delete()[0]
            audit_record(
                action=AuditEntry.Action.TENANT_ERASURE_REQUESTED,
                actor=by,
                actor_role=AuditEntry.ActorRole.STAFF,
                tenant_schema=client.schema_name,
                detail={"tenant_id": client.pk, "schema": client.schema_name, "domains": domains},
            )
        client_id = client.pk
        transaction.on_commit(lambda: tenant_erase_task.delay(client_id))
    return client
