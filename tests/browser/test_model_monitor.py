"""The staff model monitor in Chromium on a 390 px phone: every table and chart fits the screen (no sideways
scrolling) and nothing breaks the Content-Security-Policy. Its rows are a SIMULATED snapshot, committed for the live
server and removed."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.services import user_ensure
from analytics.models import ModelMonitorSnapshot
from analytics.monitoring.accuracy import reliability_parts
from predictions.drift import bin_counts, input_bins_build
from predictions.models import ModelVersion
from predictions.registry import model_save
from tenants.models import Client
from tests.browser.conftest import fits_the_screen, phone_page
from tests.browser.test_csp import Violations
from tests.browser.test_enterprise_billing import PASSWORD, sign_in

pytestmark = pytest.mark.browser

STAFF_EMAIL = "monitor.staff@cvplus.example"
FEATURES = ["experience_level", "company_region_and_a_long_feature_name", "bls_log_p50"]


@pytest.fixture
def snapshot(committed) -> Iterator[None]:
    """A global salary version with a training reference, and alpha's snapshot of its served inputs (shifted) and of
    interview and salary outcomes: SIMULATED numbers."""
    connection.set_schema_to_public()
    rng = np.random.default_rng(5)
    training = np.column_stack([rng.integers(0, 4, 2000), rng.integers(0, 4, 2000), rng.normal(11, 0.4, 2000)])
    reference = input_bins_build(training, FEATURES)
    version = model_save(
        kind="salary",
        artifact="{}",
        metrics={"test": {"mae_usd": 9000, "coverage_p10_p90": 80.2, "rows": 1500}},
        params={},
        feature_names=FEATURES,
        data_fingerprint="f",
        training_seconds=0,
        input_bins=reference,
    )
    served = np.column_stack([rng.integers(1, 4, 400), rng.integers(0, 2, 400), rng.normal(11.4, 0.4, 400)])
    pairs = [(float(p), int(rng.random() < p)) for p in rng.uniform(0.05, 0.6, 300)]
    alpha = Client.objects.get(schema_name="alpha")
    ModelMonitorSnapshot.objects.update_or_create(
        tenant=alpha,
        defaults={
            "computed_at": timezone.now(),
            "serving": [
                {
                    "kind": "salary",
                    "version_key": f"global:{version.pk}",
                    "scope": "",
                    "model_version_id": version.pk,
                    "model_version": version.version,
                    "model_label": "",
                    "requests": 400,
                    "items": 400,
                    "latency_counts": {"40": 300, "52": 96, "70": 4},
                    "input_bins": bin_counts(reference, served),
                    "observed": 400,
                }
            ],
            "accuracy": {
                "interview": {
                    "prior:shrunk-prior-1": {
                        "scope": "prior",
                        "model_version_id": None,
                        "model_version": None,
                        "model_label": "shrunk-prior-1",
                        "version_key": "prior:shrunk-prior-1",
                        "demo": 300,
                        "parts": reliability_parts(pairs),
                    }
                },
                "salary": {
                    f"global:{version.pk}": {
                        "scope": "global",
                        "model_version_id": version.pk,
                        "model_version": version.version,
                        "model_label": "",
                        "version_key": f"global:{version.pk}",
                        "demo": 40,
                        "parts": [40, 5, 31, 4],
                        "unconverted": 0,
                    }
                },
                "salary_recent": [[timezone.now().isoformat(), 1, 1]] * 31 + [[timezone.now().isoformat(), 0, 1]] * 9,
                "time_to_hire": {},
                "tenant_models": {},
            },
        },
    )
    user_ensure(email=STAFF_EMAIL, password=PASSWORD, full_name="Rui Monteiro", is_staff=True)
    yield
    connection.set_schema_to_public()
    ModelMonitorSnapshot.objects.filter(tenant=alpha).delete()
    ModelVersion.objects.filter(pk=version.pk).delete()
    with connection.cursor() as cursor:  # the ORM's cascade would look for tenant tables in public
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [STAFF_EMAIL])
    connections.close_all()


def test_staff_read_the_model_monitor_on_a_phone(live_site, browser, snapshot) -> None:
    public = live_site.format(host="localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        sign_in(page, public + "/admin/login/?next=/admin/", STAFF_EMAIL)
        page.get_by_role("link", name="Model monitor", exact=True).click()
        page.wait_for_url("**/admin/analytics/monitor/")

        assert page.locator("#monitor-salary svg.monitor-chart").count() == 1  # PSI bars
        assert page.locator("#monitor-interview svg.monitor-chart").count() == 1  # the reliability curve
        assert "77.5 %" in page.locator("#table-accuracy-salary").inner_text()  # 31 of 40 offers inside
        assert "300 of these outcomes are the demo's" in page.locator("#monitor-interview").inner_text()
        assert fits_the_screen(page)
        violations.visit(page.url)
        page.select_option("#id_tenant", value=str(Client.objects.get(schema_name="alpha").pk))
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**tenant=*")
        assert "Figures of Tenant alpha." in page.locator("#monitor-scope").inner_text()
        assert fits_the_screen(page)
        assert not violations.seen(), "\n".join(violations.seen())
