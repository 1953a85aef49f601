"""Correcting what was read from a CV version on the CV page: the owner only, errors beside their field, nothing
stored on a refusal."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.conftest import login
from tests.tracking.test_views_cv import make_cv
from tracking.models import CVCorrection, CVDocument

pytestmark = pytest.mark.django_db

PARSED = {
    "sections": [{"kind": "experience", "heading": "Experience", "text": "Staff Nurse, 2019 – Present"}],
    "skills": [
        {
            "name": "Adobe Presenter",
            "key": "adobe presenter",
            "taxonomy": "onet",
            "evidence": "Staff Nurse, St Mary's Hospital (2019 – Present)",
            "matched_text": "Present",
        },
        {
            "name": "Patient care",
            "key": "patient care",
            "taxonomy": "onet",
            "evidence": "Patient care on a 28-bed ward",
            "matched_text": "Patient care",
        },
    ],
    "titles": [{"title_as_written": "Staff Nurse", "occupation_title": "Registered Nurses"}],
    "years_experience": 3,
}


def stored(cv: CVDocument) -> list[tuple]:
    with schema_context("alpha"):
        return list(
            CVCorrection.objects.filter(cv=cv).values_list(
                "skills_removed", "skills_added", "title", "years_experience"
            )
        )


def test_it_shows_the_correction_form_with_a_box_per_skill_read(owner, owner_client) -> None:
    cv = make_cv(owner, parsed=PARSED)

    page = owner_client.get(f"/app/cv/{cv.pk}/").content.decode()

    assert "Correct what we read" in page
    assert f'action="/app/cv/{cv.pk}/corrections/"' in page
    assert page.count('name="skills_removed"') == 2
    assert 'value="adobe presenter"' in page


def test_it_names_each_skill_to_remove_as_the_page_shows_it(owner, owner_client) -> None:
    fmea = {
        "name": "Failure mode and effects analysis FMEA software",
        "label": "Failure mode and effects analysis FMEA",  # as an older reader labelled it
        "key": "failure mode and effects analysis fmea software",
        "taxonomy": "onet",
        "evidence": "- Led FMEA workshops",
        "matched_text": "FMEA",
    }
    cv = make_cv(owner, parsed={**PARSED, "skills": [*PARSED["skills"], fmea]})

    page = owner_client.get(f"/app/cv/{cv.pk}/").content.decode()

    assert "<strong>FMEA</strong>" in page
    box = page.split('value="failure mode and effects analysis fmea software" id="id_skills_removed_2"', 1)[1]
    assert box.split("</label>", 1)[0].lstrip(">").strip() == "<span>FMEA</span>"
    assert "Failure mode and effects analysis FMEA" not in page


def test_the_owner_removes_a_wrong_skill_adds_missing_ones_and_fixes_title_and_years(owner, owner_client) -> None:
    cv = make_cv(owner, parsed=PARSED)

    response = owner_client.post(
        f"/app/cv/{cv.pk}/corrections/",
        {
            "skills_removed": ["adobe presenter"],
            "skills_added": "IV therapy\nwound care, BLS",
            "title": "Registered Nurse",
            "years_experience": "7",
        },
        follow=True,
    )

    assert response.redirect_chain == [(f"/app/cv/{cv.pk}/", 302)]
    assert stored(cv) == [(["adobe presenter"], ["IV therapy", "wound care", "BLS"], "Registered Nurse", 7)]
    page = response.content.decode()
    assert "Corrections saved. Your match scores and predictions now use them." in page
    skills_found = page.split("Skills found", 1)[1].split("Job titles found", 1)[0]
    assert "Adobe Presenter" not in skills_found
    assert skills_found.count("added by you") == 3
    assert "IV therapy" in skills_found
    assert "corrected by you" in page
    assert "7 years, as you corrected it." in page
    # The removed skill is still offered, ticked, so it can be restored.
    assert 'value="adobe presenter" id="id_skills_removed_0" checked' in page


def test_the_owner_restores_a_removed_skill_by_unticking_it(owner, owner_client) -> None:
    cv = make_cv(owner, parsed=PARSED)
    owner_client.post(f"/app/cv/{cv.pk}/corrections/", {"skills_removed": ["adobe presenter"], "years_experience": "7"})

    owner_client.post(f"/app/cv/{cv.pk}/corrections/", {"years_experience": "7"})

    assert stored(cv) == [([], [], "", 7)]
    skills_found = owner_client.get(f"/app/cv/{cv.pk}/").content.decode().split("Skills found", 1)[1]
    assert "Adobe Presenter" in skills_found.split("Job titles found", 1)[0]


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"years_experience": "75"}, "id_years_experience", "Enter between 0 and 60 years."),
        ({"skills_added": "x" * 81}, "id_skills_added", "is longer than 80 characters."),
        ({"title": "T" * 121}, "id_title", "Keep the job title to 120 characters."),
        ({"skills_removed": ["kubernetes"]}, "id_skills_removed", "Select a valid choice."),
    ],
)
def test_it_answers_invalid_input_with_400_the_error_beside_its_field_and_stores_nothing(
    owner, owner_client, data, field_id, message
) -> None:
    cv = make_cv(owner, parsed=PARSED)
    owner_client.post(f"/app/cv/{cv.pk}/corrections/", {"skills_added": "BLS"})

    response = owner_client.post(f"/app/cv/{cv.pk}/corrections/", {"skills_added": "ACLS", **data})

    assert response.status_code == 400
    page = response.content.decode()
    field_html = page.split(f'id="{field_id}', 1)[1].split('class="error"', 1)[1].split("</p>", 1)[0]
    assert message in field_html
    assert '<details class="cv-correct" id="correct" open>' in page
    assert stored(cv) == [([], ["BLS"], "", None)]


def test_it_returns_404_for_another_users_version_and_stores_nothing(cast, owner, client_a) -> None:
    cv = make_cv(owner, parsed=PARSED)
    login(client_a, cast.member_email)

    response = client_a.post(f"/app/cv/{cv.pk}/corrections/", {"years_experience": "1"})

    assert response.status_code == 404
    assert "Adobe Presenter" not in response.content.decode()
    assert stored(cv) == []


def test_it_offers_no_correction_for_an_unreadable_version_and_refuses_one(owner, owner_client) -> None:
    cv = make_cv(owner, status=CVDocument.Status.UNREADABLE, parsed={}, reason="Scanned image.")

    assert "Correct what we read" not in owner_client.get(f"/app/cv/{cv.pk}/").content.decode()
    response = owner_client.post(f"/app/cv/{cv.pk}/corrections/", {"years_experience": "4"})

    assert response.status_code == 400
    assert "This version has not been read, so there is nothing to correct yet." in response.content.decode()
    assert stored(cv) == []
