"""Correcting mistakes on the board in a real browser: drag a card to another column (and a refused drop explained),
the same move without JavaScript through the card's form, the posting and application edit forms, and a delete
undone from the board. The Content-Security-Policy reports no violation while the drag script runs."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.browser.conftest import fits_the_screen, log_in, phone_page, sign_up, too_wide
from tests.browser.test_csp import Violations
from tracking.models import Application, JobPosting, Stage
from tracking.services import application_create, posting_create

pytestmark = pytest.mark.browser


def _add(email: str, title: str, stage: str) -> int:
    with schema_context("alpha"):
        owner = User.objects.get(email=email)
        posting = posting_create(owner=owner, title=title, company="Globex", location="Dallas")
        return application_create(owner=owner, posting=posting, stage=stage, at=timezone.now()).pk


def _stage(pk: int) -> str:
    with schema_context("alpha"):
        return Application.all_objects.get(pk=pk).stage


def _cleanup(email: str) -> None:
    with schema_context("alpha"):
        Application.all_objects.filter(owner__email=email).delete()
        JobPosting.all_objects.filter(owner__email=email).delete()
        User.objects.filter(email=email).delete()
    connections.close_all()


def test_it_moves_a_card_by_drag_and_drop_and_explains_a_refused_drop(live_site, page, committed) -> None:
    email = f"browser.drag.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    violations = Violations(page)
    try:
        sign_up(page, site, email, "Dana Drag")
        applied = _add(email, "Truck Driver", Stage.APPLIED)
        saved = _add(email, "Dispatcher", Stage.SAVED)
        violations.visit(site + "/app/")
        page.evaluate("window.notReloaded = true")

        # A saved job cannot skip to screening (it was never applied for): nothing is sent, and the status says why.
        page.locator(f"#card-{saved}").drag_to(page.locator("section.column[data-stage=screening]"))

        page.get_by_role("status").filter(has_text="That move is not possible from this stage.").wait_for()
        assert _stage(saved) == Stage.SAVED
        assert "Dispatcher" in page.locator("section.column[data-stage=saved]").inner_text()

        page.locator(f"#card-{applied}").drag_to(page.locator("section.column[data-stage=screening]"))

        page.get_by_role("status").filter(has_text="Moved “Truck Driver” to Screening.").wait_for()
        assert "Truck Driver" in page.locator("section.column[data-stage=screening]").inner_text()
        assert page.evaluate("window.notReloaded") is True  # htmx swapped the board in place
        assert _stage(applied) == Stage.SCREENING
        assert violations.seen() == []
    finally:
        _cleanup(email)


def test_it_moves_a_card_without_javascript_through_its_form(live_site, browser, page, committed) -> None:
    email = f"browser.nojs.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    try:
        sign_up(page, site, email, "Nico Script")
        applied = _add(email, "Truck Driver", Stage.APPLIED)
        context = browser.new_context(locale="en-US", java_script_enabled=False)
        try:
            plain = context.new_page()
            plain.set_default_timeout(15_000)
            log_in(plain, site, email)
            card = plain.locator(f"#card-{applied}")
            card.locator("summary", has_text="Move").click()
            card.get_by_label("Move to").select_option("interviewing")
            card.get_by_role("button", name="Move").click()
            plain.wait_for_url(re.compile(r"/app/$"))

            assert "Moved “Truck Driver” to Interviewing." in plain.locator(".messages").inner_text()
            assert "Truck Driver" in plain.locator("section.column[data-stage=interviewing]").inner_text()
            assert _stage(applied) == Stage.INTERVIEWING
        finally:
            context.close()
    finally:
        _cleanup(email)


def test_it_corrects_a_posting_and_an_application_and_undoes_a_delete(live_site, page, committed) -> None:
    email = f"browser.edit.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    violations = Violations(page)
    try:
        sign_up(page, site, email, "Eddie Edit")
        applied = _add(email, "Truck Driver", Stage.APPLIED)
        violations.visit(site + f"/app/applications/{applied}/")

        page.get_by_role("link", name="Edit the posting").click()
        page.get_by_label("Salary from").fill("1400")
        page.get_by_label("Salary to").fill("1100")
        page.get_by_label("Currency").fill("USD")
        page.get_by_label("Salary period").select_option("week")
        page.get_by_role("button", name="Save the changes").click()
        # Refused with the field named; nothing saved.
        assert "The upper salary must not be below the lower one." in page.locator("main").inner_text()
        page.get_by_label("Salary to").fill("1600")
        page.get_by_role("button", name="Save the changes").click()
        page.wait_for_url(re.compile(rf"/app/applications/{applied}/$"))
        assert " ".join(page.locator("#posting-salary").inner_text().split()) == "1,400–1,600 USD per week"

        page.get_by_role("link", name="Edit how you applied").click()
        page.get_by_label("How you applied").select_option("referral")
        page.get_by_role("button", name="Save the changes").click()
        page.wait_for_url(re.compile(rf"/app/applications/{applied}/$"))
        assert "Referral" in page.locator("main").inner_text()

        page.get_by_role("link", name="Delete this application").click()
        assert page.get_by_role("heading", name=re.compile("Delete your application for “Truck Driver”")).is_visible()
        page.get_by_role("button", name="Delete").click()
        page.wait_for_url(re.compile(r"/app/$"))
        assert "You can undo this on your board for 10 minutes." in page.locator(".messages").inner_text()
        assert "Truck Driver" not in page.locator("#board").inner_text()

        page.get_by_role("region", name="Recently deleted").get_by_role("button", name="Undo").click()
        page.wait_for_url(re.compile(rf"/app/applications/{applied}/$"))
        assert "Restored your application for “Truck Driver”." in page.locator(".messages").inner_text()
        assert violations.seen() == []
    finally:
        _cleanup(email)


def test_it_fits_the_edit_and_delete_pages_on_a_phone(live_site, browser, committed) -> None:
    email = f"browser.phone.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    try:
        with phone_page(browser) as phone:
            sign_up(phone, site, email, "Pia Phone")
            applied = _add(email, "Long-haul Truck Driver for Interstate Freight", Stage.APPLIED)
            with schema_context("alpha"):
                posting_id = Application.objects.get(pk=applied).posting_id
            for path in (
                f"/app/applications/{applied}/",
                f"/app/postings/{posting_id}/edit/",
                f"/app/applications/{applied}/edit/",
                f"/app/applications/{applied}/delete/",
            ):
                phone.goto(site + path)
                assert fits_the_screen(phone), (path, too_wide(phone))
            phone.get_by_role("button", name="Delete").click()
            phone.wait_for_url(re.compile(r"/app/$"))
            assert phone.get_by_role("region", name="Recently deleted").is_visible()
            assert fits_the_screen(phone), too_wide(phone)
    finally:
        _cleanup(email)
