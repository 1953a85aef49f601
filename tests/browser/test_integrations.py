"""An organisation's administrator on a phone-sized screen creates an API token and uses it, then adds a webhook
endpoint, sends it a test event through the real worker, and sees the delivery in the log; the receiver checks the
signature with the secret the page showed once."""

from __future__ import annotations

import http.client
import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from portal.models import ApiToken, WebhookEndpoint
from tests.browser.conftest import BROWSER_PASSWORD, fits_the_screen, phone_page
from tests.conftest import wait_until
from tests.portal.webhook_receiver import receiving, signature_valid

pytestmark = pytest.mark.browser


def _api_status(live_site: str, path: str, token: str) -> int:
    port = int(live_site.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"gamma.localhost:{port}", "Authorization": f"Bearer {token}"})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def administrator(committed):
    with schema_context("gamma"):
        user = user_create(
            email=f"browser.admin.{uuid.uuid4().hex[:10]}@gamma.example",
            password=BROWSER_PASSWORD,
            full_name="Stefanie Vogel",
            language="en",  # the page in English on the German portal, whatever the catalogues hold
            role=User.Role.ADMINISTRATOR,
        )
    yield user
    with schema_context("gamma"):
        ApiToken.objects.filter(created_by=user).delete()
        WebhookEndpoint.objects.filter(created_by=user).delete()
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()


def test_an_administrator_creates_a_token_and_tries_a_webhook_at_390_px(
    live_site, browser, administrator, celery_worker
) -> None:
    site = live_site.format(host="gamma.localhost")
    with receiving(200) as receiver, phone_page(browser) as page:
        page.goto(site + "/accounts/login/")
        page.locator("input[name=username]").fill(administrator.email)  # the sign-in page is in German here
        page.locator("input[name=password]").fill(BROWSER_PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/(app|portal)/$"))

        page.goto(site + "/portal/")
        page.get_by_role("link", name="API tokens").click()
        page.get_by_label("Name").fill("Data warehouse")
        page.get_by_label("read and write").check()
        page.get_by_role("button", name="Create token").click()
        token = page.get_by_role("textbox", name="API token").input_value()
        assert re.fullmatch(r"cvo_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", token)
        assert fits_the_screen(page)
        assert _api_status(live_site, "/api/v1/org/members/", token) == 200  # the token alone, no session
        page.get_by_role("link", name="I have saved it").click()
        row = page.locator("tr", has_text="Data warehouse")
        assert "never" not in row.inner_text()  # its use was recorded
        assert token not in page.content()
        assert fits_the_screen(page)

        page.goto(site + "/portal/webhooks/")
        page.get_by_role("link", name="Add an endpoint").click()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Description").fill("Workday sync")
        page.get_by_label("an application changed stage").check()
        page.get_by_role("button", name="Add endpoint").click()
        secret = page.get_by_role("textbox", name="Signing secret").input_value()
        assert secret.startswith("whsec_")
        page.get_by_role("link", name="I have saved it").click()
        with page.expect_navigation():  # the form posts and redirects back; reloading mid-way detaches the page
            page.get_by_role("button", name="Send test event").click()
        endpoint_url = page.url

        def delivered() -> bool:
            page.goto(endpoint_url)
            return "delivered" in page.locator("#deliveries-h + div").inner_text()

        assert wait_until(delivered, timeout_s=60, interval_s=1)
        page.locator("details summary").first.click()  # the attempts and the body
        assert fits_the_screen(page)
        (request,) = receiver.requests
        assert request.headers["CVPlus-Event"] == "webhook.test"
        assert signature_valid(request.body, request.headers["CVPlus-Signature"], secret)
