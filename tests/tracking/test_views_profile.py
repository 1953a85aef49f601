"""The profile page (/app/profile/): country, years of experience, experience level and the currency for salaries.
A user only ever sees and changes their own profile."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.factories import CVDocumentFactory, candidate_profile_set
from tracking.models import CandidateProfile

pytestmark = pytest.mark.django_db

URL = "/app/profile/"
VALID = {"country": "CA", "years_experience": "6", "experience_level": "SE", "preferred_currency": "CAD"}


def _profile_of(user: User, schema: str = "alpha") -> dict | None:
    with schema_context(schema):
        return (
            CandidateProfile.objects.filter(user=user)
            .values("country", "years_experience", "experience_level", "preferred_currency", "headline")
            .first()
        )


def test_it_asks_an_anonymous_visitor_to_log_in(client_a) -> None:
    response = client_a.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_form_linked_from_the_navigation(owner_client, countries) -> None:
    response = owner_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/app/profile/" aria-current="page">Profile</a>' in page
    for name in ("country", "years_experience", "experience_level", "preferred_currency"):
        assert f'name="{name}"' in page
    assert '<option value="CA">Canada</option>' in page
    assert '<option value="CAD">CAD · Canadian Dollar</option>' in page
    assert "/app/profile/" in owner_client.get("/app/").content.decode()  # in the nav of every page


def test_it_saves_the_profile_and_shows_it_again(owner, owner_client, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, headline="Data engineer")

    response = owner_client.post(URL, VALID)

    assert response.status_code == 302
    assert response["Location"] == URL
    assert _profile_of(owner) == {
        "country": "CA",
        "years_experience": 6,
        "experience_level": "SE",
        "preferred_currency": "CAD",
        "headline": "Data engineer",  # a field the page does not show is left alone
    }
    page = owner_client.get(URL).content.decode()
    assert "Your profile was saved." in page
    assert '<option value="CA" selected>' in page
    assert 'value="6"' in page


def test_it_clears_fields_left_empty(owner, owner_client, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="DE", years_experience=4, experience_level="MI")

    response = owner_client.post(URL, {"country": "", "years_experience": "", "experience_level": ""})

    assert response.status_code == 302
    assert _profile_of(owner) == {
        "country": "",
        "years_experience": None,
        "experience_level": "",
        "preferred_currency": "",
        "headline": "",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("years_experience", "-3", "Years of experience cannot be negative."),
        ("years_experience", "71", "Enter at most 70 years of experience."),
        ("years_experience", "six", "Enter your years of experience as a whole number, such as 6."),
        ("country", "ZZ", "Choose your country from the list."),
        ("experience_level", "XX", "Choose an experience level from the list."),
        ("preferred_currency", "ZZZ", "Choose a currency for salaries from the list."),
    ],
)
def test_it_refuses_a_bad_value_next_to_its_field_and_changes_nothing(
    owner, owner_client, countries, field, value, message
) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="DE", years_experience=4)
    before = _profile_of(owner)

    response = owner_client.post(URL, VALID | {field: value})

    assert response.status_code == 400
    page = response.content.decode()
    field_html = page.split(f'for="id_{field}"')[1].split('<div class="field')[0]
    assert message in field_html
    assert _profile_of(owner) == before


def test_it_renders_the_form_and_its_errors_in_the_users_language(owner, owner_client, countries) -> None:
    """The page is rendered in the user's language ("Enregistrer", "facultatif" from the catalogue), the error too."""
    owner_client.post("/i18n/setlang/", {"language": "fr", "next": URL})

    response = owner_client.post(URL, VALID | {"years_experience": "six"})

    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
    page = response.content.decode()
    assert "Enregistrer" in page
    assert "facultatif" in page
    assert '<option value="DE">Allemagne</option>' in page  # CLDR's French names
    with translation.override("fr"):
        expected = translation.gettext("Enter your years of experience as a whole number, such as 6.")
    assert expected != "Enter your years of experience as a whole number, such as 6."
    assert escape(expected) in page


def test_it_says_the_cv_years_are_used_while_the_profile_has_none(owner, owner_client, countries) -> None:
    with schema_context("alpha"):
        cv = CVDocumentFactory(owner=owner, parsed={"skills": [], "years_experience": 6})

    page = owner_client.get(URL).content.decode()

    assert f"Left empty, we use the 6 years read from your CV (version {cv.version})." in page
    owner_client.post(URL, VALID | {"years_experience": "2"})
    assert "read from your CV" not in owner_client.get(URL).content.decode()


def test_each_user_sees_and_changes_only_their_own_profile(owner, member, cast, client_a, client_b, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="CA", years_experience=6, preferred_currency="CAD")
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
    before = _profile_of(owner)

    login(client_a, cast.member_email)
    page = client_a.get(URL).content.decode()
    assert 'value="6"' not in page
    assert '<option value="CA" selected>' not in page
    assert client_a.post(URL, VALID | {"country": "JP", "years_experience": "1"}).status_code == 302
    login(client_b, cast.stranger_email)
    assert client_b.post(URL, VALID | {"country": "FR", "years_experience": "9"}).status_code == 302

    assert _profile_of(owner) == before
    assert (_profile_of(member)["country"], _profile_of(member)["years_experience"]) == ("JP", 1)
    assert (_profile_of(stranger, "beta")["country"], _profile_of(stranger, "beta")["years_experience"]) == ("FR", 9)
    with schema_context("beta"):
        assert not CandidateProfile.objects.filter(country__in=["CA", "JP"]).exists()
