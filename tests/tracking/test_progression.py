"""Career progression for a seeker: the "Where this can lead" panel of the CV page, /api/v1/progression/ (the latest
CV, or titles and skills given) and /api/v1/cvs/{id}/progression/. Wages need the salary-range feature; another
user's or another tenant's CV is never read: a 404, or the caller's own data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context

from market.models import Occupation, OccupationSkill, OccupationTitle, Skill, Taxonomy, WagePercentile
from market.progression_data import progression_reference_clear
from market.text import title_normalize
from tests.billing.grants import plan_grant
from tests.conftest import login
from tests.tracking.test_views_cv import make_cv
from tracking.cv.keywords import keyword_index_clear
from tracking.models import CVDocument

pytestmark = pytest.mark.django_db

NURSE_CV = {
    "titles": [
        {
            "title_as_written": "Registered Nurse",
            "occupation_code": "29-1141.00",
            "occupation_title": "Registered Nurses",
            "taxonomy": "onet",
            "evidence": "Registered Nurse, St. Mary's Hospital",
        }
    ],
    "skills": [{"name": "Epic Systems", "key": "epic systems", "taxonomy": "onet", "evidence": "Epic charting"}],
}
UNKNOWN_TITLE_CV = {"titles": [{"title_as_written": "Zebracorn Wrangler", "taxonomy": ""}], "skills": []}


def _occupation(code: str, title: str, zone: int, titles: list[str], skills: list[tuple[str, bool]]) -> None:
    occupation = Occupation.objects.create(
        taxonomy=Taxonomy.ONET, code=code, title=title, soc_code=code[:7], job_zone=zone
    )
    for text in [title, *titles]:
        OccupationTitle.objects.get_or_create(
            occupation=occupation,
            normalized_title=title_normalize(text),
            defaults={"title": text, "source": OccupationTitle.Source.REPORTED},
        )
    for name, hot in skills:
        skill, _created = Skill.objects.get_or_create(
            taxonomy=Taxonomy.ONET, key=title_normalize(name), defaults={"name": name}
        )
        OccupationSkill.objects.create(occupation=occupation, skill=skill, hot_technology=hot)


def _wage(soc: str, title: str, median: int | None) -> None:
    WagePercentile.objects.create(
        area_type="N",
        area_code="0000000",
        area_name="U.S.",
        state_code="99",
        industry_code="000000",
        industry_name="Cross-industry",
        soc_code=soc,
        occ_title=title,
        occ_level=3,
        employment=100_000,
        annual_median_usd=median,
    )


@pytest.fixture
def nursing_world(cast) -> Iterator[None]:
    """Three O*NET occupations with titles, skills and BLS medians, in this test's transaction."""
    with schema_context("public"):
        _occupation(
            "29-1141.00", "Registered Nurses", 4, ["Staff Nurse"], [("Epic Systems", True), ("Microsoft Excel", False)]
        )
        _occupation(
            "29-1171.00",
            "Nurse Practitioners",
            5,
            ["Family Nurse Practitioner"],
            [("Epic Systems", True), ("eClinicalWorks EHR software", True), ("Microsoft Excel", False)],
        )
        _occupation("11-9111.00", "Medical and Health Services Managers", 4, ["Nurse Manager"], [])
        _wage("29-1141", "Registered Nurses", 97_550)
        _wage("29-1171", "Nurse Practitioners", 132_300)
        _wage("11-9111", "Medical and Health Services Managers", 123_860)
    progression_reference_clear()
    keyword_index_clear()
    yield
    progression_reference_clear()
    keyword_index_clear()


def _free(cast) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")


# ---------------------------------------------------------------------------------------------------------------------
# The CV page
# ---------------------------------------------------------------------------------------------------------------------


def test_it_shows_where_the_cv_can_lead_with_the_skills_and_the_wage_change(owner, owner_client, nursing_world):
    make_cv(owner, parsed=NURSE_CV)

    page = owner_client.get("/app/cv/").content.decode()

    panel = page[page.index('id="progression"') :]
    assert "Where this can lead" in panel
    assert "Nurse Practitioners" in panel
    assert "O*NET 29-1171.00" in panel
    assert "+34,750 USD a year (+35.6 %)" in panel
    assert "eClinicalWorks EHR software" in panel
    assert "Nurse Manager" in panel
    assert "+26,310 USD a year (+27.0 %)" in panel


def test_a_free_user_sees_the_roles_and_skills_but_no_wage(cast, owner, owner_client, nursing_world) -> None:
    _free(cast)
    make_cv(owner, parsed=NURSE_CV)

    page = owner_client.get("/app/cv/").content.decode()

    panel = page[page.index('id="progression"') :]
    assert "Nurse Practitioners" in panel
    assert "eClinicalWorks EHR software" in panel
    assert "34,750" not in panel
    assert "132,300" not in panel
    assert "The Free plan does not include salary range with reasons." in panel


def test_it_says_not_enough_data_when_no_title_of_the_cv_maps_to_an_occupation(owner, owner_client, nursing_world):
    make_cv(owner, parsed=UNKNOWN_TITLE_CV)

    page = owner_client.get("/app/cv/").content.decode()

    panel = page[page.index('id="progression"') :]
    assert "Not enough data: none of these job titles maps to an occupation in O*NET." in panel


# ---------------------------------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------------------------------


def test_the_api_answers_the_latest_cvs_progression_with_wages(owner, owner_client, nursing_world) -> None:
    make_cv(owner, parsed=UNKNOWN_TITLE_CV)
    latest = make_cv(owner, parsed=NURSE_CV)

    body = owner_client.get("/api/v1/progression/").json()

    assert (body["status"], body["cv_id"], body["cv_version"]) == ("ok", latest.pk, 2)
    assert body["current"]["occupation_code"] == "29-1141.00"
    roles = {role["occupation_code"]: role for role in body["roles"]}
    practitioner = roles["29-1171.00"]
    assert practitioner["wage"] == {
        "status": "ok",
        "current_median_usd": 97_550,
        "next_median_usd": 132_300,
        "change_usd": 34_750,
        "change_pct": 35.6,
        "note": "",
    }
    assert practitioner["job_zone"] == 5
    assert practitioner["job_zone_step"] == 1
    assert [skill["name"] for skill in practitioner["skills_added"]] == [
        "eClinicalWorks EHR software",
        "Microsoft Excel",
    ]
    assert practitioner["reasons"][0]["rule"] == "minor_group"
    assert roles["11-9111.00"]["title"] == "Nurse Manager"


def test_the_api_gives_a_free_user_the_roles_with_no_wage(cast, owner, owner_client, nursing_world) -> None:
    _free(cast)
    make_cv(owner, parsed=NURSE_CV)

    body = owner_client.get("/api/v1/progression/").json()

    assert body["roles"]
    assert all(role["wage"] is None for role in body["roles"])
    assert body["wages"]["available"] is False
    assert body["wages"]["locked"]["message"] == "The Free plan does not include salary range with reasons."


def test_the_api_answers_a_version_of_ones_own_cv(owner, owner_client, nursing_world) -> None:
    first = make_cv(owner, parsed=NURSE_CV)
    make_cv(owner, parsed=UNKNOWN_TITLE_CV)

    body = owner_client.get(f"/api/v1/cvs/{first.pk}/progression/").json()

    assert (body["status"], body["cv_id"], body["current"]["title_as_written"]) == ("ok", first.pk, "Registered Nurse")


def test_another_users_cv_is_a_404_and_their_latest_cv_is_never_used(
    cast, owner, member, client_a, nursing_world
) -> None:
    owners_cv = make_cv(owner, parsed=NURSE_CV)
    login(client_a, cast.member_email)

    by_id = client_a.get(f"/api/v1/cvs/{owners_cv.pk}/progression/")
    latest = client_a.get("/api/v1/progression/")

    assert by_id.status_code == 404
    assert "Nurse" not in by_id.content.decode()
    assert latest.status_code == 200
    assert latest.json()["status"] == "no_cv"
    assert latest.json()["roles"] == []
    assert "Nurse" not in latest.content.decode()
    with schema_context("alpha"):
        assert not CVDocument.objects.filter(owner=member).exists()


def test_another_tenants_user_gets_a_404_for_the_same_cv_id(cast, owner, client_b, nursing_world) -> None:
    owners_cv = make_cv(owner, parsed=NURSE_CV)
    with schema_context("beta"):
        assert not CVDocument.objects.filter(pk=owners_cv.pk).exists()
    login(client_b, cast.stranger_email)

    response = client_b.get(f"/api/v1/cvs/{owners_cv.pk}/progression/")

    assert response.status_code == 404
    assert "Nurse" not in response.content.decode()


def test_the_api_refuses_anonymous_callers(client_a, nursing_world) -> None:
    assert client_a.get("/api/v1/progression/").status_code in (401, 403)
    assert client_a.post("/api/v1/progression/", {"titles": ["Registered Nurse"]}, "application/json").status_code in (
        401,
        403,
    )


def test_the_api_reads_titles_and_skills_given_as_text(owner, owner_client, nursing_world) -> None:
    response = owner_client.post(
        "/api/v1/progression/",
        {"titles": ["Registered Nurse", "Staff Nurse"], "skills": ["Epic Systems"]},
        "application/json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["current"]["occupation_code"] == "29-1141.00"
    practitioner = next(role for role in body["roles"] if role["occupation_code"] == "29-1171.00")
    assert "Epic Systems" not in [skill["name"] for skill in practitioner["skills_added"]]
    assert "cv_id" not in body


def test_the_api_names_the_field_of_bad_input(owner, owner_client, nursing_world) -> None:
    empty = owner_client.post("/api/v1/progression/", {"titles": []}, "application/json")
    blank = owner_client.post("/api/v1/progression/", {"titles": ["<b></b>"]}, "application/json")
    too_many = owner_client.post("/api/v1/progression/", {"titles": ["Nurse"] * 21}, "application/json")

    assert empty.status_code == 400
    assert "titles" in empty.json()
    assert blank.status_code == 400
    assert "titles" in blank.json()
    assert too_many.status_code == 400
    assert "titles" in too_many.json()
