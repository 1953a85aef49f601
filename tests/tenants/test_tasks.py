"""Tasks on the real Redis broker and a real worker: provisioning, the per-tenant dispatcher, tenant-only tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from accounts.tasks import sessions_clear_expired
from tenants.context import NotInTenantSchema
from tenants.models import Client
from tenants.provisioning import schema_migrations_applied, tenant_migrations_expected, tenant_schema_drop
from tenants.services import tenant_create
from tenants.tasks import tenants_dispatch
from tests.conftest import wait_until


def test_it_provisions_through_the_queue_on_a_real_worker(cast, celery_worker) -> None:
    client = tenant_create(
        name="Queued Co",
        schema_name="queued_co",
        domain="queued.localhost",
        kind=Client.Kind.ENTERPRISE,
        region="NA",
        language="en",
        currency="USD",
    )
    try:
        assert wait_until(lambda: Client.objects.get(pk=client.pk).is_ready), "the worker never provisioned it"
        assert schema_exists("queued_co")
        assert schema_migrations_applied("queued_co") >= tenant_migrations_expected()
    finally:
        connection.set_schema_to_public()
        tenant_schema_drop(client=Client.objects.get(pk=client.pk))
    assert not schema_exists("queued_co")


def _sessions(schema: str, prefix: str) -> set[str]:
    with schema_context(schema):
        return set(Session.objects.filter(session_key__startswith=prefix).values_list("session_key", flat=True))


def test_it_fans_periodic_work_out_to_every_ready_tenant(cast, celery_worker) -> None:
    now = timezone.now()
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            Session.objects.create(session_key=f"fanout-old-{schema}", session_data="", expire_date=now - timedelta(1))
            Session.objects.create(session_key=f"fanout-new-{schema}", session_data="", expire_date=now + timedelta(1))
    try:
        tenants_dispatch.delay("accounts.tasks.sessions_clear_expired")
        assert wait_until(lambda: not _sessions("alpha", "fanout-old") and not _sessions("beta", "fanout-old"))
        assert _sessions("alpha", "fanout-") == {"fanout-new-alpha"}
        assert _sessions("beta", "fanout-") == {"fanout-new-beta"}
    finally:
        for schema in ("alpha", "beta"):
            with schema_context(schema):
                Session.objects.filter(session_key__startswith="fanout-").delete()


def test_it_refuses_to_run_a_tenant_only_task_in_the_public_schema(cast, committed) -> None:
    connection.set_schema_to_public()
    with pytest.raises(NotInTenantSchema):
        sessions_clear_expired.apply(throw=True)
    result = sessions_clear_expired.apply(headers={"_schema_name": "alpha"}, throw=True)
    assert result.successful()
