"""A CV's conventions for the country the seeker applies to: the API (/api/v1/cvs/{id}/conventions/ and the latest
version's at /api/v1/cvs/conventions/) and the panel on the CV page."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.market.cv_samples import DE_CV, US_CV, cv_rules_load
from tests.tracking.factories import CVDocumentFactory
from tracking.cv.sections import cv_sections_split
from tracking.models import CandidateProfile, CVDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(db) -> None:
    cv_rules_load()


def make_cv(owner: User, text: str, **fields) -> CVDocument:
    with schema_context("alpha"):
        return CVDocumentFactory(owner=owner, text=text, parsed={"sections": cv_sections_split(text)}, **fields)


def set_profile_country(user: User, country: str) -> None:
    with schema_context("alpha"):
        CandidateProfile.objects.update_or_create(user=user, defaults={"country": country})


def codes(results: list[dict], status: str) -> set[str]:
    return {result["code"] for result in results if result["status"] == status}


# ---------------------------------------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------------------------------------
def test_it_checks_a_cv_version_against_the_country_asked_for(owner, owner_client) -> None:
    cv = make_cv(owner, US_CV)

    response = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=us")

    assert response.status_code == 200
    body = response.json()
    assert (body["cv"], body["cv_version"], body["country"], body["country_name"]) == (
        cv.pk,
        cv.version,
        "US",
        "United States",
    )
    assert (body["region"], body["scope"], body["checked"], body["paper_size"]) == ("NA", "country", True, "Letter")
    assert body["formats"]["date_short"] == "12/31/2026"
    assert body["formats"]["currency_code"] == "USD"
    assert {"date-of-birth", "marital-status", "references"} <= codes(body["results"], "finding")
    first = body["results"][0]
    assert (first["code"], first["severity"], first["status"]) == ("date-of-birth", "must", "finding")
    assert first["evidence"] == "Date of birth: 04/17/1988"
    assert first["message"].startswith("In the US, remove your date of birth and age")
    assert "photo" in codes(body["results"], "advice")


def test_the_same_cv_for_germany_gets_no_remove_findings(owner, owner_client) -> None:
    cv = make_cv(owner, US_CV)
    body = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=DE").json()
    assert body["country_name"] == "Germany"
    assert not {"date-of-birth", "marital-status"} & codes(body["results"], "finding")
    assert {"photo", "lebenslauf"} <= codes(body["results"], "advice")
    assert body["formats"]["number"] == "1.234.567,89"


def test_it_answers_in_the_users_language(owner, owner_client) -> None:
    cv = make_cv(owner, US_CV)
    body = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=DE", HTTP_ACCEPT_LANGUAGE="de").json()
    assert body["country_name"] == "Deutschland"
    assert body["region_name"] == "Europa"


def test_without_a_country_it_uses_the_profiles_then_the_workspaces_region(owner, owner_client) -> None:
    cv = make_cv(owner, DE_CV)

    body = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/").json()
    assert (body["country"], body["region"], body["scope"]) == ("", "NA", "region")  # tenant alpha is NA

    set_profile_country(owner, "DE")
    body = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/").json()
    assert (body["country"], body["scope"]) == ("DE", "country")
    assert codes(body["results"], "finding") == set()


def test_the_latest_version_is_checked_and_without_a_cv_the_advice_alone(cast, client_a, owner) -> None:
    login(client_a, cast.member_email)
    body = client_a.get("/api/v1/cvs/conventions/?country=JP").json()
    assert (body["cv"], body["checked"], body["scope"]) == (None, False, "country")
    assert {result["status"] for result in body["results"]} == {"advice"}

    with schema_context("alpha"):
        member = User.objects.get(email=cast.member_email)
    make_cv(member, DE_CV)
    latest = make_cv(member, US_CV)
    body = client_a.get("/api/v1/cvs/conventions/?country=US").json()
    assert (body["cv"], body["checked"]) == (latest.pk, True)
    assert "date-of-birth" in codes(body["results"], "finding")


@pytest.mark.parametrize(
    ("country", "message"),
    [("ZZ", "ZZ is not a country we know."), ("USA", "Enter a two-letter country code, such as US or DE.")],
)
def test_it_refuses_an_unknown_country_naming_the_field(owner, owner_client, country, message) -> None:
    cv = make_cv(owner, US_CV)
    response = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country={country}")
    assert response.status_code == 400
    assert response.json() == {"country": [message]}


def test_it_returns_404_for_another_users_cv(cast, client_a, owner) -> None:
    cv = make_cv(owner, "Zebracorn " + US_CV)
    login(client_a, cast.member_email)
    response = client_a.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=US")
    assert response.status_code == 404
    assert "Zebracorn" not in response.content.decode()
    assert "04/17/1988" not in response.content.decode()


def test_it_returns_404_for_another_tenants_cv(cast, client_b, owner) -> None:
    cv = make_cv(owner, "Zebracorn " + US_CV)
    login(client_b, cast.stranger_email)
    response = client_b.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=US")
    assert response.status_code == 404
    assert "Zebracorn" not in response.content.decode()


def test_the_latest_endpoint_never_checks_another_users_cv(cast, client_a, owner) -> None:
    make_cv(owner, US_CV)
    login(client_a, cast.member_email)
    body = client_a.get("/api/v1/cvs/conventions/?country=US").json()
    assert (body["cv"], body["checked"]) == (None, False)
    assert "04/17/1988" not in str(body)


# ---------------------------------------------------------------------------------------------------------------------
# The CV page
# ---------------------------------------------------------------------------------------------------------------------
def test_the_cv_page_shows_the_conventions_panel_for_the_country_picked(owner, owner_client) -> None:
    make_cv(owner, US_CV)

    page = owner_client.get("/app/cv/?country=US").content.decode()

    assert "Conventions for United States" in page
    assert "What to change" in page
    assert "In the US, remove your date of birth and age" in page
    assert "Date of birth: 04/17/1988" in page
    assert '<option value="US" selected>United States</option>' in page
    assert "Letter" in page
    assert "12/31/2026" in page


def test_the_cv_page_defaults_to_the_profile_country(owner, owner_client) -> None:
    cv = make_cv(owner, DE_CV)
    set_profile_country(owner, "DE")

    page = owner_client.get(f"/app/cv/{cv.pk}/").content.decode()

    assert "Conventions for Germany" in page
    assert "In Germany, a professional photo is traditional on a Lebenslauf" in page
    assert "Your CV follows the conventions we can check in its text." in page


def test_the_cv_page_names_a_bad_country_and_falls_back_to_the_default(owner, owner_client) -> None:
    make_cv(owner, DE_CV)
    page = owner_client.get("/app/cv/?country=ZZ").content.decode()
    assert "ZZ is not a country we know." in page
    assert "Conventions for North America" in page


def test_the_cv_page_without_a_cv_shows_the_advice(owner, owner_client) -> None:
    page = owner_client.get("/app/cv/?country=JP").content.decode()
    assert "Conventions for Japan" in page
    assert "Add your CV to have it checked against these conventions." in page
    assert "In Japan, employers usually expect a photo on the rirekisho" in page


def test_the_cv_page_uses_another_regions_default_for_a_country_without_rules(owner, owner_client) -> None:
    make_cv(owner, DE_CV)
    page = owner_client.get("/app/cv/?country=IT").content.decode()
    assert "Conventions for Italy" in page
    assert "We have no rules of their own for Italy yet: these are the general conventions for Europe." in page


def test_it_checks_a_cv_in_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries) -> None:
    cv = make_cv(owner, US_CV)
    owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=US")  # the session is warm
    # schema, user (the session comes from the cache), the CV, the country (with region and currency), its rules
    with django_assert_num_queries(5):
        response = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=US")
    assert response.status_code == 200


def _pdf_bytes(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdfs_own_page_count_decides_its_length(owner, owner_client) -> None:
    from django.core.files.base import ContentFile

    with schema_context("alpha"):
        cv = CVDocumentFactory.build(
            owner=owner,
            text=US_CV,
            parsed={"sections": cv_sections_split(US_CV)},
            source=CVDocument.Source.UPLOAD,
            content_type="application/pdf",
        )
        cv.file.save("ignored", ContentFile(_pdf_bytes(3)), save=False)
        cv.save()

    body = owner_client.get(f"/api/v1/cvs/{cv.pk}/conventions/?country=US").json()

    length = next(result for result in body["results"] if result["code"] == "length")
    assert (length["status"], length["detail"]) == ("finding", "Your CV has 3 pages.")


def test_an_unreadable_pdf_file_falls_back_to_the_estimate_from_the_text(owner) -> None:
    from django.core.files.base import ContentFile

    from tracking.cv.conventions import cv_page_count

    with schema_context("alpha"):
        cv = CVDocumentFactory.build(
            owner=owner, text=US_CV, source=CVDocument.Source.UPLOAD, content_type="application/pdf"
        )
        cv.file.save("ignored", ContentFile(b"%PDF-1.7 not really"), save=False)
        cv.save()
        assert cv_page_count(cv) is None
