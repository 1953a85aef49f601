"""Fixtures the portal's test modules share."""

from __future__ import annotations

import pytest
from django.db import connection

from tenants.models import Client
from tests.portal.members_helpers import OTHER_HOST, OTHER_SCHEMA


@pytest.fixture(scope="session")
def other_enterprise(cast, django_db_blocker) -> Client:
    """A second organisation (enterprise, German, euro), made once per session like the cast's tenants."""
    from tenants.provisioning import tenant_provision
    from tenants.services import tenant_create

    with django_db_blocker.unblock():
        client = Client.objects.filter(schema_name=OTHER_SCHEMA).first() or tenant_create(
            name="Nordhafen Outplacement",
            schema_name=OTHER_SCHEMA,
            domain=OTHER_HOST,
            kind=Client.Kind.ENTERPRISE,
            region="EU",
            language="de",
            currency="EUR",
            provision=False,
        )
        tenant = tenant_provision(client_id=client.pk)
        connection.set_schema_to_public()
    return tenant
