"""The organisation API (/api/v1/org/): every endpoint against every kind of caller, each reaching exactly what
portal/access.py allows and getting a 404 (with none of the data) for anything else; the funnel against hand-counted
figures; the API in the portal host's OpenAPI docs."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from portal.models import ApiToken, Cohort, Invitation, Membership
from tests.conftest import ENTERPRISE_HOST, HOST_A, login
from tests.portal.integrations_cast import (
    application_for,
    organisation_build,
    person,
    signed_in,
    token_client,
)
from tracking import services
from tracking.models import Stage

pytestmark = pytest.mark.django_db

CALLERS = ("administrator token", "coach session", "analyst session", "member session", "other tenant")

# What each caller gets from each endpoint. "mine" is Carl's member who shares her applications, "theirs" Olga's
# member, "private" Carl's member who keeps her applications to herself.
EXPECTED = {
    ("GET", "members/"): (200, 200, 404, 404, 401),
    ("GET", "members/{mine}/"): (200, 200, 404, 404, 401),
    ("GET", "members/{theirs}/"): (200, 404, 404, 404, 401),
    ("GET", "members/{mine}/applications/"): (200, 200, 404, 404, 401),
    ("GET", "members/{private}/applications/"): (404, 404, 404, 404, 401),
    ("GET", "members/{theirs}/applications/"): (200, 404, 404, 404, 401),
    ("GET", "outcomes/funnel/"): (200, 200, 200, 404, 401),
    ("PATCH", "members/{mine}/"): (200, 404, 404, 404, 401),
    ("PATCH", "members/{theirs}/"): (200, 404, 404, 404, 401),
    ("POST", "invitations/"): (201, 404, 404, 404, 401),
}


@pytest.fixture
def org(cast):
    with schema_context("gamma"):
        return organisation_build()


def _caller(name: str, org) -> HttpClient:
    if name == "administrator token":
        with schema_context("gamma"):
            return token_client(org.admin)[0]
    if name == "coach session":
        return signed_in(org.coach.email)
    if name == "analyst session":
        return signed_in(org.analyst.email)
    if name == "member session":
        return signed_in(org.mine.email)
    # Someone signed in on another tenant's host, sending that session cookie here: sessions are per schema.
    stranger = HttpClient(HTTP_HOST=HOST_A)
    login(stranger, "owner@alpha.example")
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    client.cookies = stranger.cookies
    return client


def _send(client: HttpClient, method: str, path: str, org) -> object:
    url = "/api/v1/org/" + path.format(mine=org.mine.pk, theirs=org.theirs.pk, private=org.private.pk)
    if method == "PATCH":
        return client.patch(url, {"cohort": None}, content_type="application/json")
    if method == "POST":
        return client.post(url, {"email": "lea.hoffmann@example.de", "full_name": "Lea Hoffmann"}, "application/json")
    return client.get(url)


@pytest.mark.parametrize(("method", "path"), list(EXPECTED))
@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_reaches_what_access_allows_and_nothing_else(org, caller, method, path) -> None:
    expected = EXPECTED[(method, path)][CALLERS.index(caller)]

    response = _send(_caller(caller, org), method, path, org)

    assert response.status_code == expected, response.content
    body = response.content.decode()
    if expected != 200:
        for member in (org.mine, org.theirs, org.private):
            assert member.email not in body
            assert member.full_name not in body
    changed = method != "GET" and expected in (200, 201)
    with schema_context("gamma"):
        cohort_kept = Membership.objects.filter(user__in=[org.mine, org.theirs], cohort=org.cohort).count()
        invitations = Invitation.objects.count()
    assert cohort_kept == (1 if method == "PATCH" and changed else 2)
    assert invitations == (1 if method == "POST" and changed else 0)
    assert len(mail.outbox) == invitations


def test_a_coach_lists_only_their_own_members(org) -> None:
    response = signed_in(org.coach.email).get("/api/v1/org/members/")

    rows = {row["email"]: row for row in response.json()["results"]}
    assert set(rows) == {org.mine.email, org.private.email}
    assert rows[org.mine.email]["stage_counts"]["screening"] == 1
    assert rows[org.private.email]["stage_counts"] is None  # she does not share her applications
    assert rows[org.mine.email]["cohort"] == {"id": org.cohort.pk, "name": "Herbst 2026"}
    assert rows[org.mine.email]["coach"] == {"id": org.coach.pk, "name": "Carl Brandt"}


def test_a_members_applications_carry_no_cv(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    (application,) = client.get(f"/api/v1/org/members/{org.mine.pk}/applications/").json()["results"]

    assert application["id"] == org.application.pk
    assert application["stage"] == Stage.SCREENING
    assert application["posting"] == {
        "title": "Data Analyst",
        "company": "Rheinmetall Digital",
        "location": "",
        "country": "DE",
        "industry": "technology",
    }
    assert "cv" not in application


def test_the_members_list_costs_a_fixed_number_of_queries(org, django_assert_num_queries) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]
        for index in range(5):
            member = person(f"member.{index}@gamma.example", f"Jonas Weber {index}")
            Membership.objects.create(user=member, coach=org.coach)
            application_for(member, title="Buyer", company="Aldi Süd", industry="retail-ecommerce", country="DE")
    client.get("/api/v1/org/members/")  # the token's first use writes last_used_at

    # the token with its administrator, count, page, the page's stage counts: 4 statements after SET search_path
    with django_assert_num_queries(1 + 4):
        response = client.get("/api/v1/org/members/")

    assert response.json()["count"] == 9  # the cast's Greta, the organisation's three, these five


def test_assigning_a_coach_that_is_not_one_is_refused_and_changes_nothing(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    response = client.patch(
        f"/api/v1/org/members/{org.mine.pk}/",
        {"coach": org.analyst.pk, "cohort": org.cohort.pk + 1000},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"coach", "cohort"}
    with schema_context("gamma"):
        membership = Membership.objects.get(user=org.mine)
        assert (membership.coach, membership.cohort) == (org.coach, org.cohort)


def test_an_empty_change_is_refused(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    response = client.patch(f"/api/v1/org/members/{org.mine.pk}/", {}, content_type="application/json")

    assert response.status_code == 400


def test_without_credentials_it_answers_401_with_the_bearer_scheme(org) -> None:
    response = HttpClient(HTTP_HOST=ENTERPRISE_HOST).get("/api/v1/org/members/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="organisation-api"'


def test_the_organisation_api_is_a_404_on_a_consumer_host(cast, client_a) -> None:
    login(client_a, cast.owner_email)
    assert client_a.get("/api/v1/org/members/").status_code == 404
    assert client_a.get("/api/v1/org/outcomes/funnel/").status_code == 404


def _move(application, stages: list[str], by: User, start) -> None:
    for offset, stage in enumerate(stages, start=1):
        services.application_move(
            application=application,
            to_stage=stage,
            by=by,
            at=start + timedelta(days=offset),
            **({"offer_amount": "52000", "offer_currency": "EUR"} if stage == Stage.OFFER else {}),
        )


def test_the_funnel_matches_hand_counted_figures(org) -> None:
    with schema_context("gamma"):
        spring = Cohort.objects.create(name="Frühjahr 2026")
        start = timezone.now() - timedelta(days=30)
        paths = [
            [Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED],  # every step
            [Stage.INTERVIEWING],  # skips screening: counts for it too
            [],  # applied only
            [Stage.REJECTED],  # applied, then rejected
        ]
        names = ["Lena Fischer", "Jonas Becker", "Sara Yilmaz", "Paul Wagner", "Emma Hoffmann"]
        for index, name in enumerate(names):
            member = person(f"{name.split()[0].lower()}@gamma.example", name)
            Membership.objects.create(user=member, cohort=spring)
            stage = Stage.APPLIED if index < len(paths) else Stage.SAVED  # Emma only saved a posting
            application = application_for(
                member, title="Analyst", company="Siemens", industry="technology", country="DE", stage=stage, at=start
            )
            _move(application, paths[index] if index < len(paths) else [], member, start)
        client = token_client(org.admin)[0]

    funnel = client.get(f"/api/v1/org/outcomes/funnel/?cohort={spring.pk}").json()

    assert funnel["members"] == 5
    assert funnel["suppressed"] is False
    steps = [(step["stage"], step["applications"], step["members"], step["conversion"]) for step in funnel["steps"]]
    assert steps == [
        ("applied", 4, 4, None),
        ("screening", 2, 2, 0.5),
        ("interviewing", 2, 2, 1.0),
        ("offer", 1, 1, 0.5),
        ("accepted", 1, 1, 1.0),
    ]


def test_the_funnel_of_a_group_under_five_shows_no_figures(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    funnel = client.get(f"/api/v1/org/outcomes/funnel/?cohort={org.cohort.pk}").json()

    assert funnel == {"cohort_id": org.cohort.pk, "members": 2, "suppressed": True, "steps": []}
    assert client.get("/api/v1/org/outcomes/funnel/?cohort=999999").status_code == 404


def test_the_portal_hosts_docs_describe_the_organisation_api_and_its_token(org, enterprise_client) -> None:
    schema = json.loads(enterprise_client.get("/api/v1/schema/?format=json").content)

    assert {
        "/api/v1/org/members/",
        "/api/v1/org/members/{id}/",
        "/api/v1/org/members/{id}/applications/",
        "/api/v1/org/outcomes/funnel/",
        "/api/v1/org/invitations/",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/org/members/{id}/"]) == {"get", "patch"}
    token_scheme = schema["components"]["securitySchemes"]["organisationApiToken"]
    assert (token_scheme["type"], token_scheme["scheme"]) == ("http", "bearer")
    assert {"organisationApiToken": []} in schema["paths"]["/api/v1/org/members/"]["get"]["security"]
    assert "CVPlus-Signature" in schema["info"]["description"]
    assert "hmac.compare_digest" in schema["info"]["description"]


def test_a_consumer_hosts_docs_leave_the_organisation_api_out(client_a) -> None:
    schema = json.loads(client_a.get("/api/v1/schema/?format=json").content)

    assert not [path for path in schema["paths"] if path.startswith("/api/v1/org/")]
    assert "organisationApiToken" not in schema["components"].get("securitySchemes", {})


def test_a_read_token_may_read_the_funnel(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin, scope=ApiToken.Scope.READ)[0]

    assert client.get("/api/v1/org/outcomes/funnel/").status_code == 200


def test_an_invitation_through_the_api_is_emailed_with_its_cohort_and_coach(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    response = client.post(
        "/api/v1/org/invitations/",
        {
            "email": "Jonas.Richter@example.de",
            "full_name": "Jonas Richter",
            "cohort": org.cohort.pk,
            "coach": org.coach.pk,
            "language": "de",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["cohort"], body["coach"]) == (
        "jonas.richter@example.de",
        "member",
        org.cohort.pk,
        org.coach.pk,
    )
    assert "token" not in json.dumps(body)
    (email,) = mail.outbox
    assert email.to == ["jonas.richter@example.de"]
    assert "/portal/join/" in email.body


def test_an_invitation_the_organisation_refuses_says_why_and_sends_nothing(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin)[0]

    english = {"content_type": "application/json", "HTTP_ACCEPT_LANGUAGE": "en"}
    existing = client.post("/api/v1/org/invitations/", {"email": org.mine.email}, **english)
    unknown = client.post("/api/v1/org/invitations/", {"email": "new@example.de", "coach": org.analyst.pk}, **english)

    assert existing.status_code == 400
    assert existing.json() == {"non_field_errors": ["This person already has an account here."]}
    assert (unknown.status_code, set(unknown.json())) == (400, {"coach"})
    assert mail.outbox == []
    with schema_context("gamma"):
        assert not Invitation.objects.exists()


def test_a_read_token_cannot_invite(org) -> None:
    with schema_context("gamma"):
        client = token_client(org.admin, scope=ApiToken.Scope.READ)[0]

    response = client.post("/api/v1/org/invitations/", {"email": "new@example.de"}, content_type="application/json")

    assert response.status_code == 403
    assert mail.outbox == []
