"""A seeker on a 390 px phone corrects what was read from their CV: removes a skill read from a date ("2019 –
Present" read as Adobe Presenter), adds the ones the reader missed, and sees the page say so; nothing scrolls
sideways and no JavaScript is needed for it. Set BROWSER_SCREENSHOTS to a folder to keep screenshots there."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from tests.browser.conftest import BROWSER_PASSWORD, fits_the_screen, log_in, phone_page, too_wide
from tests.tracking.factories import CVDocumentFactory
from tests.tracking.test_views_cv_corrections import PARSED
from tracking.models import CVCorrection, CVDocument

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")


def _shot(page, name: str, *, at: str) -> None:
    """The window scrolled to ``at`` (a selector). Not a full-page shot: in Chromium, clicks after one can miss."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(at).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def nurse(committed):
    with schema_context("alpha"):
        seeker = user_create(
            email=f"nora.{uuid.uuid4().hex[:8]}@alpha.example", password=BROWSER_PASSWORD, full_name="Nora Quinn"
        )
        cv = CVDocumentFactory(
            owner=seeker, text="Nora Quinn\nStaff Nurse, St Mary's Hospital (2019 – Present)", parsed=PARSED
        )
    yield {"seeker": seeker, "cv": cv}
    with schema_context("alpha"):
        CVDocument.objects.filter(owner=seeker).delete()
        User.objects.filter(pk=seeker.pk).delete()
    connections.close_all()


def test_a_seeker_removes_a_wrong_skill_and_adds_missing_ones_on_a_phone(live_site, browser, nurse) -> None:
    site = live_site.format(host="alpha.localhost")
    with phone_page(browser, java_script_enabled=False) as page:  # the form needs no script
        log_in(page, site, nurse["seeker"].email)
        page.goto(site + "/app/cv/")
        skills = page.locator(".skill-list")
        assert "Adobe Presenter" in skills.inner_text()

        page.get_by_text("Correct what we read").click()
        page.get_by_label("Adobe Presenter").check()
        page.get_by_label("Skills we missed optional").fill("IV therapy, wound care\nBLS")
        page.get_by_label("Years of experience optional").fill("7")
        assert fits_the_screen(page), too_wide(page)
        _shot(page, "cv-correct-form-390", at="#correct summary")
        with page.expect_navigation():
            page.get_by_role("button", name="Save corrections").click()
        assert page.url.endswith(f"/app/cv/{nurse['cv'].pk}/")

        assert "Corrections saved." in page.content()
        listed = skills.inner_text()
        assert "Adobe Presenter" not in listed
        for added in ("IV therapy", "wound care", "BLS"):
            assert added in listed
        assert listed.count("added by you") == 3
        assert "7 years, as you corrected it." in page.locator("main").inner_text()
        assert fits_the_screen(page), too_wide(page)
        _shot(page, "cv-corrected-390", at=".skill-list")

        page.get_by_text("Correct what we read").click()
        assert page.get_by_label("Adobe Presenter").is_checked()  # still offered, to be restored
        page.get_by_label("Adobe Presenter").uncheck()
        with page.expect_navigation():
            page.get_by_role("button", name="Save corrections").click()
        assert "Adobe Presenter" in skills.inner_text()

    with schema_context("alpha"):
        correction = CVCorrection.objects.get(cv=nurse["cv"])
        assert (correction.skills_removed, correction.skills_added, correction.years_experience) == (
            [],
            ["IV therapy", "wound care", "BLS"],
            7,
        )
