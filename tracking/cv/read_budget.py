"""What reading one CV file may cost: pages, decompressed bytes, extracted characters and seconds.

A file over any of these is stored as an unreadable version whose reason names the budget it went over, so the user
knows what to change. The limits are settings (``CV_READ_*``, see the README); the worker's task has Celery time
limits just above ``time_s`` for the case where a parser is stuck inside one call and never reaches a check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cvplus.text_limits import MAX_CV_TEXT_CHARS


class OverBudget(Exception):  # noqa: N818 - a refusal, not an error in our code
    """Reading stopped because the file went over a budget; ``reason`` says which, in the user's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def megabytes(n_bytes: int) -> str:
    value = n_bytes / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.2f}"


@dataclass(frozen=True)
class ReadBudget:
    max_pages: int
    max_decompressed_bytes: int
    max_text_chars: int
    time_s: float
    started_at: float = field(default_factory=time.monotonic)

    @classmethod
    def from_settings(cls) -> ReadBudget:
        return cls(
            max_pages=settings.CV_READ_MAX_PAGES,
            max_decompressed_bytes=settings.CV_READ_MAX_DECOMPRESSED_BYTES,
            # never more than the parser reads (cvplus.text_limits), whatever the setting says
            max_text_chars=min(settings.CV_READ_MAX_TEXT_CHARS, MAX_CV_TEXT_CHARS),
            time_s=settings.CV_READ_TIME_BUDGET_S,
        )

    def time_check(self) -> None:
        """Raises OverBudget once the time budget is spent; called between pages and before parsing."""
        if time.monotonic() - self.started_at >= self.time_s:
            raise OverBudget(time_reason(self.time_s))

    def text_check(self, n_chars: int) -> None:
        if n_chars > self.max_text_chars:
            raise OverBudget(
                _(
                    "This file holds more than %(limit)s characters of text, more than we read for one CV. "
                    "Upload a shorter CV or paste the part that matters."
                )
                % {"limit": number_format(self.max_text_chars, force_grouping=True)}
            )

    def decompressed_reason(self) -> str:
        return _(
            "This PDF expands to more than %(limit_mb)s MB when unpacked, far more than a CV needs. Save it again "
            "as a plain PDF from your word processor, or paste the text."
        ) % {"limit_mb": megabytes(self.max_decompressed_bytes)}

    def pages_reason(self, count: int | None) -> str:
        if count is None:
            return _("This PDF has more than %(limit)d pages, the most we read.") % {"limit": self.max_pages}
        return _("This PDF has too many pages (%(count)d; at most %(limit)d).") % {
            "count": count,
            "limit": self.max_pages,
        }


def time_reason(time_s: float) -> str:
    return _(
        "Reading this file took longer than %(seconds)s seconds, the most we spend on one CV. Save it again as a "
        "plain PDF from your word processor, or paste the text."
    ) % {"seconds": f"{time_s:g}"}
