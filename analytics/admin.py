"""Staff admin of the analytics app (public host). Experiments and feature flags: analytics/admin_experiments.py;
alert rules, firings and heartbeats: analytics/alerts/admin.py."""

from analytics import admin_experiments  # noqa: F401
from analytics.alerts import admin as alerts_admin  # noqa: F401
