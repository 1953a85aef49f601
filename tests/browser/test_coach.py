"""A coach on the German portal, on a phone-sized screen, goes through their member list and one member's page, sets
a task and keeps a note; nothing scrolls sideways."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from portal.models import CoachNote, CoachTask, Membership
from tests.browser.conftest import BROWSER_PASSWORD, fits_the_screen, phone_page, too_wide
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(committed):
    tag = uuid.uuid4().hex[:8]
    with schema_context("gamma"):
        coach = user_create(
            email=f"carla.{tag}@gamma.example", password=BROWSER_PASSWORD, full_name="Carla Moreau", role="coach"
        )
        member = user_create(email=f"morgan.{tag}@gamma.example", password=BROWSER_PASSWORD, full_name="Morgan Reyes")
        Membership.objects.create(user=member, coach=coach, share_notes=False)
        now = timezone.now()
        for title, stage, days in (
            ("Datenanalystin", Stage.APPLIED, 20),
            ("Senior Data Engineer", Stage.INTERVIEWING, 4),
            ("Analytics Engineer", Stage.OFFER, 9),
        ):
            ApplicationFactory(
                owner=member, posting__title=title, stage=stage, stage_changed_at=now - timedelta(days=days)
            )
    yield {"coach": coach, "member": member}
    with schema_context("gamma"):
        CoachNote.objects.filter(member=member).delete()
        CoachTask.objects.filter(member=member).delete()
        Application.objects.filter(owner=member).delete()
        User.objects.filter(pk__in=[coach.pk, member.pk]).delete()
    connections.close_all()


def test_a_coach_follows_a_member_on_a_phone(live_site, browser, programme) -> None:
    site = live_site.format(host="gamma.localhost")
    member = programme["member"]
    with phone_page(browser) as page:
        page.goto(site + "/accounts/login/")
        page.locator("#id_username").fill(programme["coach"].email)
        page.locator("#id_password").fill(BROWSER_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

        page.goto(site + "/portal/members/")
        assert page.get_by_role("link", name="Morgan Reyes").is_visible()
        assert fits_the_screen(page), too_wide(page)

        page.get_by_role("link", name="Morgan Reyes").click()
        page.wait_for_url(re.compile(rf"/portal/members/{member.pk}/$"))
        assert "Senior Data Engineer" in page.content()
        assert fits_the_screen(page), too_wide(page)

        page.locator("#tasks input[name=title]").fill("Zwei Bewerbungen abschicken")
        page.locator("#tasks button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"#tasks$"))
        page.locator("#coach-notes textarea[name=body]").fill("Nervös wegen der Gehaltsverhandlung")
        page.locator("#coach-notes button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"#coach-notes$"))
        assert "Nervös wegen der Gehaltsverhandlung" in page.content()
        assert fits_the_screen(page), too_wide(page)

        page.get_by_role("link", name="Senior Data Engineer").click()
        page.wait_for_url(re.compile(rf"/portal/members/{member.pk}/applications/\d+/$"))
        assert fits_the_screen(page), too_wide(page)

    with schema_context("gamma"):
        assert CoachTask.objects.get(member=member).title == "Zwei Bewerbungen abschicken"
