# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The pages that sell CVPlus: the consumer landing page (what it does, measured accuracy linked to the public model
card, the prices from the catalogue, the languages), the public model card (the serving versions' stored held-out
figures, never invented ones), and the public host's navigation (sign-in, no "Staff").

Model versions here are SIMULATED rows with made-up metrics: they prove what the page reads and prints, not accuracy.
"""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from billing.catalogue import plans_ensure
from predictions.models import ModelVersion

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


@pytest.fixture
def plans(cast) -> None:
    with schema_context("public"):
        plans_ensure()


@pytest.fixture
def champions(cast) -> None:
    with schema_context("public"):
        ModelVersion.objects.create(
            kind=ModelVersion.Kind.SALARY,
            scope=ModelVersion.Scope.GLOBAL,
            version=7,
            status=ModelVersion.Status.CHAMPION,
            data_fingerprint="SIMULATED",
            notes="SIMULATED metrics for a page test",
            artifact="",
            metrics={"test": {"rows": 1234, "coverage_p10_p90": 81.25, "mae_usd": 42454.4, "median_width_usd": 99999}},
        )
        ModelVersion.objects.create(  # an older version: not the one serving
            kind=ModelVersion.Kind.SALARY,
            scope=ModelVersion.Scope.GLOBAL,
            version=6,
            status=ModelVersion.Status.ARCHIVED,
            data_fingerprint="SIMULATED",
            artifact="",
            metrics={"test": {"rows": 99, "coverage_p10_p90": 12.5}},
        )
        ModelVersion.objects.create(  # a workspace's own model: never on the public page
            kind=ModelVersion.Kind.INTERVIEW,
            scope=ModelVersion.Scope.TENANT,
            scope_key="alpha",
            version=3,
            status=ModelVersion.Status.CHAMPION,
            data_fingerprint="SIMULATED",
            artifact="",
            metrics={"test": {"n": 321, "brier": 0.1875}},
        )


def test_it_shows_the_serving_versions_held_out_figures_on_the_public_model_card(public_client, champions) -> None:
    page = text_of(public_client.get("/model-card/").content.decode())

    assert "Version 7, trained on" in page
    assert "Tested on 1,234 held-out rows." in page or "Tested on 1234 held-out rows." in page
    assert "Actual salaries inside the predicted P10–P90 range (target 80 %) 81.2 %" in page
    assert "Mean absolute error of the middle of the range 42,454 USD" in page
    assert "SIMULATED data" in page
    assert "12.5 %" not in page  # the archived version
    assert "0.188" not in page
    assert "321" not in page
    assert page.count("No model serves this prediction on this server yet") == 2  # time to hire and interview


def test_it_serves_the_model_card_to_visitors_of_the_consumer_site(client_a, champions) -> None:
    response = client_a.get("/model-card/")

    assert response.status_code == 200
    assert "81.2 %" in text_of(response.content.decode())


def test_it_shows_what_cvplus_does_its_measured_accuracy_prices_and_languages(client_a, plans, champions) -> None:
    html = client_a.get("/").content.decode()
    page = text_of(html)

    for section in ("feature-board", "feature-match", "feature-predictions", "prices", "languages"):
        assert f'id="{section}"' in html
    assert "Salary range: Actual salaries inside the predicted P10–P90 range (target 80 %) — 81.2 %" in page
    assert 'href="/model-card/"' in html
    assert "19.00 USD" in page
    assert "149.00 USD" in page
    assert "Save 34 %" in page  # 12 × 19.00 − 149.00 = 79.00 of 228.00
    for name in ("English", "Deutsch", "français", "español", "日本語"):
        assert name in page


def test_it_lists_no_accuracy_it_did_not_measure(client_a, plans) -> None:
    html = client_a.get("/").content.decode()

    assert (
        "There is no measured accuracy to show yet: no model serving predictions on this server has been tested."
        in html
    )
    assert "Each model is tested on data it never saw" not in html


def test_it_offers_sign_in_not_staff_in_the_public_navigation(public_client) -> None:
    html = public_client.get("/").content.decode()
    nav = html[html.index('<nav aria-label="Main"') : html.index("</nav>")]

    assert "Staff" not in nav
    assert "/admin/" not in nav
    assert 'href="http://alpha.localhost/accounts/login/"' in nav
    assert 'href="/licensee/' in nav
    assert public_client.get("/admin/login/").status_code == 200  # staff still reach the admin directly
