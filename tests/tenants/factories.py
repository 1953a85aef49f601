from __future__ import annotations

import factory

from tenants.models import Client, Domain


class ClientFactory(factory.django.DjangoModelFactory):
    """A tenant row only: its schema is made by tenants.provisioning, never by the factory."""

    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Organisation {n}")
    schema_name = factory.Sequence(lambda n: f"org_{n}")
    kind = Client.Kind.ENTERPRISE
    region = "EU"
    default_language = "de"
    currency = "EUR"
    is_ready = False


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    tenant = factory.SubFactory(ClientFactory)
    domain = factory.LazyAttribute(lambda obj: f"{obj.tenant.schema_name.replace('_', '-')}.localhost")
    is_primary = True
