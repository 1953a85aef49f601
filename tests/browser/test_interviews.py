"""A job seeker schedules an interview in a real browser on a phone-sized screen: the form starts on the browser's
own time zone, the interview shows on the application page, in its timeline and on the board card, and the .ics
file it downloads is read by a calendar library with the right start in UTC; rescheduled, the page and a new .ics
revision follow; cancelled, it leaves the board and its calendar link goes."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time

import icalendar
import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from privacy.erasure import sessions_delete_for
from tests.browser.conftest import BROWSER_PASSWORD, fits_the_screen, log_in, phone_page, too_wide
from tracking.models import Application, Interview

pytestmark = pytest.mark.browser


@pytest.fixture
def seeker(committed):
    email = f"browser.interview.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("alpha"):
        user = user_create(email=email, password=BROWSER_PASSWORD, full_name="Ivy Interviewee")
    yield user
    with schema_context("alpha"):
        Application.objects.filter(owner=user).delete()  # postings are protected while pinned; interviews cascade
        sessions_delete_for(user)  # a session left behind would count in tests/privacy/test_retention.py
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_schedules_an_interview_shows_it_and_downloads_its_calendar_file(live_site, browser, seeker) -> None:
    site = live_site.format(host="alpha.localhost")
    day = date(datetime.now(UTC).year + 1, 1, 15)  # New York is on EST (UTC-5) in January
    with phone_page(browser, timezone_id="America/New_York", accept_downloads=True) as page:
        log_in(page, site, seeker.email)
        page.goto(site + "/app/postings/new/")
        page.get_by_label("Job title").fill("Platform Engineer")
        page.get_by_label("Company").fill("Initech")
        page.get_by_role("button", name="Save and mark applied").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/$"))

        panel = page.locator("#interviews")
        assert "No interviews scheduled yet." in panel.inner_text()
        panel.locator("summary", has_text="Schedule an interview").click()
        assert page.locator("#interview-time_zone").input_value() == "America/New_York"  # the browser's zone
        page.locator("#interview-kind").select_option("technical")
        page.locator("#interview-date").fill(day.isoformat())
        page.locator("#interview-time").fill("10:00")
        page.locator("#interview-duration_minutes").fill("60")
        page.locator("#interview-people").fill("Sam Lee (engineering lead)")
        page.locator("#interview-location").fill("https://meet.example.com/xyz")
        page.get_by_role("button", name="Schedule the interview").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/#interviews$"))
        application_url = page.url.split("#")[0]
        with schema_context("alpha"):
            prefix = f"interview-{Interview.objects.get(application__owner=seeker).pk}"
        connections.close_all()

        assert "Interview scheduled." in page.locator("ul.messages").inner_text()
        text = panel.inner_text()
        assert "Technical interview" in text
        assert f"Jan. 15, {day.year}, 10 a.m." in text
        assert "America/New_York" in text
        assert "With Sam Lee (engineering lead)" in text
        assert "Technical interview" in page.locator("ol.timeline").inner_text()
        assert fits_the_screen(page), too_wide(page)

        with page.expect_download() as download_info:
            panel.get_by_role("link", name="Add to calendar (.ics)").click()
        download = download_info.value
        assert re.fullmatch(r"interview-\d+\.ics", download.suggested_filename)
        with open(download.path(), "rb") as handle:
            (event,) = icalendar.Calendar.from_ical(handle.read()).walk("VEVENT")
        assert event.decoded("DTSTART") == datetime.combine(day, time(15, 0), tzinfo=UTC)
        assert str(event["SUMMARY"]) == "Technical interview: Platform Engineer at Initech"
        assert str(event["LOCATION"]) == "https://meet.example.com/xyz"

        page.goto(site + "/app/")
        card = page.locator("li.job-card", has_text="Platform Engineer")
        assert "Technical interview" in card.inner_text()
        assert f"Jan. 15, {day.year}, 10 a.m." in card.inner_text()

        # Rescheduled on its own page (still 390 px wide): the page, the reminder and a new .ics revision follow.
        page.goto(application_url)
        panel.get_by_role("link", name="Change or cancel").click()
        page.wait_for_url(re.compile(r"/app/interviews/\d+/$"))
        assert page.locator(f"#{prefix}-time").input_value() == "10:00"
        assert fits_the_screen(page), too_wide(page)
        page.locator(f"#{prefix}-time").fill("11:30")
        page.get_by_role("button", name="Save the interview").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/#interviews$"))
        assert f"Jan. 15, {day.year}, 11:30 a.m." in panel.inner_text()
        with page.expect_download() as download_info:
            panel.get_by_role("link", name="Add to calendar (.ics)").click()
        with open(download_info.value.path(), "rb") as handle:
            (event,) = icalendar.Calendar.from_ical(handle.read()).walk("VEVENT")
        assert event.decoded("DTSTART") == datetime.combine(day, time(16, 30), tzinfo=UTC)
        assert int(event["SEQUENCE"]) == 1

        panel.get_by_role("link", name="Change or cancel").click()
        page.get_by_role("button", name="Cancel this interview").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/#interviews$"))
        assert "cancelled" in panel.locator(f"#{prefix}").inner_text()
        assert panel.get_by_role("link", name="Add to calendar (.ics)").count() == 0
        page.goto(site + "/app/")
        assert "Technical interview" not in page.locator("li.job-card", has_text="Platform Engineer").inner_text()
