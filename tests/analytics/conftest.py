"""Fixtures the analytics tests share with the modules whose actions they record."""

from tests.analytics.test_dashboard_org import gamma, programme  # noqa: F401 - fixtures (the organisation dashboard's)
from tests.billing.test_webhooks import prices, stripe_settings  # noqa: F401 - fixtures
from tests.predictions.serving_support import salary_champion, salary_reference, salary_run  # noqa: F401 - fixtures
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
