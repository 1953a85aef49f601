"""Isolation fails closed: schemas, search paths, cache keys, sessions and accounts never cross tenants."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.context import NotInTenantSchema, dangerously_for_each_tenant, require_tenant_schema
from tests.conftest import HOST_B, PASSWORD, login
from tests.search_path_guard import SearchPathMismatch
from tests.tenants.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _tables_of(app_names: set[str]) -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name in app_names
    }


def misplaced_tables(*, public: set[str], tenant: set[str]) -> dict[str, set[str]]:
    tenant_only = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    shared_only = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    return {
        "tenant tables in public": _tables_of(tenant_only) & public,
        "public-only tables in a tenant": _tables_of(shared_only) & tenant,
    }


def test_it_keeps_tenant_tables_out_of_public_and_public_tables_out_of_tenants(cast) -> None:
    public = _tables_in("public")
    for schema in ("alpha", "beta", "gamma", settings.TENANT_TEMPLATE_SCHEMA):
        found = misplaced_tables(public=public, tenant=_tables_in(schema))
        assert found == {"tenant tables in public": set(), "public-only tables in a tenant": set()}, schema
    assert "tenants_client" in public
    assert "accounts_user" in _tables_in("alpha")


def test_it_detects_a_public_only_table_created_in_a_tenant_schema(cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "alpha"."tenants_client" (id integer)')
    found = misplaced_tables(public=_tables_in("public"), tenant=_tables_in("alpha"))
    assert found["public-only tables in a tenant"] == {"tenants_client"}


def test_it_refuses_tenant_only_code_in_the_public_schema(cast) -> None:
    with pytest.raises(NotInTenantSchema):
        require_tenant_schema()
    with schema_context("alpha"):
        assert require_tenant_schema() == "alpha"


def test_it_fails_a_statement_whose_search_path_is_not_the_active_tenants(cast) -> None:
    with schema_context("alpha"):
        User.objects.count()  # sets alpha's search path
        with connection.cursor() as cursor:
            cursor.cursor.execute('SET search_path = "beta", public')  # behind Django's back
            with pytest.raises(SearchPathMismatch, match="'beta' while the connection is on 'alpha'"):
                cursor.execute("SELECT 1")
        connection.search_path_set_schemas = None


def test_it_keeps_each_tenants_users_in_its_own_schema(cast) -> None:
    with schema_context("alpha"):
        alpha_emails = set(User.objects.values_list("email", flat=True))
    with schema_context("beta"):
        beta_emails = set(User.objects.values_list("email", flat=True))
    assert alpha_emails == {cast.owner_email, cast.member_email}
    assert beta_emails == {cast.stranger_email}
    assert not User.objects.filter(email__in=alpha_emails | beta_emails).exists()


def test_it_prefixes_cache_keys_with_the_tenant_schema(cast) -> None:
    with schema_context("alpha"):
        cache.set("greeting", "alpha's value")
    with schema_context("beta"):
        assert cache.get("greeting") is None
        cache.set("greeting", "beta's value")
    with schema_context("alpha"):
        assert cache.get("greeting") == "alpha's value"
        cache.delete("greeting")
    with schema_context("beta"):
        assert cache.get("greeting") == "beta's value"
        cache.delete("greeting")


def test_it_visits_only_ready_tenants_in_the_cross_tenant_loop(cast) -> None:
    ClientFactory(schema_name="not_ready")
    visited = dict(dangerously_for_each_tenant(lambda schema: (connection.schema_name, User.objects.count())))
    assert {"alpha", "beta", "gamma"} <= set(visited)
    assert "not_ready" not in visited
    assert "public" not in visited
    assert visited["alpha"] == ("alpha", 2)
    assert visited["beta"] == ("beta", 1)


def test_it_refuses_a_login_with_another_tenants_credentials(cast, client_b) -> None:
    response = login(client_b, cast.owner_email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client_b.session
    assert client_b.get("/accounts/").status_code == 302


def test_it_ignores_a_session_cookie_carried_to_another_tenants_host(cast, client_a, client_b) -> None:
    assert login(client_a, cast.owner_email).status_code == 302
    assert cast.owner_email.encode() in client_a.get("/accounts/").content
    client_b.cookies["sessionid"] = client_a.cookies["sessionid"].value
    response = client_b.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_each_user_only_their_own_account(cast, client_a) -> None:
    login(client_a, cast.member_email, PASSWORD)
    page = client_a.get("/accounts/").content
    assert cast.member_email.encode() in page
    assert cast.owner_email.encode() not in page


def test_it_answers_404_to_a_password_reset_link_made_for_another_tenants_user(cast, client_a) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        uid = urlsafe_base64_encode(force_bytes(owner.pk))
        token = default_token_generator.make_token(owner)
    from django.test import Client as HttpClient

    response = HttpClient(HTTP_HOST=HOST_B).get(f"/accounts/reset/{uid}/{token}/", follow=True)
    assert response.status_code == 404
    assert cast.owner_email.encode() not in response.content
    with schema_context("alpha"):
        assert User.objects.get(pk=owner.pk).password == owner.password
