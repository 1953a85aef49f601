"""The staff directory (issue 13, item 8): staff find people across every tenant by part of their email or name
(schema by schema, with the tenant shown), open a person, and grant or revoke a plan by choosing them, never by
typing an id; every search, view, grant and revocation is in the staff audit log. Only staff reach it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import plans_ensure
from billing.models import Contract, Plan, Subscription
from tenants.context import ready_tenant_schemas
from tenants.directory import directory_search
from tenants.models import Client, StaffAction
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.billing.test_enterprise_billing import contract
from tests.conftest import PASSWORD, PUBLIC_HOST

pytestmark = pytest.mark.django_db

DIRECTORY = "/admin/tenants/staffaction/directory/"
STAFF_EMAIL = "noor.haddad@cvplus.example"


@pytest.fixture
def staff(cast) -> User:
    return StaffUserFactory(email=STAFF_EMAIL, full_name="Noor Haddad")


@pytest.fixture
def staff_client(staff) -> HttpClient:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert client.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD}).status_code == 302
    return client


def user_in(schema: str, email: str) -> User:
    with schema_context(schema):
        return User.objects.get(email=email)


def tenant(schema: str) -> Client:
    return Client.objects.get(schema_name=schema)


def found(client: HttpClient, **params) -> list[tuple[str, str]]:
    """(tenant schema, user id) of each row the directory shows."""
    page = client.get(DIRECTORY, params).content.decode()
    return re.findall(r'data-tenant="([a-z_]+)" data-user-id="(\d+)"', page)


def test_it_finds_a_user_in_the_enterprise_tenant_by_partial_email_and_by_name(cast, staff_client) -> None:
    greta = user_in("gamma", cast.enterprise_email)

    assert found(staff_client, q="ber@GAMMA") == [("gamma", str(greta.pk))]
    assert found(staff_client, q="greta gam") == [("gamma", str(greta.pk))]
    page = staff_client.get(DIRECTORY, {"q": "greta"}).content.decode()
    assert "Tenant gamma" in page
    assert "Enterprise" in page
    assert "Greta Gamma" in page


def test_it_searches_every_tenant_or_the_one_chosen_and_finds_nobody_for_an_unknown_query(cast, staff_client) -> None:
    everywhere = found(staff_client, q="member@")
    assert {schema for schema, _id in everywhere} == {"alpha", "gamma"}
    assert found(staff_client, q="member@", tenant=tenant("alpha").pk) == [
        ("alpha", str(user_in("alpha", cast.member_email).pk))
    ]
    assert found(staff_client, q="nobody-by-this-name") == []
    assert "0 people found" in staff_client.get(DIRECTORY, {"q": "nobody-by-this-name"}).content.decode()


def test_it_refuses_a_one_letter_query_with_a_message_and_searches_nothing(cast, staff_client) -> None:
    response = staff_client.get(DIRECTORY, {"q": "m"})

    assert response.status_code == 400
    assert "Type at least 2 characters." in response.content.decode()
    assert not StaffAction.objects.exists()


def test_it_shows_at_most_the_limit_per_tenant_and_says_there_are_more(cast) -> None:
    with schema_context("beta"):
        for name in ("Camille Laurent", "Camille Bernard", "Camille Petit"):
            UserFactory(email=f"{name.lower().replace(' ', '.')}@beta.example", full_name=name)

    result = directory_search(query="camille", limit_per_tenant=2)

    assert [person.email for person in result.people] == [
        "camille.bernard@beta.example",
        "camille.laurent@beta.example",
    ]
    assert [client.schema_name for client in result.truncated] == ["beta"]


def test_it_sends_anyone_but_staff_to_the_admin_login(cast) -> None:
    anonymous = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert anonymous.get(DIRECTORY, {"q": "greta"})["Location"].startswith("/admin/login/")

    with schema_context("public"):
        UserFactory(email="not.staff@cvplus.example")
    outsider = HttpClient(HTTP_HOST=PUBLIC_HOST)
    outsider.post("/admin/login/", {"username": "not.staff@cvplus.example", "password": PASSWORD})
    response = outsider.get(DIRECTORY, {"q": "greta"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not StaffAction.objects.exists()


def test_it_is_linked_from_the_admin_index(staff_client) -> None:
    page = staff_client.get("/admin/").content.decode()
    assert f'href="{DIRECTORY}"' in page
    assert 'href="/admin/tenants/staffaction/"' in page


def test_it_writes_each_search_and_each_person_viewed_to_the_staff_audit_log(cast, staff, staff_client) -> None:
    greta = user_in("gamma", cast.enterprise_email)

    staff_client.get(DIRECTORY, {"q": "Greta"})
    response = staff_client.get(f"/admin/tenants/staffaction/directory/{tenant('gamma').pk}/{greta.pk}/")

    assert response.status_code == 200
    searched, viewed = StaffAction.objects.order_by("id")
    assert (searched.action, searched.actor_id, searched.actor_email) == ("directory.searched", staff.pk, STAFF_EMAIL)
    assert searched.tenant is None  # every tenant was searched
    # every ready tenant: the cast's three, and any another test module provisioned (the portal's second organisation)
    assert searched.detail == {"query": "Greta", "found": 1, "tenants": len(ready_tenant_schemas())}
    assert (viewed.action, viewed.tenant.schema_name, viewed.target_user_id) == ("person.viewed", "gamma", greta.pk)


def test_it_answers_404_for_a_person_who_is_not_in_that_tenant(cast, staff_client) -> None:
    stranger = user_in("beta", cast.stranger_email)
    with schema_context("alpha"):
        taken = set(User.objects.values_list("pk", flat=True))
    missing = max(taken | {stranger.pk}) + 1000

    assert staff_client.get(f"{DIRECTORY}{tenant('alpha').pk}/{missing}/").status_code == 404
    assert not StaffAction.objects.exists()


def test_it_grants_a_plan_to_the_person_chosen_in_the_directory_and_logs_it(cast, staff, staff_client) -> None:
    plans_ensure()
    owner = user_in("alpha", cast.owner_email)
    row = (tenant("alpha").pk, owner.pk)
    page = staff_client.get(DIRECTORY, {"q": "olive"}).content.decode()
    grant_url = f"/admin/billing/subscription/grant/{row[0]}/{row[1]}/"
    assert f'href="{grant_url}"' in page  # the grant button on the directory's row

    form = staff_client.get(grant_url).content.decode()
    assert cast.owner_email in form
    assert "Olive Owner" in form
    assert 'name="user_id"' not in form
    premium = Plan.objects.get(code="premium-yearly")
    response = staff_client.post(grant_url, {"plan": premium.pk, "until": "2099-12-31"})

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.tenant.schema_name, subscription.user_id) == ("alpha", owner.pk)
    assert (subscription.plan.code, subscription.source, str(subscription.granted_until)) == (
        "premium-yearly",
        "staff",
        "2099-12-31",
    )
    granted = StaffAction.objects.get(action=StaffAction.Action.PLAN_GRANTED)
    assert (granted.tenant.schema_name, granted.target_user_id, granted.actor_id) == ("alpha", owner.pk, staff.pk)
    assert granted.detail == {"plan": "premium-yearly", "until": "2099-12-31", "previous_plan": None}


def test_it_revokes_a_staff_grant_from_the_persons_page_and_logs_it(cast, staff_client) -> None:
    plans_ensure()
    stranger = user_in("beta", cast.stranger_email)
    grant_url = f"/admin/billing/subscription/grant/{tenant('beta').pk}/{stranger.pk}/"
    staff_client.post(grant_url, {"plan": Plan.objects.get(code="premium-monthly").pk})
    assert "Revoke" in staff_client.get(grant_url).content.decode()

    response = staff_client.post(f"/admin/billing/subscription/revoke/{tenant('beta').pk}/{stranger.pk}/")

    assert response.status_code == 302
    assert not Subscription.objects.exists()
    revoked = StaffAction.objects.get(action=StaffAction.Action.PLAN_REVOKED)
    assert (revoked.tenant.schema_name, revoked.target_user_id, revoked.detail) == (
        "beta",
        stranger.pk,
        {"plan": "premium-monthly"},
    )


def test_it_refuses_to_revoke_a_stripe_subscription_and_changes_nothing(cast, staff_client) -> None:
    plans_ensure()
    owner = user_in("alpha", cast.owner_email)
    Subscription.objects.create(
        tenant=tenant("alpha"),
        user_id=owner.pk,
        plan=Plan.objects.get(code="premium-monthly"),
        stripe_subscription_id="sub_SIMULATED_paid",
    )

    response = staff_client.post(f"/admin/billing/subscription/revoke/{tenant('alpha').pk}/{owner.pk}/", follow=True)

    assert "This plan is paid through Stripe" in response.content.decode()
    assert Subscription.objects.filter(stripe_subscription_id="sub_SIMULATED_paid").exists()
    assert not StaffAction.objects.filter(action=StaffAction.Action.PLAN_REVOKED).exists()


def test_it_refuses_a_grant_in_an_organisation_whose_contract_sets_the_plan(cast, staff_client) -> None:
    plans_ensure()
    greta = user_in("gamma", cast.enterprise_email)
    grant_url = f"/admin/billing/subscription/grant/{tenant('gamma').pk}/{greta.pk}/"

    response = staff_client.post(grant_url, {"plan": Plan.objects.get(code="premium-yearly").pk})

    assert "contract" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not StaffAction.objects.filter(action=StaffAction.Action.PLAN_GRANTED).exists()


def test_it_sends_adding_a_subscription_to_the_directory_instead_of_asking_for_an_id(staff_client) -> None:
    response = staff_client.get("/admin/billing/subscription/add/")

    assert response.status_code == 302
    assert response["Location"] == DIRECTORY


def test_it_keeps_the_audit_log_read_only(cast, staff, staff_client) -> None:
    staff_client.get(DIRECTORY, {"q": "Greta"})
    action = StaffAction.objects.get()

    listing = staff_client.get("/admin/tenants/staffaction/", {"action__exact": "directory.searched"})
    assert listing.status_code == 200
    assert STAFF_EMAIL in listing.content.decode()
    assert staff_client.get("/admin/tenants/staffaction/add/").status_code == 403
    staff_client.post(f"/admin/tenants/staffaction/{action.pk}/delete/", {"post": "yes"})
    assert StaffAction.objects.filter(pk=action.pk).exists()


def test_it_logs_subscriptions_and_contracts_deleted_in_admin(cast, staff_client) -> None:
    plans_ensure()
    owner = user_in("alpha", cast.owner_email)
    subscription = Subscription.objects.create(
        tenant=tenant("alpha"), user_id=owner.pk, plan=Plan.objects.get(code="premium-yearly"), source="staff"
    )
    signed = contract(seats=10, features=["tracking"])

    for changelist, pk in (("subscription", subscription.pk), ("contract", signed.pk)):
        response = staff_client.post(
            f"/admin/billing/{changelist}/",
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
        assert response.status_code == 302

    assert not Subscription.objects.exists()
    assert not Contract.objects.exists()
    logged = dict(StaffAction.objects.values_list("action", "tenant__schema_name"))
    assert logged == {"subscription.deleted": "alpha", "contract.deleted": "gamma"}
    deleted = StaffAction.objects.get(action="subscription.deleted")
    assert (deleted.target_user_id, deleted.detail) == (owner.pk, {"plan": "premium-yearly", "source": "staff"})


def test_it_reads_one_query_per_tenant_and_two_for_plans_and_contracts(cast) -> None:
    with CaptureQueriesContext(connection) as captured:
        result = directory_search(query="member@")

    selects = [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SET ")]
    # The tenants (the directory's, then the cross-tenant loop's), one match query in each ready schema (the cast's
    # three, and any another test module provisioned), then subscriptions and contracts for everyone found.
    assert len(selects) == 4 + len(ready_tenant_schemas())
    assert all(sql.startswith("SELECT ") for sql in selects)
    assert sum('FROM "accounts_user"' in sql for sql in selects) == len(ready_tenant_schemas())
    assert len(result.people) == 2
