"""Absolute links for e-mails and other places outside a request: always built from the tenant's primary domain and
the configured scheme and port, never from a request's Host header (which an attacker chooses)."""

from __future__ import annotations

from django.conf import settings

from tenants.models import Client, Domain


class TenantHasNoPrimaryDomain(LookupError):
    """The tenant has no primary domain, so no link to it can be written."""


def tenant_primary_domain(tenant: Client) -> str:
    domain = (
        Domain.objects.filter(tenant_id=tenant.pk, is_primary=True).values_list("domain", flat=True).first()
        or Domain.objects.filter(tenant_id=tenant.pk).order_by("pk").values_list("domain", flat=True).first()
    )
    if not domain:
        raise TenantHasNoPrimaryDomain(f"Tenant {tenant.schema_name!r} has no domain.")
    return domain.lower()


def tenant_base_url(tenant: Client) -> str:
    """``https://acme.example.com`` (production) or ``http://acme.localhost:8000`` (development), no trailing slash."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{tenant_primary_domain(tenant)}{port}"


def tenant_absolute_url(tenant: Client, path: str) -> str:
    """An absolute link to ``path`` (which starts with ``/``, e.g. from ``reverse()``) on the tenant's own site."""
    if not path.startswith("/"):
        raise ValueError(f"An absolute path is needed, not {path!r}.")
    return tenant_base_url(tenant) + path
