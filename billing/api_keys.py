"""API keys for licensees: issued once, stored hashed, revocable, rotated with a grace period. Quota, rate and
metering: billing/metering.py.

Keys look like ``cvp_live_ab12cd34_<43 random characters>`` (a test key: ``cvp_test_...``): the first 17 characters
are the key's `prefix`, stored in clear so a key can be found and recognised, and the whole secret is stored only as
its SHA-256 (cvplus/secret_tokens.py, shared with the organisation API's tokens). A lost key is revoked and a new one
issued; a key rotated by its licensee keeps working for `ROTATION_GRACE` (its `expires_at`), so the licensee can
deploy the new one without an outage.

A test key is answered like a live one but never metered (predictions/api/licensee.py): it uses no quota and is never
billed. Its prefix tells the two apart at a glance, in logs and in code.
"""

from __future__ import annotations

import hmac
import threading
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from billing.api_key_revocations import api_key_changes_heard, api_key_changes_publish
from billing.models import ApiKey, Licensee
from cvplus.secret_tokens import PREFIX_RANDOM_LENGTH, last_used_record, secret_new, secret_prefix_new
from cvplus.secret_tokens import secret_hash as key_hash
from tenants.context import public_schema_context

KEY_PREFIX = "cvp_live_"
TEST_KEY_PREFIX = "cvp_test_"  # as long as KEY_PREFIX: every key's prefix has PREFIX_LENGTH characters
PREFIX_LENGTH = len(KEY_PREFIX) + PREFIX_RANDOM_LENGTH
ROTATION_GRACE = timedelta(hours=24)
TEST_KEY_MAX_BATCH_ITEMS = 10  # a test key is for trying the API, not a free way to run on it

_public = public_schema_context


def api_key_issue(*, licensee: Licensee, name: str = "", is_test: bool = False) -> tuple[ApiKey, str]:
    """A new key for the licensee and its secret. The secret is returned only here: show it once, never store it."""
    with _public():
        while True:
            prefix = secret_prefix_new(TEST_KEY_PREFIX if is_test else KEY_PREFIX)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        secret = secret_new(prefix)
        key = ApiKey.objects.create(
            licensee=licensee, prefix=prefix, key_hash=key_hash(secret), name=name, is_test=is_test
        )
    return key, secret


def api_key_is_live(key: ApiKey, *, now: datetime | None = None) -> bool:
    """Neither revoked nor past the end of its rotation's grace period."""
    now = now or timezone.now()
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now)


def api_key_rotate(*, key: ApiKey, grace: timedelta = ROTATION_GRACE) -> tuple[ApiKey, str]:
    """A new key of the same kind and name replacing `key`, and its secret (shown once). The old key keeps working
    until `grace` from now, then is refused; a key already due to stop sooner keeps its earlier end. A revoked or
    expired key cannot be rotated (ValueError): its licensee signs in with a live one."""
    now = timezone.now()
    with _public(), transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if not api_key_is_live(locked, now=now):
            raise ValueError("only a live key can be rotated")
        new_key, secret = api_key_issue(licensee=locked.licensee, name=locked.name, is_test=locked.is_test)
        ends = now + grace
        if locked.expires_at is None or locked.expires_at > ends:
            ApiKey.objects.filter(pk=locked.pk).update(expires_at=ends)
        key.refresh_from_db(fields=["expires_at"])
    api_key_cache_clear()
    return new_key, secret


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revokes the key from now on (idempotent: a revoked key keeps its first revocation time)."""
    with _public():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        key.refresh_from_db(fields=["revoked_at"])
    api_key_cache_clear()  # an update() sends no signal: every process stops accepting the key within a second
    return key


KEY_CACHE_TTL_S = 30.0  # a backstop: changes reach the other processes through Redis (billing/api_key_revocations.py)
_key_cache: dict[str, tuple[float, int, ApiKey | None]] = {}  # prefix -> (expires, generation, key)
_generation = 0  # moves on whenever the cache is emptied: a lookup that raced with it is not kept
_cache_lock = threading.Lock()


def _key_fetch(prefix: str) -> ApiKey | None:
    return ApiKey.objects.select_related("licensee__plan").filter(prefix=prefix).first()


def _key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with its licensee and plan, kept in process while it hears changes through Redis: the three-table
    lookup cost more than the rest of the metering together. A change of a key, licensee or plan (billing.apps)
    empties every process's cache within a second; while this process does not hear Redis, every request reads
    PostgreSQL."""
    if not api_key_changes_heard(_cache_forget):
        return _key_fetch(prefix)
    generation, now = _generation, time.monotonic()
    hit = _key_cache.get(prefix)
    if hit is not None and hit[0] > now and hit[1] == generation:
        return hit[2]
    key = _key_fetch(prefix)
    with _cache_lock:
        if _generation == generation:
            _key_cache[prefix] = (now + KEY_CACHE_TTL_S, generation, key)
    return key


def _cache_forget() -> None:
    global _generation
    with _cache_lock:
        _generation += 1
        _key_cache.clear()


def api_key_cache_clear(**_signal_kwargs: object) -> None:
    """Empties this process's cache now and every other process's once the current transaction commits."""
    _cache_forget()
    api_key_changes_publish()


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The live key whose secret is `raw`, with its licensee and plan; None for an unknown, malformed, revoked or
    expired key (a rotated key past its grace period).

    The hashes are compared in constant time. An inactive licensee's key still authenticates: the caller answers
    403 rather than 401 for it. Nothing is recorded: an API call records its use (`api_key_used`), signing in to the
    licensee page does not."""
    if not raw or not raw.startswith((KEY_PREFIX, TEST_KEY_PREFIX)) or len(raw) <= PREFIX_LENGTH:
        return None
    with _public():
        key = _key_by_prefix(raw[:PREFIX_LENGTH])
        if key is None or not hmac.compare_digest(key.key_hash, key_hash(raw)) or not api_key_is_live(key):
            return None
    return key


def api_key_used(key: ApiKey) -> None:
    """Records an API call with the key as its "last used" time (at most one write a minute per key)."""
    with _public():
        last_used_record(key)
