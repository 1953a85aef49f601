"""Secrets handed out once and then only recognised: licensee API keys (billing/api_keys.py) and organisation API
tokens (portal/tokens.py).

A secret looks like ``<kind><8 lowercase letters or digits>_<43 random URL-safe characters>`` (kind: ``cvp_live_``,
``cvo_``). The kind and the eight characters are its `prefix`, kept in clear so that people can tell their secrets
apart; the whole secret is kept only as its SHA-256. The random part carries 256 bits, so a fast hash is as safe as a
slow one here (nobody can guess their way to a preimage) and lets every request be checked without a password
hasher's cost. A leaked database therefore holds no usable secret.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

PREFIX_RANDOM_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
LAST_USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most once a minute per secret


def secret_hash(raw: str) -> str:
    """The SHA-256 of the secret, as 64 hexadecimal characters (what the database keeps)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def secret_prefix_new(kind: str) -> str:
    """``kind`` followed by eight random lowercase letters or digits: the part of a secret shown in lists."""
    return kind + "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_RANDOM_LENGTH))


def secret_new(prefix: str) -> str:
    """A new secret starting with ``prefix`` (see :func:`secret_prefix_new`)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def last_used_record(row: Model) -> None:
    """Records a use of the secret's row (a model with ``last_used_at``) now, unless one was recorded less than
    :data:`LAST_USED_RESOLUTION` ago: one write a minute at most, however many requests use it."""
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        type(row).objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
