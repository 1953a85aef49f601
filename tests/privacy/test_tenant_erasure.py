"""Staff erase a whole tenant in the admin: it goes offline at once, its schema and files are dropped, its Client row
(marked erased) and billing records stay, and the public audit log records it without personal data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django_tenants.utils import schema_context, schema_exists

from analytics.models import ActiveDay, Experiment, Exposure, SignupCohort
from billing.models import Customer, Invoice
from privacy.models import AuditEntry
from privacy.tenant_erasure import (
    tenant_check_erasable,
    tenant_erase,
    tenant_erasures_unfinished,
    tenant_media_folder,
)
from tenants.models import Client, Domain, StaffAction
from tenants.provisioning import tenant_provision
from tenants.services import tenant_create
from tests.accounts.factories import StaffUserFactory
from tests.billing.stripe_fakes import stripe_id
from tests.conftest import PASSWORD, PUBLIC_HOST
from tests.privacy.people import person_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def delta(cast):
    client = tenant_create(
        name="Delta Outplacement",
        schema_name="delta",
        domain="delta.localhost",
        kind=Client.Kind.ENTERPRISE,
        region="EU",
        language="en",
        currency="EUR",
        provision=False,
    )
    client = tenant_provision(client_id=client.pk)
    with schema_context("delta"):
        person = person_with_everything(email="dora.delta@example.com", full_name="Dora Delta", marker="Deltaword")
    customer = Customer.objects.create(stripe_customer_id=stripe_id("cus"), tenant=client, user_id=person.user.pk)
    Invoice.objects.create(stripe_invoice_id=stripe_id("in"), customer=customer, status="paid", currency="eur")
    return client


@pytest.fixture
def staff_client(cast) -> HttpClient:
    StaffUserFactory(email="staff.eraser@cvplus.example")
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert client.post(
        "/admin/login/?next=/admin/", {"username": "staff.eraser@cvplus.example", "password": PASSWORD}
    ).status_code
    return client


def test_it_erases_a_tenant_keeping_its_row_and_billing_records(
    delta, staff_client, django_capture_on_commit_callbacks
) -> None:
    folder = tenant_media_folder(delta)
    assert folder.exists()
    url = f"/admin/tenants/client/{delta.pk}/erase/"
    page = staff_client.get(url).content.decode()
    assert "1 user account is erased." in page
    assert "Kept for accounting: 1 invoice." in page

    refused = staff_client.post(url, {"schema_name": "delta2", "password": PASSWORD})
    assert refused.status_code == 400
    assert Client.objects.get(pk=delta.pk).erased_at is None
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post(url, {"schema_name": "delta", "password": PASSWORD})

    assert response.status_code == 302
    client = Client.objects.get(pk=delta.pk)
    assert client.erased_at is not None
    assert not client.is_ready
    assert not Domain.objects.filter(tenant=client).exists()
    assert HttpClient(HTTP_HOST="delta.localhost").get("/").status_code == 404
    assert len(queued) == 1
    assert tenant_erasures_unfinished() == [client.pk]
    logged = StaffAction.objects.get(action=StaffAction.Action.TENANT_ERASURE_REQUESTED)  # the staff audit log
    assert (logged.tenant_id, logged.actor_email) == (client.pk, "staff.eraser@cvplus.example")

    with connection.cursor() as cursor:
        # The tenant's rows were written in this test's transaction: check their keys now, or PostgreSQL refuses to
        # drop tables with checks still pending (in production the erasure runs in a transaction of its own).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    experiment = Experiment.objects.create(key="delta-check", name="Delta check", variants=[["a", 50], ["b", 50]])
    Exposure.objects.create(experiment=experiment, tenant=client, user_id=1, variant="a")
    ActiveDay.objects.create(tenant=client, user_id=1, day=date(2025, 3, 3))
    SignupCohort.objects.create(tenant=client, user_id=1, day=date(2025, 3, 3))
    assert tenant_erase(client_id=client.pk) is True
    assert not Exposure.objects.filter(tenant=client).exists()  # per person, so it goes with the people
    assert not ActiveDay.objects.filter(tenant=client).exists()  # so do their rows in the analytics rollups
    assert not SignupCohort.objects.filter(tenant=client).exists()

    assert not schema_exists("delta")
    assert not folder.exists()
    assert tenant_erase(client_id=client.pk) is False  # idempotent
    assert tenant_erasures_unfinished() == []
    assert Customer.objects.filter(tenant=client).count() == 1
    assert Invoice.objects.filter(customer__tenant=client).count() == 1
    actions = list(AuditEntry.objects.filter(tenant_schema="delta").values_list("action", "actor_role"))
    assert sorted(actions) == [("tenant.erased", "system"), ("tenant.erasure_requested", "staff")]
    assert "deltaword" not in str(list(AuditEntry.objects.values_list("detail", flat=True))).lower()


def test_it_refuses_to_erase_the_public_site_or_a_live_tenant_with_a_wrong_password(cast, staff_client) -> None:
    public = Client.objects.get(schema_name="public")
    with pytest.raises(Exception, match="cannot be erased"):
        tenant_check_erasable(public)
    assert staff_client.get(f"/admin/tenants/client/{public.pk}/erase/").status_code == 302

    alpha = Client.objects.get(schema_name="alpha")
    response = staff_client.post(
        f"/admin/tenants/client/{alpha.pk}/erase/", {"schema_name": "alpha", "password": "not-it"}
    )
    assert response.status_code == 400
    assert Client.objects.get(pk=alpha.pk).is_ready
    assert schema_exists("alpha")


def test_it_keeps_the_erase_view_from_a_tenant_user(cast, client_a) -> None:
    assert client_a.get("/admin/tenants/client/1/erase/").status_code == 404  # no admin on tenant hosts
