"""Writes for tenants. Validation first (``tenant_check_*``), then one transaction."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.models import Client, Domain

SCHEMA_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
RESERVED_SCHEMAS = {"public", "information_schema", "pg_catalog", "pg_toast"}


def tenant_check_fields(*, schema_name: str, domain: str, kind: str, region: str, language: str, currency: str) -> None:
    errors: dict[str, str] = {}
    if not SCHEMA_NAME_RE.match(schema_name) or schema_name in RESERVED_SCHEMAS or schema_name.startswith("pg_"):
        errors["schema_name"] = _(
            "Use 2 to 41 lowercase letters, digits or underscores, starting with a letter (not a reserved name)."
        )
    elif schema_name == settings.TENANT_TEMPLATE_SCHEMA:
        errors["schema_name"] = _("This name is reserved for the template schema.")
    elif Client.objects.filter(schema_name=schema_name).exists():
        errors["schema_name"] = _("A tenant with this schema name already exists.")
    if not DOMAIN_RE.match(domain):
        errors["domain"] = _("Enter a host name such as acme.localhost, without scheme, port or path.")
    elif Domain.objects.filter(domain=domain).exists():
        errors["domain"] = _("This host name is already used by another tenant.")
    if kind not in {Client.Kind.CONSUMER, Client.Kind.ENTERPRISE}:
        errors["kind"] = _("A new tenant is either a consumer site or an enterprise portal.")
    if region not in Client.Region.values:
        errors["region"] = _("Choose one of the regions NA, EU or APAC.")
    if language not in dict(settings.LANGUAGES):
        errors["default_language"] = _("Choose one of the site's languages: %(codes)s.") % {
            "codes": ", ".join(dict(settings.LANGUAGES))
        }
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("Enter a three-letter ISO 4217 currency code, such as EUR.")
    if errors:
        raise ValidationError(errors)


def tenant_create(
    *,
    name: str,
    schema_name: str,
    domain: str,
    kind: str,
    region: str,
    language: str,
    currency: str,
    provision: bool = True,
) -> Client:
    """Records a new tenant and its host, then queues its provisioning once the transaction commits.

    The tenant answers with a "being set up" page until provisioning marks it ready.
    """
    domain = domain.strip().lower()
    tenant_check_fields(
        schema_name=schema_name, domain=domain, kind=kind, region=region, language=language, currency=currency
    )
    with transaction.atomic():
        client = Client.objects.create(
            name=name,
            schema_name=schema_name,
            kind=kind,
            region=region,
            default_language=language,
            currency=currency,
        )
        Domain.objects.create(tenant=client, domain=domain, is_primary=True)
        if provision:
            from tenants.tasks import tenant_provision_task

            # robust: with the broker down the tenant is saved (not ready) and the error logged; see tenants/admin.py.
            transaction.on_commit(lambda: tenant_provision_task.delay(client.pk), robust=True)
    return client


def public_tenant_ensure(*, domain: str) -> Client:
    """The public site's tenant row (schema ``public``), created once; the public schema is migrated, not cloned."""
    client, _created = Client.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "CVPlus", "kind": Client.Kind.PUBLIC, "is_ready": True},
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": client, "is_primary": True})
    return client
