"""A real server and a real browser: the site runs in its own process on the session's test database, and Debian's
Chromium, driven by Playwright, visits it as a person would."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def fake_stripe() -> Iterator[object]:
    """The live server's Stripe API (tests/browser/fake_stripe.py): billing is configured, nothing leaves loopback."""
    from tests.browser.fake_stripe import FakeStripe

    with FakeStripe() as fake:
        yield fake


@pytest.fixture(scope="session")
def live_site_outbox(tmp_path_factory) -> Path:
    """The folder the live server writes its e-mails to (Django's file-based backend); read it with
    :func:`emails_to`."""
    return tmp_path_factory.mktemp("live-site-outbox")


@pytest.fixture(scope="session")
def live_site(cast, django_db_blocker, fake_stripe, live_site_outbox) -> Iterator[str]:
    """Serves the project (test settings, the test database) with runserver; yields ``http://{host}:{port}``. Its
    e-mails go to ``live_site_outbox``, with links to this port."""
    from django.conf import settings

    from tests.billing.stripe_fakes import SECRET_KEY

    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    port = free_port()
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "PYTHONUNBUFFERED": "1",
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": fake_stripe.url,
        "TEST_MEDIA_ROOT": settings.MEDIA_ROOT,  # the files it stores are read by the tests' Celery worker
        "TEST_EMAIL_FILE_PATH": str(live_site_outbox),
        "TEST_SITE_PORT": str(port),
    }
    log = open(ROOT / ".pytest-live-server.log", "w")  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, server, ROOT / ".pytest-live-server.log")
        yield f"http://{{host}}:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        _wait_for_server_sessions_to_end(django_db_blocker, database)


def _wait_for_server_sessions_to_end(django_db_blocker, database: str) -> None:
    """PostgreSQL ends a dead client's backend a moment after the process exits; the test database can only be
    dropped at the end of the session once it has."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run 'bash scripts/ensure_package.sh chromium' (make test does).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are still
    # synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


BROWSER_PASSWORD = "a-long-browser-passphrase"
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"  # what Django's file-based backend writes after each message


def emails_to(outbox: Path, address: str) -> list[email.message.EmailMessage]:
    """The e-mails the live server sent to ``address``, oldest first: its file-based backend writes one file per
    connection, named from the time it was opened, each message followed by a line of dashes."""
    messages = []
    for path in sorted(outbox.glob("*.log")):
        for text in path.read_text(encoding="utf-8").split(MAIL_SEPARATOR):
            if not text.strip():
                continue
            message = email.message_from_string(text, policy=email.policy.default)
            if address in (recipient.addr_spec for recipient in message["To"].addresses):
                messages.append(message)
    return messages


def confirm_path(email: str, schema: str = "alpha") -> str:
    """The path of the confirmation link e-mailed to ``email``, rebuilt from the pending sign-up as the e-mail's is
    (:func:`emails_to` reads the e-mail itself)."""
    from django_tenants.utils import schema_context

    from accounts.models import PendingSignup
    from accounts.signup import signup_confirm_path

    with schema_context(schema):
        return signup_confirm_path(PendingSignup.objects.get(email=email))


def sign_up(page, site: str, email: str, full_name: str, schema: str = "alpha") -> None:
    """Signs a new job seeker up on ``site`` (a consumer tenant) through its form and the e-mailed confirmation
    link; ends on the board."""
    import re

    password = BROWSER_PASSWORD
    page.goto(site + "/accounts/signup/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/accounts/signup/sent/$"))
    assert page.locator("h1").inner_text() == "Check your inbox"
    page.goto(site + confirm_path(email, schema))
    page.get_by_role("button", name="Confirm and log in").click()
    page.wait_for_url(re.compile(r"/app/$"))


@contextmanager
def sized_page(browser, width: int, height: int, *, locale: str = "en-US", **options) -> Iterator[object]:
    """A page in a browser context of its own (its own cookies: one person), ``width`` × ``height`` pixels, closed
    afterwards."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def phone_page(browser, **options):
    """A page on a 390 px wide screen (a small phone), closed afterwards."""
    return sized_page(browser, 390, 844, **options)


@contextmanager
def organisation_rows_removed(schema: str, emails: list[str]) -> Iterator[None]:
    """Removes, when the block ends, what a browser test committed in the organisation ``schema`` for the people with
    ``emails``: their applications, domain events, invitations and accounts; memberships, cohorts and the
    organisation's settings row made during the block (portal pages make memberships for the cast's people too)."""
    from django.db import connections
    from django.db.models import Q
    from django_tenants.utils import schema_context

    from accounts.models import User
    from portal.models import Cohort, Invitation, Membership, OrganisationSettings
    from tracking.models import Application, DomainEvent

    with schema_context(schema):
        memberships_before = set(Membership.objects.values_list("pk", flat=True))
        cohorts_before = set(Cohort.objects.values_list("pk", flat=True))
        settings_before = OrganisationSettings.objects.exists()
    try:
        yield
    finally:
        with schema_context(schema):
            users = list(User.objects.filter(email__in=emails).values_list("pk", flat=True))
            Application.objects.filter(owner_id__in=users).delete()  # postings are protected while one pins them
            DomainEvent.objects.filter(
                Q(actor_id__in=users) | Q(kind=DomainEvent.Kind.MEMBER_JOINED, subject_id__in=users)
            ).delete()
            Invitation.objects.filter(email__in=emails).delete()
            Membership.objects.exclude(pk__in=memberships_before).delete()
            if not settings_before:
                OrganisationSettings.objects.all().delete()
            User.objects.filter(pk__in=users).delete()
            Cohort.objects.exclude(pk__in=cohorts_before).delete()
        connections.close_all()


def log_in(page, site: str, email: str, password: str = BROWSER_PASSWORD) -> None:
    """Logs in through the form; ends on the board."""
    import re

    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/app/$"))


def fits_the_screen(page) -> bool:
    """No sideways scrolling: the document is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def too_wide(page) -> list[str]:
    """The elements whose content is wider than they are (what makes a page scroll sideways)."""
    return page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth"
        " && getComputedStyle(e).overflowX === 'visible').map(e => `${e.tagName}.${e.className}`)"
    )
