"""Time zones an interview can be given in, and wall times read in them."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from functools import cache


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zones a person would pick (Area/City, and UTC), sorted; the legacy aliases (EST5EDT, US/...,
    Etc/GMT+5) are left out so the list reads as places."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/"))
    }
    return ("UTC", *sorted(names))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def wall_time_to_utc(day: date, at: time, zone: str) -> datetime | None:
    """The moment ``day`` ``at`` o'clock means in ``zone``, in UTC; None when that wall time does not exist there
    (skipped by a clock change). A time that happens twice (clocks going back) is read as the first one."""
    tz = zoneinfo.ZoneInfo(zone)
    local = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0), tzinfo=tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return moment
