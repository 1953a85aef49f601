"""Provisioning clones the template inside one transaction: all or nothing, idempotent, off the request path."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from accounts.models import User
from tenants.models import Client, Domain
from tenants.provisioning import (
    schema_migrations_applied,
    template_schema_is_current,
    tenant_migrations_expected,
    tenant_provision,
)
from tenants.services import tenant_create
from tests.tenants.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _new_tenant(schema: str = "delta", domain: str = "delta.localhost") -> Client:
    return tenant_create(
        name="Delta Outplacement",
        schema_name=schema,
        domain=domain,
        kind=Client.Kind.ENTERPRISE,
        region="APAC",
        language="ja",
        currency="JPY",
        provision=False,
    )


def test_it_keeps_the_template_schema_fully_migrated(cast) -> None:
    assert template_schema_is_current()
    assert tenant_migrations_expected() <= schema_migrations_applied(settings.TENANT_TEMPLATE_SCHEMA)


def test_it_provisions_a_schema_with_every_tenant_migration_and_no_data(cast) -> None:
    client = _new_tenant()
    assert not client.is_ready
    assert not schema_exists("delta")

    tenant_provision(client_id=client.pk)

    client.refresh_from_db()
    assert client.is_ready
    assert client.provisioned_at is not None
    assert schema_migrations_applied("delta") == schema_migrations_applied(settings.TENANT_TEMPLATE_SCHEMA)
    with schema_context("delta"):
        assert User.objects.count() == 0
        User.objects.create_user("first@delta.example", "x" * 12)
        assert User.objects.count() == 1


def test_it_does_nothing_when_provisioning_a_ready_tenant_again(cast) -> None:
    client = tenant_provision(client_id=_new_tenant().pk)
    again = tenant_provision(client_id=client.pk)
    assert again.provisioned_at == client.provisioned_at


def test_it_leaves_no_schema_behind_when_provisioning_fails_half_way_and_can_retry(cast, monkeypatch) -> None:
    client = _new_tenant()

    def fail_after_clone(self, *args, **kwargs):
        assert schema_exists("delta"), "the clone ran before the failure"
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(Client, "save", fail_after_clone)
        with pytest.raises(RuntimeError, match="disk full"):
            tenant_provision(client_id=client.pk)

    assert not schema_exists("delta")
    assert Client.objects.get(pk=client.pk).is_ready is False

    tenant_provision(client_id=client.pk)
    assert Client.objects.get(pk=client.pk).is_ready is True
    assert schema_exists("delta")


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("schema_name", {"schema_name": "Bad-Name"}),
        ("schema_name", {"schema_name": "public"}),
        ("schema_name", {"schema_name": "alpha"}),
        ("schema_name", {"schema_name": "tenant_template"}),
        ("domain", {"domain": "http://acme.localhost:8000/"}),
        ("domain", {"domain": "alpha.localhost"}),
        ("default_language", {"language": "xx"}),
        ("region", {"region": "LATAM"}),
        ("currency", {"currency": "euro"}),
        ("kind", {"kind": "public"}),
    ],
)
def test_it_rejects_bad_tenant_fields_naming_the_field_and_stores_nothing(cast, field, overrides) -> None:
    before = (Client.objects.count(), Domain.objects.count())
    values = {
        "name": "Acme",
        "schema_name": "acme",
        "domain": "acme.localhost",
        "kind": Client.Kind.ENTERPRISE,
        "region": "EU",
        "language": "de",
        "currency": "EUR",
    } | overrides
    with pytest.raises(ValidationError) as error:
        tenant_create(**values, provision=False)
    assert field in error.value.message_dict
    assert (Client.objects.count(), Domain.objects.count()) == before


def test_it_names_the_bad_field_in_the_provisioning_commands_error(cast) -> None:
    with pytest.raises(CommandError, match="domain: Enter a host name"):
        call_command("provision_tenant", "acme", "--name", "Acme", "--domain", "not a host", "--now")
    assert not Client.objects.filter(schema_name="acme").exists()


def test_it_provisions_from_the_management_command(cast) -> None:
    call_command("provision_tenant", "epsilon", "--name", "Epsilon", "--domain", "epsilon.localhost", "--now")
    assert Client.objects.get(schema_name="epsilon").is_ready
    assert schema_exists("epsilon")


def test_it_installs_the_clone_function_once(cast) -> None:
    from tenants.clone import FUNCTION_VERSION, clone_function_ensure

    assert clone_function_ensure() is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(to_regprocedure('public.clone_schema(text, text, public.cloneparms[])'), 'pg_proc')"
        )
        assert cursor.fetchone()[0] == FUNCTION_VERSION


def test_it_clones_mixed_case_names_and_rows_exactly(cast) -> None:
    from tenants.clone import schema_clone

    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "clone_src"')
        cursor.execute('CREATE TABLE "clone_src"."MixedCase" (id serial PRIMARY KEY, "SomeColumn" text NOT NULL)')
        cursor.execute('INSERT INTO "clone_src"."MixedCase" ("SomeColumn") VALUES (%s), (%s)', ["a", "b"])
        schema_clone(source="clone_src", target="clone_dst")
        cursor.execute('SELECT id, "SomeColumn" FROM "clone_dst"."MixedCase" ORDER BY id')
        assert cursor.fetchall() == [(1, "a"), (2, "b")]
        cursor.execute('INSERT INTO "clone_dst"."MixedCase" ("SomeColumn") VALUES (%s) RETURNING id', ["c"])
        assert cursor.fetchone()[0] == 3  # the sequence was cloned with its position


def test_it_migrates_only_the_tenant_schemas_that_lack_migrations(cast, capsys) -> None:
    fresh = ClientFactory(schema_name="fresh_schema")
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "fresh_schema"')
    ready_schemas = Client.objects.exclude(schema_name__in=["public", "fresh_schema"]).count()

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)

    assert f"{ready_schemas} tenant schema(s) already up to date, skipped" in capsys.readouterr().out
    assert schema_migrations_applied(fresh.schema_name) >= tenant_migrations_expected()
