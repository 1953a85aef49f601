"""The staff analytics dashboard in Chromium on a 390 px phone: staff open it from the admin index, read the figures
of a few committed rollup rows (SIMULATED), switch tenant and period, and the page never scrolls sideways, its charts
draw and the Content-Security-Policy blocks nothing. Rows are committed for the live server and removed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection, connections

from accounts.services import user_ensure
from analytics.models import ActiveDay, DailyRollup, RollupCursor, SignupCohort
from analytics.rollups import people_rollups_recount, rollups_forget
from analytics.staff import utc_today, week_start
from tenants.models import Client
from tests.browser.conftest import fits_the_screen, phone_page, too_wide
from tests.browser.test_csp import Violations
from tests.browser.test_enterprise_billing import sign_in

pytestmark = pytest.mark.browser

STAFF_EMAIL = "dashboard.staff@cvplus.example"
PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def staff_user(committed) -> Iterator[str]:
    connection.set_schema_to_public()
    user_ensure(email=STAFF_EMAIL, password=PASSWORD, full_name="Ines Moreau", is_staff=True)
    yield STAFF_EMAIL
    connection.set_schema_to_public()
    with connection.cursor() as cursor:  # the ORM's cascade would look for tenant tables in public
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [STAFF_EMAIL])
    connections.close_all()


@pytest.fixture
def rollups(committed) -> Iterator[Client]:
    """A week of SIMULATED counts in alpha: sign-ups, six people active, salary predictions; and in beta a cohort
    whose eight weeks after have all ended."""
    connection.set_schema_to_public()
    alpha = Client.objects.get(schema_name="alpha")
    today = utc_today()
    for back in range(7):
        DailyRollup.objects.create(
            tenant=alpha, kind="user.signed_up", day=today - timedelta(days=back), count=back + 1
        )
    DailyRollup.objects.create(tenant=alpha, kind="prediction.served", key="salary", day=today, count=40, total=1200)
    for user_id in range(1, 7):
        SignupCohort.objects.create(tenant=alpha, user_id=user_id, day=today)
        ActiveDay.objects.create(tenant=alpha, user_id=user_id, day=today)
    beta = Client.objects.get(schema_name="beta")
    for user_id in range(1, 13):  # beta's cohort of twelve weeks back, active in each week after: the widest table
        signed_up = week_start(today) - timedelta(weeks=11)
        SignupCohort.objects.create(tenant=beta, user_id=user_id, day=signed_up)
        for week in range(9):
            ActiveDay.objects.create(tenant=beta, user_id=user_id, day=signed_up + timedelta(weeks=week))
    people_rollups_recount(tenant_ids=[alpha.pk, beta.pk])
    RollupCursor.objects.update_or_create(tenant=alpha, defaults={"counted_below": 1})
    yield alpha
    connection.set_schema_to_public()
    rollups_forget(alpha)
    rollups_forget(beta)
    connections.close_all()


def test_staff_read_the_dashboard_on_a_phone(live_site, browser, staff_user, rollups, tmp_path) -> None:
    public = live_site.format(host="localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        sign_in(page, public + "/admin/login/?next=/admin/", staff_user)
        page.get_by_role("link", name="Staff analytics").click()
        page.wait_for_url("**/admin/analytics/rollupcursor/dashboard/")

        assert page.locator("#active-tenants").get_by_role("row", name="Tenant alpha").inner_text().split() == [
            "Tenant",
            "alpha",
            "6",
            "6",
            "6",
        ]
        assert page.locator("svg.outcomes-chart").count() >= 3
        assert page.locator("#conversion-table").is_visible()
        assert fits_the_screen(page), too_wide(page)
        retention = page.locator("#retention-table")
        retention.scroll_into_view_if_needed()
        assert "100.0 %" in retention.inner_text()  # the twelve-week-old cohort, back in every week
        box = retention.locator("xpath=..")  # the table scrolls inside its box, the page does not
        assert box.evaluate("element => element.scrollWidth > element.clientWidth")
        box.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
        assert fits_the_screen(page), too_wide(page)
        page.screenshot(path=str(tmp_path / "staff-dashboard-390.png"), full_page=True)

        page.locator("#id_tenant").select_option(label="Tenant alpha")
        page.locator("#id_days").select_option(value="7")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(f"**/dashboard/?tenant={rollups.pk}&days=7")
        assert page.locator("#signups-weeks").get_by_role("row", name="Total").inner_text().split() == [
            "Total",
            "28",
            "0",
        ]
        assert fits_the_screen(page), too_wide(page)
        violations.visit(page.url)
        assert not violations.seen(), "\n".join(violations.seen())
