"""An interview as an iCalendar file (RFC 5545): one VEVENT in a VCALENDAR, times in UTC.

UTC rather than TZID: a TZID must come with a VTIMEZONE block describing the zone's rules (§3.2.19), and a UTC time
is read the same by every calendar, which then shows it in the reader's own zone. The zone the seeker gave is named
in the description. Text values are escaped (§3.3.11) and lines folded at 75 octets (§3.1), never inside a UTF-8
character; lines end with CRLF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//CVPlus//Interviews//EN"
MAX_LINE_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def ics_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """``line`` split into pieces of at most 75 octets, each continuation starting with a space."""
    pieces: list[str] = []
    current, size, limit = [], 0, MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(event: CalendarEvent, *, now: datetime) -> str:
    """The whole .ics document for one event. ``now`` is the DTSTAMP (when the file was made)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(now)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{ics_text(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
    ]
    if event.location:
        lines.append(f"LOCATION:{ics_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{ics_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(f"{ics_fold(line)}\r\n" for line in lines)
