"""People management (issue 13, item 2): administrators list and manage the organisation's people, cohorts and
settings; coaches, analysts and members reach none of it (404, nothing changed); deactivating frees a seat and stops
sign-in, reactivating needs a seat; members choose what their coach sees."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from portal import access
from portal.membership import membership_for
from portal.models import Announcement, Cohort, Invitation, Membership, OrganisationSettings
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tests.portal.members_helpers import contract, gamma_seats, german, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(cast):
    """Gamma with an administrator, two coaches, an analyst, three members (one of them the cast's Greta, who joined
    before the portal existed and has no membership row) and two cohorts."""
    with schema_context("gamma"):

        def person(email: str, name: str, role: str) -> User:
            return user_create(email=email, password=PASSWORD, full_name=name, role=role)

        people = {
            "administrator": person("ines.albrecht@gamma.example", "Ines Albrecht", User.Role.ADMINISTRATOR),
            "coach": person("carl.brandt@gamma.example", "Carl Brandt", User.Role.COACH),
            "other_coach": person("olga.nowak@gamma.example", "Olga Nowak", User.Role.COACH),
            "analyst": person("anna.lindqvist@gamma.example", "Anna Lindqvist", User.Role.ANALYST),
            "milo": person("milo.schreiber@gamma.example", "Milo Schreiber", User.Role.MEMBER),
            "aiko": person("aiko.yamamoto@gamma.example", "山本 愛子", User.Role.MEMBER),
            "greta": User.objects.get(email=cast.enterprise_email),
        }
        spring = Cohort.objects.create(name="Frühjahr 2026")
        autumn = Cohort.objects.create(name="Herbst 2026", kind=Cohort.Kind.PROGRAMME)
        Membership.objects.create(user=people["milo"], coach=people["coach"], cohort=spring)
        Membership.objects.create(user=people["aiko"], coach=people["other_coach"])
    return {**people, "spring": spring, "autumn": autumn}


@pytest.fixture
def admin_client(org) -> HttpClient:
    return signed_in("ines.albrecht@gamma.example")


def seats():
    return gamma_seats()


def seats_full() -> str:
    return german(
        "All %(total)s seats of your organisation's contract are taken; ask CVPlus to add seats.", total=seats().total
    )


def fresh(user: User) -> User:
    with schema_context("gamma"):
        return User.objects.select_related("membership").get(pk=user.pk)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


# ---------------------------------------------------------------------------------------------------------------------
# Who reaches these pages
# ---------------------------------------------------------------------------------------------------------------------
def _urls(org) -> tuple[list[str], list[tuple[str, dict]]]:
    milo, spring = org["milo"], org["spring"]
    with schema_context("gamma"):
        invitation = Invitation.objects.create(
            email="waiting@example.de", token_hash="1" * 64, expires_at=timezone.now() + timedelta(days=5)
        )
    pages = [
        "/portal/people/",
        f"/portal/people/{milo.pk}/",
        f"/portal/people/{milo.pk}/remove/",
        "/portal/invitations/",
        "/portal/invitations/new/",
        "/portal/invitations/csv/",
        "/portal/cohorts/",
        f"/portal/cohorts/{spring.pk}/",
        "/portal/settings/",
    ]
    posts = [
        ("/portal/people/assign/", {"people": [milo.pk], "coach": org["other_coach"].pk, "cohort": ""}),
        (f"/portal/people/{milo.pk}/role/", {"role": "coach"}),
        (f"/portal/people/{milo.pk}/assign/", {"coach": "none", "cohort": "none"}),
        (f"/portal/people/{milo.pk}/deactivate/", {}),
        (f"/portal/people/{milo.pk}/reactivate/", {}),
        (f"/portal/people/{milo.pk}/remove/", {}),
        ("/portal/invitations/new/", {"email": "new.person@example.de", "role": "member"}),
        ("/portal/invitations/csv/send/", {"csv_text": "email\nnew.person@example.de\n"}),
        (f"/portal/invitations/{invitation.pk}/resend/", {}),
        (f"/portal/invitations/{invitation.pk}/withdraw/", {}),
        ("/portal/cohorts/", {"name": "Sommer 2026", "kind": "intake"}),
        (f"/portal/cohorts/{spring.pk}/", {"name": "Umbenannt", "kind": "intake"}),
        (f"/portal/cohorts/{spring.pk}/delete/", {}),
        ("/portal/settings/", {"coaches_see_all_members": "on", "invitation_valid_days": 30}),
    ]
    return pages, posts


def _state(org) -> tuple:
    with schema_context("gamma"):
        return (
            list(User.objects.order_by("pk").values_list("pk", "role", "is_active")),
            list(Membership.objects.order_by("pk").values_list("user_id", "coach_id", "cohort_id", "status")),
            list(Invitation.objects.order_by("pk").values_list("email", "token_hash", "revoked_at")),
            list(Cohort.objects.order_by("pk").values_list("name", "kind")),
            list(OrganisationSettings.objects.values_list("coaches_see_all_members", "invitation_valid_days")),
        )


@pytest.mark.parametrize("role", ["coach", "analyst", "milo"])
def test_it_answers_404_to_everyone_but_administrators_and_changes_nothing(org, role):
    client = signed_in(org[role].email)
    pages, posts = _urls(org)
    before = _state(org)

    for url in pages:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url

    assert _state(org) == before


def test_it_shows_the_pages_to_an_administrator_and_nothing_on_a_consumer_site(cast, org, admin_client, client_a):
    pages, _posts = _urls(org)
    for url in pages:
        assert admin_client.get(url).status_code == 200, url
    login(client_a, cast.owner_email)
    for url in pages:
        assert client_a.get(url).status_code == 404, url


def test_it_sends_strangers_to_sign_in(org):
    response = HttpClient(HTTP_HOST=ENTERPRISE_HOST).get("/portal/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# ---------------------------------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------------------------------
def test_it_lists_members_and_staff_with_role_status_cohort_coach_and_seats(org, admin_client):
    contract(seats=10)

    page = admin_client.get("/portal/people/").content.decode()

    for name in ("Ines Albrecht", "Carl Brandt", "Anna Lindqvist", "Milo Schreiber", "山本 愛子", "Greta Gamma"):
        assert name in page
    milo = re.search(rf'<tr id="person-{org["milo"].pk}".*?</tr>', page, re.S).group(0)
    assert "Frühjahr 2026" in milo
    assert "Carl Brandt" in milo
    seats_line = german(
        "Seats: %(used)s of %(total)s taken by members; %(pending)s more held by invitations waiting to be accepted.",
        used=3,
        total=10,
        pending=0,
    )
    assert seats_line in page
    greta = fresh(org["greta"])
    assert greta.membership.is_active  # made on first need, with the organisation's defaults


def test_it_filters_the_list(org, admin_client):
    by_coach = admin_client.get(f"/portal/people/?coach={org['coach'].pk}").content.decode()
    coaches = admin_client.get("/portal/people/?role=coach").content.decode()
    searched = admin_client.get("/portal/people/?q=yamamoto").content.decode()

    assert "Milo Schreiber" in by_coach
    assert "山本 愛子" not in by_coach
    assert "Olga Nowak" in coaches
    assert "Milo Schreiber" not in coaches
    assert "山本 愛子" in searched
    assert "Milo Schreiber" not in searched


def test_it_answers_400_naming_each_filter_it_cannot_read(org, admin_client):
    response = admin_client.get("/portal/people/?q=%00&cohort=%C2%B2&role=owner&page=%00")

    assert response.status_code == 400
    page = response.content.decode()
    for name in ("q", "cohort", "role"):
        assert f"<code>{name}</code>" in page
    assert admin_client.get("/portal/people/?page=%EF%BC%91&coach=none").status_code == 200


def test_it_lists_people_in_the_same_number_of_queries_however_many_there_are(
    org, admin_client, django_assert_num_queries
):
    admin_client.get("/portal/people/")  # memberships made for people who lacked one
    with django_assert_num_queries(10) as few:
        admin_client.get("/portal/people/")
    with schema_context("gamma"):
        for number in range(12):
            member = user_create(email=f"extra{number}@example.de", password=PASSWORD, full_name=f"Extra {number}")
            membership_for(member)
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get("/portal/people/")


# ---------------------------------------------------------------------------------------------------------------------
# Roles, coaches, cohorts
# ---------------------------------------------------------------------------------------------------------------------
def test_it_assigns_a_coach_to_several_members_at_once(org, admin_client):
    chosen = [org["milo"].pk, org["aiko"].pk, org["analyst"].pk]

    response = admin_client.post(
        "/portal/people/assign/",
        {"people": chosen, "coach": org["other_coach"].pk, "cohort": "", "filter_role": "member"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/portal/people/?role=member"
    assert fresh(org["milo"]).membership.coach_id == org["other_coach"].pk
    assert fresh(org["milo"]).membership.cohort_id == org["spring"].pk  # kept
    assert fresh(org["aiko"]).membership.coach_id == org["other_coach"].pk
    with schema_context("gamma"):
        assert not Membership.objects.filter(user=org["analyst"], coach__isnull=False).exists()
    with schema_context("gamma"):
        assert set(access.members_visible(org["other_coach"])) == {org["milo"], org["aiko"]}


def test_it_assigns_one_members_coach_and_cohort(org, admin_client):
    admin_client.post(
        f"/portal/people/{org['aiko'].pk}/assign/", {"coach": org["coach"].pk, "cohort": org["autumn"].pk}
    )

    membership = fresh(org["aiko"]).membership
    assert (membership.coach_id, membership.cohort_id) == (org["coach"].pk, org["autumn"].pk)


def test_it_changes_a_role_and_unassigns_a_former_coachs_members(org, admin_client):
    response = admin_client.post(f"/portal/people/{org['coach'].pk}/role/", {"role": "analyst"}, follow=True)

    assert fresh(org["coach"]).role == User.Role.ANALYST
    assert fresh(org["milo"]).membership.coach_id is None
    unassigned = german("%(count)s member no longer has a coach: assign another on the people page.", count=1)
    assert unassigned in messages_of(response)


def test_it_keeps_the_last_administrator(org, admin_client):
    response = admin_client.post(f"/portal/people/{org['administrator'].pk}/role/", {"role": "coach"}, follow=True)

    assert fresh(org["administrator"]).role == User.Role.ADMINISTRATOR
    kept = german(
        "%(name)s is the organisation's only administrator. Make someone else an administrator first.",
        name="Ines Albrecht",
    )
    assert kept in messages_of(response)
    admin_client.post(f"/portal/people/{org['coach'].pk}/role/", {"role": "administrator"})
    admin_client.post(f"/portal/people/{org['administrator'].pk}/role/", {"role": "coach"})
    assert fresh(org["administrator"]).role == User.Role.COACH
    assert admin_client.get("/portal/people/").status_code == 404  # no longer an administrator


def test_it_needs_a_free_seat_to_make_someone_a_member(org, admin_client):
    contract(seats=seats().used)

    response = admin_client.post(f"/portal/people/{org['analyst'].pk}/role/", {"role": "member"}, follow=True)

    assert fresh(org["analyst"]).role == User.Role.ANALYST
    assert seats_full() in messages_of(response)
    admin_client.post(f"/portal/people/{org['milo'].pk}/role/", {"role": "coach"})  # frees a seat
    admin_client.post(f"/portal/people/{org['analyst'].pk}/role/", {"role": "member"})
    assert fresh(org["analyst"]).role == User.Role.MEMBER


# ---------------------------------------------------------------------------------------------------------------------
# Deactivating, reactivating, removing
# ---------------------------------------------------------------------------------------------------------------------
def test_it_deactivates_a_member_freeing_a_seat_and_stopping_sign_in(org, admin_client):
    contract(seats=seats().used)
    milo_client = signed_in(org["milo"].email)
    used = seats().used

    response = admin_client.post(f"/portal/people/{org['milo'].pk}/deactivate/")

    assert response.status_code == 302
    milo = fresh(org["milo"])
    assert not milo.is_active
    assert milo.membership.status == Membership.Status.DEACTIVATED
    assert milo.membership.deactivated_at is not None
    assert milo.membership.coach_id == org["coach"].pk  # everything kept
    assert seats().used == used - 1
    assert milo_client.get("/portal/").status_code == 302  # the open session no longer works
    assert login(HttpClient(HTTP_HOST=ENTERPRISE_HOST), org["milo"].email).status_code == 200  # the form again
    invited = admin_client.post(
        "/portal/invitations/new/", {"email": "neu@example.de", "role": "member", "language": ""}
    )
    assert invited.status_code == 302  # the freed seat can be given


def test_it_refuses_to_reactivate_when_the_seats_are_full(org, admin_client):
    admin_client.post(f"/portal/people/{org['milo'].pk}/deactivate/")
    contract(seats=seats().used)

    response = admin_client.post(f"/portal/people/{org['milo'].pk}/reactivate/", follow=True)

    assert not fresh(org["milo"]).is_active
    assert seats_full() in messages_of(response)
    admin_client.post(f"/portal/people/{org['aiko'].pk}/deactivate/")
    admin_client.post(f"/portal/people/{org['milo'].pk}/reactivate/")
    milo = fresh(org["milo"])
    assert milo.is_active
    assert milo.membership.is_active
    assert milo.membership.deactivated_at is None
    assert login(HttpClient(HTTP_HOST=ENTERPRISE_HOST), org["milo"].email).status_code == 302


def test_it_does_not_let_an_administrator_deactivate_themselves(org, admin_client):
    admin_client.post(f"/portal/people/{org['administrator'].pk}/deactivate/")

    assert fresh(org["administrator"]).is_active


def test_it_removes_a_member_and_offers_their_data(org, admin_client):
    page = admin_client.get(f"/portal/people/{org['milo'].pk}/remove/").content.decode()
    export = f"/privacy/members/{org['milo'].pk}/export/"
    assert f'href="{export}"' in page
    assert fresh(org["milo"]).is_active  # the page alone changes nothing

    removed = admin_client.post(f"/portal/people/{org['milo'].pk}/remove/")

    assert removed.status_code == 200
    assert f'href="{export}"' in removed.content.decode()
    assert not fresh(org["milo"]).is_active
    download = admin_client.get(export)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"


# ---------------------------------------------------------------------------------------------------------------------
# Cohorts and settings
# ---------------------------------------------------------------------------------------------------------------------
def test_it_creates_renames_and_deletes_cohorts(org, admin_client):
    created = admin_client.post("/portal/cohorts/", {"name": "  Sommer   2026 ", "kind": "intake", "starts_on": ""})
    duplicate = admin_client.post("/portal/cohorts/", {"name": "frühjahr 2026", "kind": "intake"})
    renamed = admin_client.post(
        f"/portal/cohorts/{org['spring'].pk}/", {"name": "Frühjahr 2026 (Berlin)", "kind": "intake", "starts_on": ""}
    )
    deleted = admin_client.post(f"/portal/cohorts/{org['spring'].pk}/delete/")

    assert (created.status_code, duplicate.status_code, renamed.status_code, deleted.status_code) == (
        302,
        400,
        302,
        302,
    )
    assert escape(german("A cohort named “%(name)s” already exists.", name="frühjahr 2026")) in (
        duplicate.content.decode()
    )
    with schema_context("gamma"):
        assert sorted(Cohort.objects.values_list("name", flat=True)) == ["Herbst 2026", "Sommer 2026"]
    assert fresh(org["milo"]).membership.cohort_id is None
    assert fresh(org["milo"]).is_active


def test_it_refuses_to_delete_a_cohort_an_announcement_is_aimed_at(org, admin_client):
    with schema_context("gamma"):
        Announcement.objects.create(title="Bewerbungstraining am Montag", body="Raum 3", cohort=org["autumn"])

    admin_client.post(f"/portal/cohorts/{org['autumn'].pk}/delete/")

    with schema_context("gamma"):
        assert Cohort.objects.filter(pk=org["autumn"].pk).exists()
        assert Announcement.objects.get().cohort_id == org["autumn"].pk


def test_it_saves_the_organisations_settings_within_limits(org, admin_client):
    saved = admin_client.post(
        "/portal/settings/",
        {"coaches_see_all_members": "on", "default_share_notes": "on", "invitation_valid_days": 30},
    )
    too_long = admin_client.post("/portal/settings/", {"invitation_valid_days": 400})

    assert (saved.status_code, too_long.status_code) == (302, 400)
    with schema_context("gamma"):
        row = OrganisationSettings.current()
        assert (row.coaches_see_all_members, row.default_share_applications, row.default_share_cv) == (
            True,
            False,
            False,
        )
        assert (row.default_share_notes, row.invitation_valid_days) == (True, 30)
        assert set(access.members_visible(org["other_coach"])) >= {org["milo"], org["aiko"]}


# ---------------------------------------------------------------------------------------------------------------------
# A member's own sharing choices, and memberships made on first need
# ---------------------------------------------------------------------------------------------------------------------
def test_it_lets_a_member_choose_what_their_coach_sees(org):
    milo = signed_in(org["milo"].email)

    page = milo.get("/portal/sharing/").content.decode()
    saved = milo.post("/portal/sharing/", {"share_applications": "on", "share_notes": "on"})

    who = german(
        "What you tick here is seen by your coach, %(coach)s, and by %(organisation)s's administrators.",
        coach="Carl Brandt",
        organisation="Tenant gamma",
    )
    assert who in page
    assert saved.status_code == 302
    with schema_context("gamma"):
        assert access.shared_with(org["coach"], fresh(org["milo"])) == access.Shared(
            applications=True, cv=False, notes=True
        )
    assert 'href="/portal/sharing/"' in milo.get("/portal/").content.decode()


@pytest.mark.parametrize("role", ["administrator", "coach", "analyst"])
def test_it_shows_the_sharing_page_to_members_only(org, role):
    assert signed_in(org[role].email).get("/portal/sharing/").status_code == 404


def test_it_gives_a_member_without_a_membership_one_with_the_organisations_defaults(org):
    with schema_context("gamma"):
        settings_row = OrganisationSettings.current()
        settings_row.default_share_cv = False
        settings_row.default_share_notes = True
        settings_row.save()
        earlier = user_create(email="elif.demir@gamma.example", password=PASSWORD, full_name="Elif Demir")
        assert not Membership.objects.filter(user=earlier).exists()

        membership = membership_for(earlier)

        assert (membership.share_applications, membership.share_cv, membership.share_notes) == (True, False, True)
        assert membership.is_active
        assert membership.joined_at == earlier.date_joined
        assert membership_for(earlier).pk == membership.pk


def test_the_home_page_links_an_administrator_to_the_members_area(org, admin_client):
    page = admin_client.get("/portal/").content.decode()
    for url in ("/portal/people/", "/portal/invitations/", "/portal/cohorts/", "/portal/settings/"):
        assert f'href="{url}"' in page
    coach_page = signed_in(org["coach"].email).get("/portal/").content.decode()
    assert 'href="/portal/people/"' not in coach_page
