"""The licensee's own page on the public host: sign in with one of the organisation's API keys, then see this month's
quota (used, left, when it resets), the rate limit, calls per day over the last 30 days, calls per month with what has
been reported to Stripe, and the keys (prefix, name, last API call, revoked or until when a rotated key still works).
The licensee rotates its keys and creates test keys here itself (`key_for_licensee`, billing/api_keys.py).

Licensees are organisations, not people with accounts, so the key is the credential: the session remembers which key
signed in, and every page view checks again that it is not revoked (a revoked key signs the session out). The page
shows only the signed-in key's licensee; there is no identifier in the URL to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from billing.api_keys import ROTATION_GRACE, TEST_KEY_MAX_BATCH_ITEMS, api_key_is_live
from billing.metering import (
    next_period_start,
    period_start,
    quota_remaining,
    usage_days,
    usage_flush_for_reading,
    usage_months,
)
from billing.models import ApiKey, Licensee
from tenants.context import public_schema_context

SESSION_KEY = "billing_licensee_api_key_id"
CHART_DAYS = 30
CHART_WIDTH = 600
CHART_HEIGHT = 120


@dataclass(frozen=True)
class DayBar:
    day: date
    calls: int
    x: float
    y: float
    width: float
    height: float


def signed_in_key(session) -> ApiKey | None:
    """The live key this session signed in with, with its licensee and plan; None (and the session forgets it) when
    there is none or it has been revoked since."""
    key_id = session.get(SESSION_KEY)
    if key_id is None:
        return None
    with public_schema_context():
        key = ApiKey.objects.select_related("licensee__plan").filter(pk=key_id, revoked_at__isnull=True).first()
    if key is None or not api_key_is_live(key):
        session.pop(SESSION_KEY, None)
        return None
    return key


def key_for_licensee(licensee: Licensee, key_id: object) -> ApiKey | None:
    """The licensee's own key with this id; None for another licensee's key or any id that is not one (a 404)."""
    try:
        key_id = int(str(key_id))
    except ValueError:
        return None
    with public_schema_context():
        return ApiKey.objects.filter(licensee=licensee, pk=key_id).first()


def live_keys_count(licensee: Licensee) -> int:
    with public_schema_context():
        keys = list(ApiKey.objects.filter(licensee=licensee, revoked_at__isnull=True))
    return sum(1 for key in keys if api_key_is_live(key))


def day_bars(licensee: Licensee, *, today: date) -> list[DayBar]:
    """The last CHART_DAYS days ending today, zero where nothing was called, scaled to the chart's box."""
    counted = {row.day: row.calls for row in usage_days(licensee, days=CHART_DAYS)}
    days = [today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]
    peak = max([counted.get(day, 0) for day in days] + [1])
    slot = CHART_WIDTH / CHART_DAYS
    bars = []
    for index, day in enumerate(days):
        calls = counted.get(day, 0)
        height = round(CHART_HEIGHT * calls / peak, 1)
        bars.append(DayBar(day, calls, round(index * slot + 1, 1), CHART_HEIGHT - height, round(slot - 2, 1), height))
    return bars


def usage_context(key: ApiKey) -> dict:
    licensee = key.licensee
    # The counts shown include the last seconds' calls; with Redis down, PostgreSQL's record without them.
    usage_flush_for_reading()
    now = timezone.now()
    limit = licensee.plan.api_monthly_quota
    remaining = quota_remaining(licensee, now=now)
    months = usage_months(licensee)
    this_month = period_start(now.date())
    used = next((row.calls for row in months if row.period_start == this_month), 0)
    bars = day_bars(licensee, today=now.date())
    with public_schema_context():
        keys = list(licensee.api_keys.order_by("-created_at"))
    for listed in keys:
        listed.is_live = api_key_is_live(listed, now=now)
    return {
        "licensee": licensee,
        "plan": licensee.plan,
        "current_key": key,
        "keys": keys,
        "limit": limit,
        "used": used,
        "remaining": remaining,
        "used_percent": min(100, round(100 * used / limit)) if limit else None,
        "resets_at": next_period_start(now),
        "bars": bars,
        "chart_total": sum(bar.calls for bar in bars),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "months": months,
        "grace_hours": int(ROTATION_GRACE.total_seconds() // 3600),
        "test_key_max_batch_items": TEST_KEY_MAX_BATCH_ITEMS,
    }
