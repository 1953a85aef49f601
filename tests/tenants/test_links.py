"""Links in e-mails name the tenant's primary domain, never the Host a request came with."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tenants.links import TenantHasNoPrimaryDomain, tenant_absolute_url
from tenants.models import Client, Domain

pytestmark = pytest.mark.django_db


def test_it_builds_links_on_the_primary_domain(cast) -> None:
    Domain.objects.create(tenant=cast.tenant_a, domain="alias.alpha.localhost", is_primary=False)
    assert tenant_absolute_url(cast.tenant_a, "/app/") == "http://alpha.localhost/app/"


@override_settings(SITE_SCHEME="https", SITE_PORT=8443)
def test_it_adds_the_configured_scheme_and_port(cast) -> None:
    assert tenant_absolute_url(cast.tenant_b, "/x/") == "https://beta.localhost:8443/x/"


def test_it_refuses_a_relative_path(cast) -> None:
    with pytest.raises(ValueError, match="absolute path"):
        tenant_absolute_url(cast.tenant_a, "app/")


def test_it_says_when_a_tenant_has_no_domain(cast) -> None:
    orphan = Client.objects.create(name="Orphan", schema_name="orphan_links", kind=Client.Kind.CONSUMER)
    with pytest.raises(TenantHasNoPrimaryDomain):
        tenant_absolute_url(orphan, "/")
