"""The members area of the portal on a 390 px phone screen in Chromium: an administrator of the German portal checks
a CSV file and sends its valid rows, looks after a person, cohorts and settings; an invitee opens their link, joins
and changes what their coach sees. No page scrolls sideways, and the browser reports no CSP violation."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from portal.invitations import token_hash
from portal.models import Cohort, Invitation, Membership
from tests.browser.conftest import fits_the_screen, organisation_rows_removed, phone_page
from tests.browser.test_csp import Violations

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"
RUN = uuid.uuid4().hex[:8]
ADMIN = f"hanna.vogt.{RUN}@gamma.example"
COACH = f"tobias.brenner.{RUN}@gamma.example"
INVITEE = f"mara.lindner.{RUN}@example.de"
CSV_PEOPLE = (f"jan.ostrowski.{RUN}@example.de", f"sakura.ito.{RUN}@example.jp")


@pytest.fixture
def programme(committed):
    """Committed rows the live server sees: an administrator, a coach, a cohort and one invitation whose token the
    test knows (this test is about the pages, not the e-mail). Removed afterwards."""
    token = f"browser-join-{RUN}"
    with organisation_rows_removed("gamma", [ADMIN, COACH, INVITEE, *CSV_PEOPLE]):
        with schema_context("gamma"):
            admin = user_create(email=ADMIN, password=PASSWORD, full_name="Hanna Vogt", role=User.Role.ADMINISTRATOR)
            coach = user_create(email=COACH, password=PASSWORD, full_name="Tobias Brenner", role=User.Role.COACH)
            # A long name, as outplacement programmes have: the bulk form's cohort list must still fit a phone.
            cohort = Cohort.objects.create(name=f"Transfergesellschaft Logistik Sommer 2026 {RUN}")
            Invitation.objects.create(
                email=INVITEE,
                full_name="Mara Lindner",
                cohort=cohort,
                coach=coach,
                token_hash=token_hash(token),
                invited_by=admin,
                expires_at=timezone.now() + timedelta(days=14),
            )
        yield {"token": token, "cohort": cohort}


def _fits(page) -> None:
    assert fits_the_screen(page), page.url


def test_an_administrator_invites_from_a_csv_file_and_an_invitee_joins_on_a_phone(live_site, browser, programme):
    site = live_site.format(host="gamma.localhost")
    with phone_page(browser, locale="de-DE") as page:
        violations = Violations(page)
        page.goto(site + "/accounts/login/")
        page.locator("#id_username").fill(ADMIN)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/portal/$"))
        _fits(page)
        for path in ("/portal/people/", "/portal/invitations/", "/portal/cohorts/", "/portal/settings/"):
            violations.visit(site + path)
            _fits(page)

        violations.visit(site + "/portal/invitations/csv/")
        csv_text = (
            "\ufeffemail;name;role;cohort;coach;language\n"
            f"{CSV_PEOPLE[0]};Jan Ostrowski;member;{programme['cohort'].name};{COACH};de\n"
            f"{CSV_PEOPLE[1]};伊藤 さくら;member;;;ja\n"
            "kein-gueltiger-eintrag;Niemand;member;;;\n"
        )
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "einladungen.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}]
        )
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector("table.portal-preview")
        _fits(page)
        assert page.locator("tr.is-ok").count() == 2
        assert page.locator("tr.is-error").count() == 1
        page.locator("form[action$='/invitations/csv/send/'] button").click()
        page.wait_for_url(re.compile(r"/portal/invitations/csv/send/$"))
        _fits(page)
        with schema_context("gamma"):
            assert set(Invitation.objects.filter(email__in=CSV_PEOPLE).values_list("email", flat=True)) == set(
                CSV_PEOPLE
            )
            person = User.objects.get(email=COACH)
        violations.visit(site + f"/portal/people/{person.pk}/")
        _fits(page)
        assert violations.seen() == []

    with phone_page(browser, locale="de-DE") as page:
        violations = Violations(page)
        violations.visit(site + f"/portal/join/{programme['token']}/")
        _fits(page)
        assert "Tobias Brenner" in page.locator("main").inner_text()
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.locator("#id_share_notes").check()
        page.locator("#id_consent").check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/app/$"))
        violations.visit(site + "/portal/sharing/")
        _fits(page)
        page.locator("#id_share_cv").uncheck()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/portal/sharing/$"))
        with schema_context("gamma"):
            membership = Membership.objects.select_related("coach").get(user__email=INVITEE)
        assert (membership.share_applications, membership.share_cv, membership.share_notes) == (True, False, True)
        assert membership.coach.email == COACH
        assert violations.console == []
        assert violations.events == []
