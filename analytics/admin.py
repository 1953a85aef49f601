"""Staff admin of the analytics app (public host). Experiments and feature flags: analytics/admin_experiments.py."""

from analytics import admin_experiments  # noqa: F401
