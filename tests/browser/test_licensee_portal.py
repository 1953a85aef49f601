"""The licensee developer portal in a real browser: the public host's docs page renders the licensee API's document
with Swagger UI from CVPlus's own static files (no request leaves the site, no CSP violation), and a licensee rotates
a key on its page (the new secret shown once, the old key's grace period shown, both keys answering), creates a test
key that the API answers without metering, all on a 390 px screen without sideways scrolling."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from tests.browser.conftest import fits_the_screen, phone_page, too_wide

pytestmark = pytest.mark.browser

MATCH_RAW = {
    "cv_text": "Data scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL",
    "posting_title": "Data Scientist",
    "posting_description": "Requirements:\n- Python\n- Terraform",
}


@pytest.fixture
def licensee(committed):
    from billing.api_keys import api_key_issue
    from tests.billing.licensees import licensee_create

    with schema_context("public"):
        licensee = licensee_create(quota=1000, rate=60, name=f"Portal Licensee {uuid.uuid4().hex[:6]}")
        key, secret = api_key_issue(licensee=licensee, name="production")
    yield licensee, key, secret
    with schema_context("public"):
        licensee.delete()
        licensee.plan.delete()
    connections.close_all()


def test_the_docs_page_renders_the_licensee_api_from_the_sites_own_files(live_site, page) -> None:
    site = live_site.format(host="localhost")
    origin = site.rstrip("/")
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto(site + "/api/v1/docs/")

    page.get_by_role("heading", name=re.compile("CVPlus prediction API for licensees")).wait_for()
    main = page.locator("#swagger-ui")
    for endpoint in ("predictions/salary", "predictions/time-to-hire", "predictions/interview", "predictions/match"):
        assert main.get_by_text(f"/api/v1/licensee/{endpoint}", exact=True).is_visible()
    assert "Each answered item counts as one call" in main.inner_text()
    assert page.get_by_role("button", name=re.compile("Authorize")).is_visible()

    page.get_by_text("/api/v1/licensee/predictions/salary", exact=True).click()
    main.get_by_text('"company_country": "DE"').first.wait_for()  # the first request example, shown in full
    examples = main.locator("option", has_text="A batch with one invalid item")
    assert examples.count() >= 1  # the other examples are offered beside it

    assert requested
    assert all(url.startswith(origin) for url in requested), [url for url in requested if not url.startswith(origin)]
    assert not problems, problems


def test_a_licensee_rotates_a_key_and_creates_a_test_key(live_site, browser, licensee) -> None:
    from billing.metering import usage_flush
    from billing.models import ApiKey, ApiUsage

    record, old_key, old_secret = licensee
    site = live_site.format(host="localhost")
    with phone_page(browser) as page:
        page.goto(site + "/licensee/")
        page.get_by_label("API key").fill(old_secret)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/licensee/usage/$"))
        assert "never" in page.locator(f"#key-{old_key.pk}").inner_text()  # signing in is not an API call
        assert fits_the_screen(page), too_wide(page)

        page.locator(f"#key-{old_key.pk}").get_by_role("button", name="Rotate").click()
        page.get_by_role("heading", name="Your new API key").wait_for()
        new_secret = page.locator("#new-key-secret").inner_text().strip()
        assert new_secret.startswith("cvp_live_")
        grace = page.locator("#grace").inner_text()
        assert f"It replaces {old_key.prefix}, which keeps working until" in grace
        assert "24 hours from now" in grace
        assert fits_the_screen(page), too_wide(page)

        answers = {
            name: page.request.post(
                site + "/api/v1/licensee/predictions/match",
                data=MATCH_RAW,
                headers={"Authorization": f"Bearer {secret}"},
            )
            for name, secret in (("old", old_secret), ("new", new_secret))
        }
        assert answers["old"].status == answers["new"].status == 200

        page.get_by_role("link", name="Back to your usage and keys").click()
        page.wait_for_url(re.compile(r"/licensee/usage/$"))
        assert "rotated: works until" in page.locator(f"#key-{old_key.pk}").inner_text()
        assert new_secret not in page.content()

        page.get_by_role("button", name="Create a test key").click()
        page.get_by_role("heading", name="Your new test key").wait_for()
        test_secret = page.locator("#new-key-secret").inner_text().strip()
        assert test_secret.startswith("cvp_test_")
        tried = page.request.post(
            site + "/api/v1/licensee/predictions/match",
            data={"items": [MATCH_RAW, MATCH_RAW]},
            headers={"X-API-Key": test_secret},
        )
        assert tried.status == 200
        assert tried.headers["x-cvplus-test-key"] == "true"
        assert tried.json()["failed"] == []

    with schema_context("public"):
        usage_flush()
        assert sum(ApiUsage.objects.filter(licensee=record).values_list("calls", flat=True)) == 2  # not the test's
        assert ApiKey.objects.get(pk=old_key.pk).expires_at is not None
    connections.close_all()
