"""The staff audit log's one writer: every staff action on a tenant's data (tenants.models.StaffAction) goes
through ``staff_action_record``, called by the admin views and staff services in the transaction of the action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tenants.context import public_schema_context
from tenants.models import Client, StaffAction


def staff_action_record(
    *,
    by,
    action: str,
    tenant: Client | None = None,
    target_user_id: int | None = None,
    detail: dict | None = None,
) -> StaffAction:
    """Appends what staff member `by` did. Refuses (PermissionDenied) anyone who is not staff: only staff act on a
    tenant's data from admin, so an entry naming anyone else would be a bug. ``detail`` holds plain JSON values."""
    if by is None or not by.is_authenticated or not by.is_staff:
        raise PermissionDenied("Only CVPlus staff act on tenants' data from admin.")
    if action not in StaffAction.Action.values:
        raise ValueError(f"Unknown staff action: {action}")
    with public_schema_context():
        return StaffAction.objects.create(
            actor_id=by.pk,
            actor_email=by.email,
            action=action,
            tenant=tenant,
            target_user_id=target_user_id,
            detail=detail or {},
        )
