# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The staff "Model monitor" page (/admin/analytics/monitor/, public host): staff see every tenant's figures or one
tenant's; anyone else is sent to the staff login (or, on a tenant's host, finds no such page); staff without the
permission are refused."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.analytics.test_monitoring_figures import scripted  # noqa: F401 - fixture
from tests.conftest import PASSWORD, PUBLIC_HOST, login
from tests.predictions.serving_support import salary_reference  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MONITOR = "/admin/analytics/monitor/"
STAFF_EMAIL = "monitor.staff@cvplus.example"


def section(page: str, kind: str) -> str:
    start = page.index(f'id="monitor-{kind}"')
    return page[start : page.index("</section>", start)]


def signed_in(email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    client.post("/admin/login/?next=/admin/", {"username": email, "password": PASSWORD})
    return client


@pytest.fixture
def staff_client(cast) -> HttpClient:
    StaffUserFactory(email=STAFF_EMAIL)
    return signed_in(STAFF_EMAIL)


def test_staff_see_every_tenants_figures_with_their_charts(staff_client, scripted) -> None:
    response = staff_client.get(MONITOR)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Model monitor" in page
    assert "Figures of every tenant (2 tenants)." in page
    interview = section(page, "interview")
    assert "published prior, refined by tracked outcomes" in interview
    assert '<td data-label="Outcomes" class="number">70</td>' in interview
    assert '<svg class="monitor-chart"' in interview  # the reliability curve
    salary = section(page, "salary")
    assert "89.1 %" in salary  # 41 of 46 offers inside the range
    assert "79.5 % (1,200 held out)" in salary
    assert "1 offers in a currency with no known rate are left out." in salary
    assert 'id="salary-recent"' in page
    assert "89.1 %</strong>" in page  # the latest 200 offers: all 46 here


def test_staff_narrow_the_figures_to_one_tenant(cast, staff_client, scripted) -> None:
    response = staff_client.get(MONITOR, {"tenant": cast.tenant_b.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Figures of Tenant beta." in page
    interview = section(page, "interview")
    assert '<td data-label="Outcomes" class="number">30</td>' in interview
    assert "0.250" in interview  # beta's Brier score: every 50 % prediction was a no
    assert '<td data-label="Outcomes" class="number">70</td>' not in page
    assert '<td data-label="Outcomes" class="number">40</td>' not in page  # nothing of alpha's
    assert "not enough data (10 of 30)" in page  # beta's ten offers


def test_an_unknown_tenant_in_the_filter_is_a_400_naming_the_field(staff_client, scripted) -> None:
    response = staff_client.get(MONITOR, {"tenant": "999999"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_anyone_signed_out_is_sent_to_the_staff_login(public_client, scripted) -> None:
    response = public_client.get(MONITOR)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_person_who_is_not_staff_is_sent_to_the_staff_login(cast, scripted) -> None:
    UserFactory(email="not.staff@cvplus.example")
    client = signed_in("not.staff@cvplus.example")

    response = client.get(MONITOR)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_monitors_permission_are_refused(cast, scripted) -> None:
    StaffUserFactory(email="helpdesk@cvplus.example", is_superuser=False)
    client = signed_in("helpdesk@cvplus.example")

    response = client.get(MONITOR)

    assert response.status_code == 403
    assert "Brier" not in response.content.decode()


def test_a_tenants_host_has_no_monitor(cast, client_a, scripted) -> None:
    login(client_a, cast.owner_email)

    assert client_a.get(MONITOR).status_code == 404
