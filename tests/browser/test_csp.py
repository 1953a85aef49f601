"""The Content-Security-Policy in a real browser: every main page sends one without 'unsafe-inline' scripts, and
Chromium reports no violation of it while the page loads and is used (language switcher, htmx, Swagger UI, admin)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from tests.browser.conftest import sign_up
from tracking.models import Application

pytestmark = pytest.mark.browser

STAFF_EMAIL = "csp.staff@cvplus.example"
STAFF_PASSWORD = "a-long-staff-passphrase"
CV_TEXT = b"Cleo Policy\ncleo@example.com\n\nExperience\nData Engineer, Acme GmbH, 2019 - 2024\nPython and SQL.\n"


# Redoc's bundle always shows Redocly's logo from their CDN: the policy blocks it by design (no asset comes from a
# CDN), and Redoc hides the image when it fails. Nothing else may be blocked.
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _expected_block(text: str) -> bool:
    return REDOC_CDN_LOGO in text and "img-src" in text


class Violations:
    """CSP violations seen by the browser: Chromium's console reports and the page's securitypolicyviolation
    events (recorded by a script Playwright adds outside the page's policy)."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        self.events: list[str] = []
        page.on("console", self._on_console)
        page.expose_function(
            "__cspReport", lambda text: None if _expected_block(text) else self.events.append(f"{page.url}: {text}")
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => window.__cspReport("
            "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')"
            " + ' at ' + e.sourceFile + ':' + e.lineNumber));"
        )

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text and not _expected_block(message.text):
            self.console.append(f"{self.page.url}: {message.text} at {message.location}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None
        assert response.status == 200, url
        policy = response.headers.get("content-security-policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        assert script_src is not None, f"no script-src in the policy of {url}: {policy!r}"
        assert "'unsafe-inline'" not in script_src.group(1)
        assert "'unsafe-eval'" not in script_src.group(1)
        self.page.wait_for_load_state("networkidle")

    def seen(self) -> list[str]:
        return self.console + self.events


@pytest.fixture
def staff_user(committed) -> Iterator[str]:
    connection.set_schema_to_public()
    user, _created = user_ensure(email=STAFF_EMAIL, password=STAFF_PASSWORD, full_name="Casey Staff", is_staff=True)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    yield STAFF_EMAIL
    connection.set_schema_to_public()
    with connection.cursor() as cursor:  # the ORM's cascade would look for tenant tables in public
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [STAFF_EMAIL])
    connections.close_all()


def test_it_loads_the_seekers_pages_without_a_csp_violation(live_site, page, committed) -> None:
    email = f"csp.seeker.{uuid.uuid4().hex[:10]}@example.com"
    site = live_site.format(host="alpha.localhost")
    violations = Violations(page)
    try:
        violations.visit(live_site.format(host="localhost") + "/")
        violations.visit(site + "/accounts/login/")
        violations.visit(site + "/accounts/signup/")
        sign_up(page, site, email, "Cleo Policy")

        violations.visit(site + "/app/cv/")
        page.get_by_label("CV file").set_input_files({"name": "cleo.txt", "mimeType": "text/plain", "buffer": CV_TEXT})
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(re.compile(r"/app/cv/\d+/$"))

        violations.visit(site + "/app/postings/new/")
        page.get_by_label("Job title").fill("Data Engineer")
        page.get_by_label("Company").fill("Globex")
        page.get_by_label("Description").fill("Requirements:\n- Python\n- SQL is required")
        page.get_by_label("CV version sent").select_option(label="Version 1")
        page.get_by_role("button", name="Save and mark applied").click()
        page.wait_for_url(re.compile(r"/app/applications/\d+/$"))
        violations.visit(page.url)  # the application page, checked on its own load

        violations.visit(site + "/app/")
        page.locator(".job-card summary", has_text="Move").first.click()
        page.get_by_label("Move to").select_option("interviewing")
        page.locator(".card-move").get_by_role("button", name="Move").click()
        page.get_by_role("status").filter(has_text="Moved").wait_for()  # htmx swapped the board in place

        violations.visit(site + "/app/reminders/")
        page.locator("#language-select").select_option("fr")  # the switcher's handler is in a static file
        page.wait_for_function("document.documentElement.lang === 'fr'")

        violations.visit(site + "/api/v1/docs/")
        page.locator(".swagger-ui .info").wait_for()
        violations.visit(site + "/api/v1/redoc/")
        page.locator("h1").first.wait_for()
        assert not violations.seen(), "\n".join(violations.seen())
    finally:
        with schema_context("alpha"):
            Application.objects.filter(owner__email=email).delete()  # postings and CVs are protected while pinned
            User.objects.filter(email=email).delete()
        connections.close_all()


def test_it_loads_the_staff_admin_without_a_csp_violation(live_site, page, staff_user) -> None:
    public = live_site.format(host="localhost")
    violations = Violations(page)
    violations.visit(public + "/admin/login/")
    page.get_by_label("Email address").fill(staff_user)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    violations.visit(public + "/admin/")
    violations.visit(public + "/admin/tenants/client/")
    violations.visit(public + "/admin/tenants/client/add/")
    violations.visit(public + "/data-sources/")
    assert not violations.seen(), "\n".join(violations.seen())
