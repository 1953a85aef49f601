"""A job seeker's first session in a real browser: sign up, upload a CV (with its conventions and progression
panels), add a job in an industry, apply (the comparison panel), get an interview, and see the history and the
follow-up reminder it scheduled."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from tests.browser.conftest import confirm_path
from tracking.models import Application

pytestmark = pytest.mark.browser

CV_TEXT = b"""Bea Browser
bea@example.com

Experience
Data Engineer, Acme GmbH, 2019 - 2024
Built ETL pipelines in Python and SQL on Airflow.

Education
MSc Computer Science, 2018
"""


def test_it_tracks_an_application_from_cv_upload_to_an_interview_reminder(live_site, page, committed) -> None:
    email = f"browser.tracker.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    try:
        page.goto(site + "/accounts/signup/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Full name").fill("Bea Browser")
        page.get_by_label("Password", exact=True).fill("a-long-browser-passphrase")
        page.get_by_label("Password confirmation").fill("a-long-browser-passphrase")
        page.get_by_label("I have read the privacy notice").check()
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(re.compile(r"/accounts/signup/sent/$"))
        assert page.locator("h1").inner_text() == "Check your inbox"
        page.goto(live_site.format(host="alpha.localhost") + confirm_path(email))
        page.get_by_role("button", name="Confirm and log in").click()
        page.wait_for_url(re.compile(r"alpha\.localhost:\d+/app/$"))

        page.get_by_role("navigation", name="Main").get_by_role("link", name="CV").click()
        page.get_by_label("CV file").set_input_files({"name": "bea.txt", "mimeType": "text/plain", "buffer": CV_TEXT})
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(re.compile(r"/app/cv/\d+/$"))
        cv_page = page.locator("main").inner_text()
        assert "Version 1" in cv_page
        assert "We could not read this file" not in cv_page
        # Skills and titles need the reference vocabularies, which the test database does not load.
        assert "Name and contact details\nExperience\nEducation" in cv_page
        # Issue 6's panels are on the page even without reference data: the CV conventions of the workspace's region
        # and where the titles can lead (here: not enough data, since no O*NET occupations are loaded).
        assert page.locator("#conventions-h").is_visible()
        assert page.get_by_role("heading", name="Where this can lead").is_visible()

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
        page.get_by_role("link", name="Add a job").first.click()
        page.get_by_label("Job title").fill("Data Engineer")
        page.get_by_label("Company").fill("Globex")
        page.get_by_label("Description").fill("Requirements:\n- Python\n- SQL is required\n- Kafka is a plus")
        page.get_by_label("Industry").select_option(label="Technology")
        page.get_by_label("CV version sent").select_option(label="Version 1")
        page.get_by_label("How you applied").select_option("referral")
        page.get_by_role("button", name="Save and mark applied").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/$"))
        assert "Applied" in page.locator(".page-head").inner_text()
        assert "Version 1" in page.locator("main").inner_text()
        assert page.locator("#posting-industry").inner_text() == "Technology"
        assert page.get_by_role("heading", name="How you compare").is_visible()

        page.get_by_label("Move to").select_option("interviewing")
        page.get_by_role("button", name="Save the move").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/$"))
        timeline = page.locator("ol.timeline").inner_text()
        assert "Applied → Interviewing" in timeline
        assert "Round 1" in timeline

        # On the board, htmx moves the card in place: the page is not reloaded.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Board").click()
        page.evaluate("window.notReloaded = true")
        interviewing = page.locator("section.stage-interviewing")
        assert "Data Engineer" in interviewing.inner_text()
        interviewing.locator("summary", has_text="Move").click()
        page.get_by_label("Move to").select_option("interviewing")
        interviewing.get_by_role("button", name="Move").click()
        page.get_by_role("status").filter(has_text="Moved").wait_for()
        assert page.evaluate("window.notReloaded") is True
        assert "Round 2" in page.locator("section.stage-interviewing").inner_text()

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Reminders").click()
        upcoming = page.locator("section", has=page.locator("#upcoming-h")).inner_text()
        assert "Follow up after an interview" in upcoming
        assert "Data Engineer · Globex" in upcoming
    finally:
        with schema_context("alpha"):
            Application.objects.filter(owner__email=email).delete()  # postings and CVs are protected while pinned
            User.objects.filter(email=email).delete()
        # The ORM ran inside Playwright's event-loop context, which has its own connection: close it here.
        connections.close_all()
