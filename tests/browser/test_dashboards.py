"""The seeker's dashboard in a real browser on a phone: a new seeker adds an application, moves it, and sees their
funnel change on the dashboard, which fits a 390 px screen."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from tests.browser.conftest import fits_the_screen, phone_page, sign_up, too_wide
from tracking.models import Application, JobPosting

pytestmark = pytest.mark.browser


def _funnel(page) -> list[list[str]]:
    rows = page.locator("#funnel-table tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_a_seeker_sees_their_funnel_change_after_a_move_on_a_phone(live_site, browser, committed) -> None:
    email = f"browser.insights.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    try:
        with phone_page(browser) as page:
            sign_up(page, site, email, "Ines Insight")
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
            page.wait_for_url(re.compile(r"/app/insights/$"))
            assert page.locator("#insights-empty").is_visible()
            assert _funnel(page)[:2] == [["Applied", "0", "–"], ["Screening", "0", "–"]]

            page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
            page.locator("summary", has_text="Quick add").click()
            page.get_by_label("Job title").fill("Data Analyst")
            page.get_by_label("Company").fill("Initech")
            page.get_by_role("button", name="Save and mark applied").click()
            page.wait_for_url(re.compile(r"/app/applications/\d+/$"))
            page.get_by_label("Move to").select_option("screening")
            page.get_by_role("button", name="Save the move").click()
            page.wait_for_url(re.compile(r"/app/applications/\d+/$"))

            page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
            page.wait_for_url(re.compile(r"/app/insights/$"))
            assert _funnel(page) == [
                ["Applied", "1", "–"],
                ["Screening", "1", "100 %"],
                ["Interviewing", "0", "0 %"],
                ["Offer", "0", "–"],
            ]
            assert page.locator("#insights-few").is_visible()
            assert page.locator("#funnel-chart-title").count() == 1
            page.locator("#predicted-interviews").wait_for()  # the comparison's fragment replaced its placeholder
            assert page.locator("#predicted-loading").count() == 0
            assert "referral" not in page.locator("#channel-table").inner_text()
            assert "job board" in page.locator("#channel-table").inner_text()
            assert fits_the_screen(page), too_wide(page)
    finally:
        with schema_context("alpha"):
            Application.objects.filter(owner__email=email).delete()
            JobPosting.objects.filter(owner__email=email).delete()
            User.objects.filter(email=email).delete()
        connections.close_all()
