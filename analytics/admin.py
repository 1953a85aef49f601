"""Staff admin of analytics; each area registers its models in its own module."""

from analytics.alerts import admin as alerts_admin  # noqa: F401  (alert rules, firings, heartbeats)
