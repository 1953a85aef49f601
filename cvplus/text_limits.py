"""Bounds on user text, checked before any reader (CV parse, requirements, match, conventions) sees it.

Lengths count characters as the readers see them, after NFKC normalisation: NFKC can lengthen text up to 18 times
(U+FDFA becomes 18 characters), so 100,000 such characters read as 1.8 million and cost as much. The raw length is
bounded too (by the field's ``max_length``), so normalising never reads more than ``limit`` characters.

A batch of text-heavy items (the match endpoints, tenant and licensee) also has a total budget: each item may be at
its own limit, but together they may hold at most ``MAX_BATCH_TEXT_CHARS``, so a batch that fits the request-body
limit cannot buy minutes of CPU (bench/security_input.py prints what a maximal item and a full budget cost).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy, ngettext_lazy
from rest_framework import exceptions, serializers

MAX_CV_TEXT_CHARS = 100_000
MAX_DESCRIPTION_CHARS = 50_000
MAX_BATCH_TEXT_CHARS = 500_000


def read_length(text: str) -> int:
    """Characters of ``text`` after NFKC normalisation, the form every text reader works on."""
    return len(unicodedata.normalize("NFKC", text))


@deconstructible
class ReadLengthValidator:
    """At most ``limit`` characters once normalised (NFKC); pair it with a raw ``max_length`` of the same limit."""

    message = ngettext_lazy(
        "Ensure this text has at most %(limit)d character once normalised (it has %(count)d).",
        "Ensure this text has at most %(limit)d characters once normalised (it has %(count)d).",
        "limit",
    )

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: object) -> None:
        if not isinstance(value, str) or len(value) > self.limit:
            return  # not text, or already refused by max_length without normalising it
        count = read_length(value)
        if count > self.limit:
            raise ValidationError(self.message, code="max_length", params={"limit": self.limit, "count": count})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReadLengthValidator) and other.limit == self.limit


def bounded_text_field(limit: int, **kwargs) -> serializers.CharField:
    """A DRF CharField of at most ``limit`` characters, raw and once normalised."""
    return serializers.CharField(max_length=limit, validators=[ReadLengthValidator(limit)], **kwargs)


def texts_read_length(values: Iterable[object]) -> int:
    """The normalised length of every string in ``values`` and in the lists among them."""
    total = 0
    for value in values:
        if isinstance(value, str):
            total += read_length(value)
        elif isinstance(value, list | tuple):
            total += texts_read_length(item for item in value if isinstance(item, str))
    return total


def batch_text_check(total_chars: int, *, field: str = "items") -> None:
    """Refuses (a DRF ValidationError on ``field``, a 400) a batch whose items hold more than MAX_BATCH_TEXT_CHARS
    together."""
    if total_chars > MAX_BATCH_TEXT_CHARS:
        message = BATCH_TOO_LARGE % {"count": total_chars, "limit": MAX_BATCH_TEXT_CHARS}
        raise exceptions.ValidationError({field: [message]})


BATCH_TOO_LARGE = gettext_lazy(
    "The items of this batch hold %(count)d characters of text together; a batch may hold at most %(limit)d. "
    "Send them in smaller batches."
)
