"""A real server and a real browser: the site runs in its own process on the session's test database, and Debian's
Chromium, driven by Playwright, visits it as a person would."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fake_stripe() -> Iterator[object]:
    """The live server's Stripe API (tests/browser/fake_stripe.py): billing is configured, nothing leaves loopback."""
    from tests.browser.fake_stripe import FakeStripe

    with FakeStripe() as fake:
        yield fake


@pytest.fixture(scope="session")
def live_site(cast, django_db_blocker, fake_stripe) -> Iterator[str]:
    """Serves the project (test settings, the test database) with runserver; yields ``http://{host}:{port}``."""
    from tests.billing.stripe_fakes import SECRET_KEY

    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    port = _free_port()
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "PYTHONUNBUFFERED": "1",
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": fake_stripe.url,
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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((ROOT / ".pytest-live-server.log").read_text()) from None
                time.sleep(0.2)
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


def confirm_path(email: str) -> str:
    """The path of the confirmation link e-mailed to ``email`` on tenant A (the live server's e-mails go nowhere a
    test can read, so the link is rebuilt from the pending sign-up, as the e-mail's is)."""
    from django_tenants.utils import schema_context

    from accounts.models import PendingSignup
    from accounts.signup import signup_confirm_path

    with schema_context("alpha"):
        return signup_confirm_path(PendingSignup.objects.get(email=email))
