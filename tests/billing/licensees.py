"""Licensees on a test API plan, for the licensee API and page tests."""

from __future__ import annotations

import uuid

from billing.models import Licensee, Plan


def api_plan(*, quota: int | None = 100, rate: int | None = None) -> Plan:
    return Plan.objects.create(
        code=f"api-test-{uuid.uuid4().hex[:12]}",
        kind=Plan.Kind.API,
        interval=Plan.Interval.MONTH,
        name="API test plan",
        api_monthly_quota=quota,
        api_rate_per_minute=rate,
    )


def licensee_create(*, quota: int | None = 100, rate: int | None = None, name: str = "Acme HR", **extra) -> Licensee:
    return Licensee.objects.create(
        name=name, contact_email="api@acme.example", plan=api_plan(quota=quota, rate=rate), **extra
    )
