"""Reads for privacy: what an erasure would remove (shown before it is confirmed), members an administrator manages,
a person's consents."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from accounts.models import User
from privacy.models import ConsentRecord
from tenants.context import current_tenant, require_tenant_schema
from tenants.models import Client
from tracking.models import Application, CVDocument, JobPosting, Reminder


def account_erasure_preview(*, user: User) -> dict[str, int]:
    require_tenant_schema()
    return {
        "cv_versions": CVDocument.objects.filter(owner=user).count(),
        "job_postings": JobPosting.objects.filter(owner=user).count(),
        "applications": Application.objects.filter(owner=user).count(),
        "reminders": Reminder.objects.filter(owner=user).count(),
    }


def cv_erasure_preview(*, cv: CVDocument) -> dict[str, int]:
    return {"applications_pinning": Application.objects.filter(cv=cv).count()}


def application_erasure_preview(*, application: Application) -> dict[str, int]:
    return {
        "events": application.events.count(),
        "contacts": application.contacts.count(),
        "notes": application.notes.count(),
        "tasks": application.tasks.count(),
        "reminders": application.reminders.count(),
        "posting_shared": Application.objects.filter(posting_id=application.posting_id)
        .exclude(pk=application.pk)
        .exists(),
    }


def administrator_can_manage(*, user: User) -> bool:
    """An administrator of an enterprise tenant manages its members (issue 13 widens this to its portal roles)."""
    if not (user.is_authenticated and user.is_active and user.is_administrator):
        return False
    return current_tenant().kind == Client.Kind.ENTERPRISE


def members_manageable(*, administrator: User) -> QuerySet[User]:
    """The members an administrator may export and erase: members not already being erased, never an administrator
    (themselves included: their own data is on their account page). Empty for anyone who is not an administrator."""
    if not administrator_can_manage(user=administrator):
        return User.objects.none()
    return (
        User.objects.filter(role=User.Role.MEMBER, erasure_request__isnull=True)
        .exclude(pk=administrator.pk)
        .order_by("full_name", "email")
    )


def consents_of(*, user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("-given_at", "-pk")


def text_columns_containing(needle: str, *, schema: str | None = None) -> list[str]:
    """Every text, character, JSON or JSONB column of ``schema`` (the current one by default) in which some row
    contains ``needle`` (case-insensitive), as ``table.column``: how tests and the benchmark prove that an erasure
    left nothing of a person anywhere, whatever tables exist. One query per column: a check, not a page's query."""
    schema = schema or connection.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' "
            "AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') "
            "ORDER BY c.table_name, c.column_name",
            [schema],
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(
                # Names come from the catalogue, not from a request; quoted as identifiers.
                f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}" WHERE "{column}"::text ILIKE %s)',  # noqa: S608
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found
