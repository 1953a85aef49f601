"""The enterprise portal from end to end in Chromium, on the German portal at desktop width (issue 13): an
administrator invites people from a CSV file, one invitee follows the link in their e-mail, joins and applies, and
their coach sees the member's progress and the cohort's funnel, then downloads it as CSV.

Every page is checked for its language (the page's own words through the German catalogue, so a string still
untranslated reads in English until the translations land) and for CSP violations. Set BROWSER_SCREENSHOTS to a
folder to keep a screenshot of each step there.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from portal.models import Cohort, Membership, OrganisationSettings
from tests.browser.conftest import (
    BROWSER_PASSWORD,
    emails_to,
    fits_the_screen,
    organisation_rows_removed,
    sized_page,
    too_wide,
)
from tests.browser.test_csp import Violations
from tracking.models import Application, Stage
from tracking.services import application_create, application_move, posting_create

pytestmark = pytest.mark.browser

RUN = uuid.uuid4().hex[:8]
ADMIN = f"birgit.hartmann.{RUN}@gamma.example"
COACH = f"tobias.brenner.{RUN}@gamma.example"
INVITEE = f"katharina.neumann.{RUN}@example.de"
OTHER_INVITEE = f"felix.schaefer.{RUN}@example.de"
BAD_ADDRESS = f"leonie.bauer.{RUN}(at)example.de"
COHORT = f"Herbst 2026 · Datenanalyse {RUN}"
SHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")

# The cohort before the invitee joins: five members, each with an application that reached screening (so the funnel
# shows that stage: groups under five are suppressed), one of them with a second application still at applied and
# one who went on to an interview.
# (name, e-mail local part, [(title, company, stages after applied, days ago)])
COHORT_MEMBERS = (
    ("Lena Hoffmann", "lena.hoffmann", [("Controllerin (m/w/d)", "Stadtwerke Bielefeld GmbH", [Stage.SCREENING], 40)]),
    (
        "Murat Yılmaz",
        "murat.yilmaz",
        [("Junior Data Scientist", "Vogel & Partner Consulting", [Stage.SCREENING, Stage.INTERVIEWING], 35)],
    ),
    (
        "Sophie Krämer",
        "sophie.kraemer",
        [
            ("Projektmanagerin Digitalisierung", "Hansewerk Maschinenbau AG", [Stage.SCREENING], 30),
            ("Business Analyst (m/w/d)", "Nordlicht Versicherung AG", [], 12),
        ],
    ),
    ("Jonas Weber", "jonas.weber", [("BI-Entwickler (m/w/d)", "Kessler Logistik GmbH", [Stage.SCREENING], 25)]),
    ("Aylin Demir", "aylin.demir", [("Marketing Analyst", "Brandt Feinkost KG", [Stage.SCREENING], 18)]),
)


def _cohort_email(local_part: str) -> str:
    return f"{local_part}.{RUN}@example.de"


COHORT_EMAILS = [_cohort_email(local_part) for _name, local_part, _applications in COHORT_MEMBERS]


def de(message: str, **values: object) -> str:
    """``message`` as the German page shows it: the catalogue's German, or the English original until translated."""
    with translation.override("de"):
        text = gettext(message)
    return text % values if values else text


@pytest.fixture
def programme(committed, cast):
    """Committed rows the live server sees: an administrator, a coach, and a cohort of five members with their
    applications (made through the tracker's services, with their history). Removed afterwards, with everything the
    journey adds."""
    with organisation_rows_removed("gamma", [ADMIN, COACH, INVITEE, OTHER_INVITEE, *COHORT_EMAILS]):
        with schema_context("gamma"):
            user_create(
                email=ADMIN, password=BROWSER_PASSWORD, full_name="Birgit Hartmann", role=User.Role.ADMINISTRATOR
            )
            coach = user_create(
                email=COACH, password=BROWSER_PASSWORD, full_name="Tobias Brenner", role=User.Role.COACH
            )
            cohort = Cohort.objects.create(name=COHORT)
            now = timezone.now()
            for full_name, local_part, applications in COHORT_MEMBERS:
                member = user_create(email=_cohort_email(local_part), password=None, full_name=full_name)
                Membership.objects.create(user=member, coach=coach, cohort=cohort, joined_at=now - timedelta(days=60))
                for title, company, moves, days_ago in applications:
                    posting = posting_create(owner=member, title=title, company=company, location="Deutschland")
                    at = now - timedelta(days=days_ago)
                    application = application_create(owner=member, posting=posting, stage=Stage.APPLIED, at=at)
                    for step, stage in enumerate(moves, start=1):
                        application_move(
                            application=application, to_stage=stage, by=member, at=at + timedelta(days=step)
                        )
        yield {"cohort": cohort, "tenant": cast.enterprise}


def _desktop(browser):
    """One person's browser on a desktop screen, in German."""
    return sized_page(browser, 1280, 900, locale="de-DE", accept_downloads=True)


def _field(page, label: str, *, optional: bool = False):
    """The form field labelled ``label`` (German), whose label ends in "optional" when it may be left empty."""
    return page.get_by_label(f"{de(label)} {de('optional')}" if optional else de(label), exact=True)


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _checked(page, name: str, *words: str) -> None:
    """The page is in German (``lang`` and the page's own words), fits the window, and is kept as a screenshot."""
    assert page.evaluate("document.documentElement.lang") == "de", page.url
    main = page.locator("main").inner_text()
    for word in words:
        assert word in main, f"{word!r} is not on {page.url}"
    assert fits_the_screen(page), too_wide(page)
    _shot(page, name)


def _sign_in(page, violations: Violations, site: str, email: str) -> None:
    """Staff sign in through the form and land on the programme's front page."""
    violations.visit(site + "/accounts/login/")
    _checked(page, f"{email.split('.')[0]}-0-login", de("Log in"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(BROWSER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/$"))


def _no_violations(violations: Violations) -> None:
    assert not violations.seen(), "\n".join(violations.seen())


def _funnel_row(page, stage: str) -> list[str]:
    """The cells of the funnel table's row for ``stage`` (the page's label), after the group's name."""
    label = page.locator("td", has_text=re.compile(f"^{re.escape(stage)}$"))
    row = page.locator("#table-funnel tbody tr").filter(has=label)
    return [cell.strip() for cell in row.locator("td").all_inner_texts()][1:]


def _cohort_funnel(page, violations: Violations, site: str, cohort: Cohort) -> None:
    """The coach chooses the cohort on the outcomes page's filters."""
    violations.visit(site + "/portal/outcomes/")
    _field(page, "Cohort", optional=True).select_option(label=cohort.name)
    page.locator("form.outcomes-filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/outcomes/\?.*cohort={cohort.pk}"))


def _percent(value: int) -> str:
    return de("%(percent)s %%", percent=value)


def test_an_administrator_invites_a_member_who_applies_and_their_coach_follows_it(
    live_site, live_site_outbox, browser, programme
) -> None:
    site = live_site.format(host="gamma.localhost")
    cohort = programme["cohort"]
    screening, applied = de("Screening"), de("Applied")
    # The coach looks at the cohort's funnel before anyone new joins: five members reached screening.
    with _desktop(browser) as page:
        violations = Violations(page)
        _sign_in(page, violations, site, COACH)
        _cohort_funnel(page, violations, site, cohort)
        _checked(page, "coach-1-funnel-before", de("Cohort outcomes"), de("Funnel"))
        assert _funnel_row(page, de("In the programme")) == ["5", "–", "6", "–"]
        assert _funnel_row(page, applied) == ["5", _percent(100), "6", _percent(100)]
        assert _funnel_row(page, screening) == ["5", _percent(100), "5", _percent(83)]
        assert _funnel_row(page, de("Interviewing"))[0] == de("fewer than 5")  # one member: suppressed
        _no_violations(violations)

    # The administrator checks a CSV file (Excel's UTF-8 with a byte order mark, semicolons), sees the bad row's
    # reason, and sends the two good rows.
    with _desktop(browser) as page:
        violations = Violations(page)
        _sign_in(page, violations, site, ADMIN)
        _checked(page, "admin-1-portal", de("Programme"))
        violations.visit(site + "/portal/invitations/csv/")
        _checked(page, "admin-2-csv-upload", de("Invite from a CSV file"))
        csv_text = (
            "\ufeffemail;name;role;cohort;coach;language\r\n"
            f"{INVITEE};Katharina Neumann;Mitglied;{COHORT};{COACH};de\r\n"
            f"{OTHER_INVITEE};Felix Schäfer;member;{COHORT};{COACH};\r\n"
            f"{BAD_ADDRESS};Leonie Bauer;member;{COHORT};{COACH};de\r\n"
        )
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "einladungen-herbst.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}]
        )
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("table.portal-preview")
        _checked(page, "admin-3-csv-preview", de("Check before sending"))
        assert page.locator("tr.is-ok").count() == 2
        bad_row = page.locator("tr.is-error")
        assert bad_row.count() == 1
        assert de("“%(email)s” is not a valid email address.", email=BAD_ADDRESS) in bad_row.inner_text()
        page.locator("form[action$='/invitations/csv/send/'] button").click()
        page.wait_for_url(re.compile(r"/portal/invitations/csv/send/$"))
        _checked(page, "admin-4-csv-sent", de("What was sent"))
        assert page.locator("tr.is-ok").count() == 2
        _no_violations(violations)

    # The invitee opens the link in their e-mail (in German, the row's language).
    assert len(emails_to(live_site_outbox, OTHER_INVITEE)) == 1
    (invitation_email,) = emails_to(live_site_outbox, INVITEE)
    tenant = programme["tenant"]
    assert invitation_email["Subject"] == de("Your invitation to %(organisation)s on CVPlus", organisation=tenant.name)
    (link,) = re.findall(
        r"http://gamma\.localhost:\d+/portal/join/[\w-]+/", invitation_email.get_body(("plain",)).get_content()
    )
    assert link.startswith(site)
    with _desktop(browser) as page:
        violations = Violations(page)
        violations.visit(link)
        join_text = page.locator("main").inner_text()
        assert page.locator("h1").inner_text() == de("Join %(organisation)s", organisation=tenant.name)
        assert de("Your coach: %(coach)s.", coach="Tobias Brenner") in join_text
        assert de("Your cohort: %(cohort)s.", cohort=COHORT) in join_text
        with schema_context("gamma"):
            defaults = OrganisationSettings.current()  # what the page starts from
        assert page.locator("#id_share_applications").is_checked() == defaults.default_share_applications
        assert page.locator("#id_share_cv").is_checked() == defaults.default_share_cv
        assert page.locator("#id_share_notes").is_checked() == defaults.default_share_notes
        assert page.locator("#id_full_name").input_value() == "Katharina Neumann"
        _checked(page, "member-1-join", de("What your coach may see"))
        page.locator("#id_password1").fill(BROWSER_PASSWORD)
        page.locator("#id_password2").fill(BROWSER_PASSWORD)
        page.locator("#id_consent").check()
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/app/$"))
        _checked(page, "member-2-board-empty", de("Add a job"))

        # They save two postings and mark both applied: the first is the one they move on.
        for title, company, location, salary_min, salary_max in (
            ("Data Analyst (m/w/d)", "Brückner Logistik GmbH", "Leipzig", "52000", "60000"),
            ("Reporting-Spezialistin (m/w/d)", "Elbtal Energie AG", "Dresden", "48000", "55000"),
        ):
            violations.visit(site + "/app/postings/new/")
            _field(page, "Job title").fill(title)
            _field(page, "Company").fill(company)
            _field(page, "Location", optional=True).fill(location)
            _field(page, "Country code", optional=True).fill("DE")
            _field(page, "Salary from", optional=True).fill(salary_min)
            _field(page, "Salary to", optional=True).fill(salary_max)
            _field(page, "Currency", optional=True).fill("EUR")
            _field(page, "Salary period", optional=True).select_option("year")
            _field(page, "Description", optional=True).fill(
                "Ihre Aufgaben:\n- Aufbau von Dashboards in Power BI\n- Analysen mit SQL und Python\n"
                "Ihr Profil:\n- Abgeschlossenes Studium\n- Sehr gute Deutschkenntnisse"
            )
            _shot(page, f"member-3-posting-{salary_min}")
            page.get_by_role("button", name=de("Save and mark applied")).click()
            page.wait_for_url(re.compile(r"/app/applications/\d+/$"))
            _checked(page, f"member-4-application-{salary_min}", title, applied)

        violations.visit(site + "/app/")
        card = page.locator("section.stage-applied .job-card", has_text="Data Analyst (m/w/d)")
        card.locator("summary").click()
        card.get_by_label(de("Move to")).select_option(Stage.SCREENING)
        card.get_by_role("button", name=de("Move"), exact=True).click()
        moved_text = de("Moved “%(job)s” to %(stage)s.", job="Data Analyst (m/w/d)", stage=screening)
        page.get_by_role("status").filter(has_text=moved_text).wait_for()  # htmx swapped the board in place
        assert "Data Analyst (m/w/d)" in page.locator("section.stage-screening").inner_text()
        _checked(page, "member-5-board-moved", de("Add a job"), screening)
        _no_violations(violations)
    with schema_context("gamma"):
        member = User.objects.select_related("membership__coach").get(email=INVITEE)
        assert (member.role, member.membership.coach.email, member.membership.cohort_id) == (
            User.Role.MEMBER,
            COACH,
            cohort.pk,
        )
        moved = Application.objects.get(owner=member, posting__title="Data Analyst (m/w/d)")
        assert list(moved.events.values_list("to_stage", flat=True)) == [Stage.APPLIED, Stage.SCREENING]

    # The coach finds the new member on their list, with one application applied and one in screening.
    with _desktop(browser) as page:
        violations = Violations(page)
        _sign_in(page, violations, site, COACH)
        violations.visit(site + "/portal/members/")
        _checked(page, "coach-2-members", de("Members"), de("Last activity"))
        row = page.locator("table.coach-members tbody tr", has=page.get_by_role("link", name="Katharina Neumann"))
        assert row.locator(f"td[data-label='{applied}']").inner_text() == "1"
        assert row.locator(f"td[data-label='{screening}']").inner_text() == "1"
        assert row.locator(f"td[data-label='{de('Cohort')}']").inner_text() == COHORT
        last_activity = row.locator(f"td[data-label='{de('Last activity')}'] time").get_attribute("datetime")
        assert datetime.fromisoformat(last_activity) > member.membership.joined_at  # her applications, since joining

        row.get_by_role("link", name="Katharina Neumann").click()
        page.wait_for_url(re.compile(rf"/portal/members/{member.pk}/$"))
        _checked(page, "coach-3-member", "Data Analyst (m/w/d)", "Reporting-Spezialistin (m/w/d)", de("Applications"))
        page.get_by_role("link", name="Data Analyst (m/w/d)").click()
        page.wait_for_url(re.compile(rf"/portal/members/{member.pk}/applications/{moved.pk}/$"))
        _checked(page, "coach-4-application", de("Timeline"), "Brückner Logistik GmbH")
        assert f"{applied} → {screening}" in page.locator("ol.timeline").inner_text()

        # The cohort's funnel now counts her: six members applied and reached screening, with eight applications.
        _cohort_funnel(page, violations, site, cohort)
        _checked(page, "coach-5-funnel-after", de("Cohort outcomes"))
        assert _funnel_row(page, de("In the programme")) == ["6", "–", "8", "–"]
        assert _funnel_row(page, applied) == ["6", _percent(100), "8", _percent(100)]
        assert _funnel_row(page, screening) == ["6", _percent(100), "6", _percent(75)]

        download_link = page.locator("a[href*='/portal/outcomes/funnel.csv']")
        with page.expect_download() as download:
            download_link.click()
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a byte order mark
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert [de("Everyone"), screening, "6", "100.0", "6", "75.0"] in rows
        content_type = page.evaluate(
            "href => fetch(href).then(response => response.headers.get('content-type'))",
            download_link.get_attribute("href"),
        )
        assert content_type == "text/csv; charset=utf-8"
        _no_violations(violations)
