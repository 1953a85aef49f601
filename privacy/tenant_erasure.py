"""Staff erase a whole tenant: everything in its schema and its files go; its Client row (marked erased) and its
billing records in public stay, as accounting requires.

``privacy.erasure_requests.tenant_erasure_request`` (in the admin, on staff's password and the typed schema name)
takes the tenant offline at once: not ready (so no job is dispatched into it) and without domains (its hosts answer
404 and can be reused). The
schema is dropped by ``tenant_erase`` in a Celery task queued on commit; an hourly sweep finishes any erasure whose
task was lost. Both steps are idempotent and audit-logged in public.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_exists

from privacy.models import AuditEntry
from privacy.services import audit_record
from tenants.models import Client
from tenants.services import RESERVED_SCHEMAS, SCHEMA_NAME_RE


def tenant_check_erasable(client: Client) -> None:
    """Refuses the public site, the template and anything that is not a plain tenant schema name."""
    if (
        client.kind == Client.Kind.PUBLIC
        or client.schema_name in RESERVED_SCHEMAS
        or client.schema_name in {get_public_schema_name(), settings.TENANT_TEMPLATE_SCHEMA}
        or not SCHEMA_NAME_RE.match(client.schema_name)
    ):
        raise ValidationError(_("This tenant cannot be erased."))


def tenant_media_folder(client: Client) -> Path:
    """MEDIA_ROOT/<schema>, where django-tenants' storage keeps the tenant's files (settings.STORAGES)."""
    return Path(settings.MEDIA_ROOT) / (settings.MULTITENANT_RELATIVE_MEDIA_ROOT % client.schema_name)


def tenant_erase(*, client_id: int) -> bool:
    """Drops an erased tenant's schema and files. Returns False when there was nothing left to do."""
    connection.set_schema_to_public()
    client = Client.objects.get(pk=client_id)
    if client.erased_at is None:
        return False
    tenant_check_erasable(client)
    folder = tenant_media_folder(client)
    existed = schema_exists(client.schema_name)
    if existed:
        with transaction.atomic(), connection.cursor() as cursor:
            # The name passed tenant_check_erasable's pattern (letters, digits, underscores), so quoting is safe.
            cursor.execute(f'DROP SCHEMA IF EXISTS "{client.schema_name}" CASCADE')
    _exposures_forget(client)
    _analytics_people_forget(client)
    _beta_programme_forget(client)
    had_files = folder.exists()
    if had_files:
        shutil.rmtree(folder)
    if not existed and not had_files:
        return False
    audit_record(
        action=AuditEntry.Action.TENANT_ERASED,
        actor=None,
        tenant_schema=client.schema_name,
        detail={"tenant_id": client.pk, "schema": client.schema_name, "schema_dropped": existed, "files": had_files},
    )
    return True


def _exposures_forget(client: Client) -> None:
    """The tenant's people's experiment exposures (public schema, by user id): per person, so they go with them."""
    from analytics.models import Exposure

    Exposure.objects.filter(tenant=client).delete()


def _analytics_people_forget(client: Client) -> None:
    """The tenant's people in the analytics rollups (public schema, by user id: active days, sign-up cohorts, daily
    active users, activity, weeks). The counts of events stay with the Client row, naming nobody."""
    from analytics.rollups import rollups_people_forget

    rollups_people_forget(tenant=client)


def _beta_programme_forget(client: Client) -> None:
    """The tenant's people's beta membership, feedback and NPS answers (public schema, by user id)."""
    from analytics.beta import beta_people_forget

    beta_people_forget(tenant=client)


def tenant_erasures_unfinished() -> list[int]:
    """Erased tenants whose schema or files are still there."""
    connection.set_schema_to_public()
    return [
        client.pk
        for client in Client.objects.filter(erased_at__isnull=False).order_by("erased_at")
        if schema_exists(client.schema_name) or tenant_media_folder(client).exists()
    ]
