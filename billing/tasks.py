"""Billing's periodic work on the Celery beat."""

from __future__ import annotations

from billing.metering import usage_flush
from cvplus.celery import app


@app.task(soft_time_limit=60)
def api_usage_flush() -> int:
    """Moves the licensee API calls metered in Redis into PostgreSQL (billing/metering.py); returns the calls moved."""
    return usage_flush()
