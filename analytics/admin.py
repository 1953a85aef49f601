"""Staff admin of the analytics app (public host). The beta programme: analytics/admin_beta.py; experiments and
feature flags: analytics/admin_experiments.py; alert rules, firings and heartbeats: analytics/alerts/admin.py; the
model monitor: analytics/admin_monitor.py; the rollups' cursors and the staff dashboard: analytics/admin_staff.py."""

from analytics import (
    admin_beta,  # noqa: F401
    admin_experiments,  # noqa: F401
    admin_monitor,  # noqa: F401
    admin_staff,  # noqa: F401
)
from analytics.alerts import admin as alerts_admin  # noqa: F401
