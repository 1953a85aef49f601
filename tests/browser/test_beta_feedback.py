"""The beta programme in Chromium on a 390 px phone: a seeker joins the beta on the account page (a wrong code is
named first), and a seeker who has used CVPlus for ten days is asked the NPS
question on the board and dismisses it, rates the board with a comment through "Rate this page", finds the control on
the CV and insights pages and their feedback in their own list; staff open the beta programme page from the admin
index, read the comment and the rating against the 4.5 target, triage it and reply, and the reply reaches the seeker's
inbox. No page scrolls sideways and the Content-Security-Policy blocks nothing. Rows are committed for the live
server and removed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create, user_ensure
from analytics.beta import beta_people_forget
from analytics.models import BetaInvitation, Feedback, NpsResponse
from privacy.erasure import sessions_delete_for
from tenants.models import Client
from tests.browser.conftest import emails_to, fits_the_screen, log_in, phone_page, too_wide
from tests.browser.test_csp import Violations
from tests.browser.test_enterprise_billing import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-passphrase"
STAFF_EMAIL = "beta.staff@cvplus.example"
COMMENT = (
    "Moving a card to Interviewing is quick, but on my phone I have to scroll sideways to find the Offer column. "
    "Could the closed stages fold away?"
)
REPLY = "Thank you, Priya: folding the closed stages is planned for the next release."


@pytest.fixture
def seeker(committed) -> Iterator[User]:
    email = f"priya.raman.{uuid.uuid4().hex[:8]}@example.com"
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Priya Raman")
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=10))
    yield user
    connection.set_schema_to_public()
    beta_people_forget(tenant=Client.objects.get(schema_name="alpha"), user_id=user.pk)
    with schema_context("alpha"):
        sessions_delete_for(user)
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()


@pytest.fixture
def invitation(committed) -> Iterator[BetaInvitation]:
    connection.set_schema_to_public()
    code = BetaInvitation.objects.create(code="CAREER-FAIR-LYON-2026", max_uses=40, note="Lyon career fair, stand 12")
    yield code
    connection.set_schema_to_public()
    BetaInvitation.objects.filter(pk=code.pk).delete()


@pytest.fixture
def staff_user(committed) -> Iterator[str]:
    connection.set_schema_to_public()
    user_ensure(email=STAFF_EMAIL, password=PASSWORD, full_name="Ines Moreau", is_staff=True)
    User.objects.filter(email=STAFF_EMAIL).update(is_superuser=True)  # every admin permission, the reply included
    yield STAFF_EMAIL
    connection.set_schema_to_public()
    with connection.cursor() as cursor:  # the ORM's cascade would look for tenant tables in public
        staff = "SELECT id FROM accounts_user WHERE email = %s"
        cursor.execute(f"DELETE FROM django_admin_log WHERE user_id IN ({staff})", [STAFF_EMAIL])  # noqa: S608
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [STAFF_EMAIL])
    connections.close_all()


def test_a_seeker_joins_the_beta_on_the_account_page_at_390_px(live_site, browser, seeker, invitation) -> None:
    site = live_site.format(host="alpha.localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        log_in(page, site, seeker.email, PASSWORD)
        violations.visit(site + "/accounts/")
        section = page.locator("#beta-programme")
        section.get_by_label("Beta invitation code").fill("CAREER-FAIR-PARIS")
        section.get_by_role("button", name="Join the beta").click()
        assert "No invitation has this code: check it and try again." in page.locator("#beta-programme").inner_text()
        assert fits_the_screen(page), too_wide(page)

        page.locator("#beta-programme").get_by_label("Beta invitation code").fill("career-fair-lyon-2026")
        page.locator("#beta-programme").get_by_role("button", name="Join the beta").click()
        page.wait_for_url(re.compile(r"/accounts/$"))
        assert "Welcome to the CVPlus beta programme." in page.locator(".messages").inner_text()
        assert "You are in the beta programme since" in page.locator("#beta-programme").inner_text()
        assert fits_the_screen(page), too_wide(page)
        assert violations.console == []
        assert violations.events == []
    invitation.refresh_from_db()
    assert invitation.uses == 1


def test_a_seeker_rates_the_board_and_staff_triage_and_reply(
    live_site, browser, seeker, staff_user, live_site_outbox
) -> None:
    site = live_site.format(host="alpha.localhost")
    public = live_site.format(host="localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        log_in(page, site, seeker.email, PASSWORD)

        nps = page.locator("#nps")
        assert "How likely are you to recommend CVPlus" in nps.inner_text()
        assert fits_the_screen(page), too_wide(page)
        nps.get_by_role("button", name="Not now").click()
        page.wait_for_url(re.compile(r"/app/$"))
        assert page.locator("#nps").count() == 0
        connection.set_schema_to_public()
        assert list(NpsResponse.objects.filter(user_id=seeker.pk).values_list("score", flat=True)) == [None]

        control = page.locator("#feedback")
        control.locator("summary").click()
        control.get_by_label("4 out of 5").check()
        control.get_by_label("What is it about?").select_option("board")
        control.get_by_label("Comment").fill(COMMENT)
        assert fits_the_screen(page), too_wide(page)
        control.get_by_role("button", name="Send feedback").click()
        page.wait_for_url(re.compile(r"/app/$"))
        assert "Thank you: your feedback was sent to the CVPlus team." in page.locator(".messages").inner_text()
        feedback = Feedback.objects.get(user_id=seeker.pk)
        assert (feedback.page, feedback.feature, feedback.rating, feedback.comment) == ("board", "board", 4, COMMENT)

        for path in ("/app/cv/", "/app/insights/"):
            violations.visit(site + path)
            assert page.locator("#feedback summary").inner_text() == "Rate this page"
            assert fits_the_screen(page), (path, too_wide(page))

        page.locator("#feedback summary").click()
        page.get_by_role("link", name="Your feedback and our replies").click()
        page.wait_for_url(re.compile(r"/app/insights/feedback/mine/$"))
        assert COMMENT in page.locator(".feedback-list").inner_text()
        assert fits_the_screen(page), too_wide(page)
        assert violations.console == []
        assert violations.events == []

    with phone_page(browser) as page:
        violations = Violations(page)
        sign_in(page, public + "/admin/login/?next=/admin/", staff_user)
        page.get_by_role("link", name="Beta programme").click()
        page.wait_for_url("**/admin/analytics/feedback/programme/")
        rating = page.locator("#beta-rating").inner_text()
        assert "Target: above 4.5" in rating
        assert "Below the target." in rating or "Above the target." in rating
        assert COMMENT in page.locator("#beta-comments").inner_text()
        assert page.locator("#beta-weekly").get_by_role("row", name=re.compile("The board")).count() == 1
        assert fits_the_screen(page), too_wide(page)

        page.locator("#beta-comments").get_by_role("link", name="The board · 4/5").first.click()
        page.get_by_label("Status").select_option("planned")
        page.get_by_label("Tags").fill("mobile,board")
        page.get_by_label("Reply by e-mail").fill(REPLY)
        page.get_by_role("button", name="Save", exact=True).click()
        assert "The reply was e-mailed and recorded." in page.locator(".messagelist").inner_text()
        assert violations.console == []
        assert violations.events == []

    feedback.refresh_from_db()
    assert (feedback.status, feedback.tags, feedback.reply, feedback.replied_by) == (
        "planned",
        ["mobile", "board"],
        REPLY,
        STAFF_EMAIL,
    )
    (mail,) = emails_to(live_site_outbox, seeker.email)
    assert mail["Subject"] == "A reply to your feedback on The board"
    body = mail.get_content()
    assert REPLY in body
    assert "Could the closed stages fold away?" in body
