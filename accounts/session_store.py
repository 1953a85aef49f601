"""Sessions read through the cache, with the tenant's database as the record: SESSION_ENGINE.

Every signed-in request reads its session; a cache hit replaces a database query. Django's own ``cached_db`` engine
fails during a cache outage (``exists`` and ``delete`` raise, so sign-in and sign-out become 500s). This one never
fails because of the cache: each cache call that cannot reach it falls back to the database and is logged.

Invalidation stays right through an outage: the database row is written or deleted first, so it is always current;
a cache copy that could not be replaced or deleted (sign-out, ``flush``, ``cycle_key`` or a save while the cache was
down) is remembered and deleted before this process next reads a session from the cache, and every cache copy
expires after SESSION_CACHE_MAX_AGE_S at the latest, which bounds how long a copy left behind by a process that
stopped before it could delete it can be read.

Keys: the cache's KEY_FUNCTION (django_tenants.cache.make_key) puts the tenant's schema in every key, as sessions are
per tenant: a session key from one tenant finds nothing on another's host.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.db import connection
from django_tenants.utils import schema_context
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)

_stale_lock = threading.Lock()
# (schema, cache key) of the copies that could not be deleted or replaced while the cache was down: the schema too, as
# the cache's key function takes it from the connection, and the next session read may be another tenant's.
_stale_keys: set[tuple[str, str]] = set()


def _stale_remember(cache_key: str) -> None:
    with _stale_lock:
        _stale_keys.add((connection.schema_name, cache_key))


class SessionStore(CachedDBStore):
    def _cache_timeout(self, expiry_age_s: int) -> int:
        return max(0, min(expiry_age_s, settings.SESSION_CACHE_MAX_AGE_S))

    def _stale_delete(self) -> bool:
        """Deletes the copies left behind during an outage; False when the cache still cannot be reached (then the
        cache must not be read: one of them could be a signed-out session)."""
        if not _stale_keys:
            return True
        with _stale_lock:
            keys = list(_stale_keys)
        by_schema: dict[str, list[str]] = {}
        for schema, cache_key in keys:
            by_schema.setdefault(schema, []).append(cache_key)
        try:
            for schema, cache_keys in by_schema.items():
                with schema_context(schema):
                    self._cache.delete_many(cache_keys)
        except CACHE_ERRORS:
            logger.warning("Session cache unreachable: reading sessions from the database.", exc_info=True)
            return False
        with _stale_lock:
            _stale_keys.difference_update(keys)
        return True

    def load(self) -> dict[str, Any]:
        data = None
        if self._stale_delete():
            try:
                data = self._cache.get(self.cache_key)
            except CACHE_ERRORS:
                logger.warning("Session cache unreachable: reading the session from the database.", exc_info=True)
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._cache_write(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def _cache_write(self, cache_key: str, data: dict[str, Any], expiry_age_s: int) -> None:
        try:
            self._cache.set(cache_key, data, self._cache_timeout(expiry_age_s))
        except CACHE_ERRORS:
            logger.warning("Session cache unreachable: the session is kept in the database only.", exc_info=True)
            _stale_remember(cache_key)

    def exists(self, session_key: str) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except CACHE_ERRORS:
            logger.warning("Session cache unreachable: checking the session key in the database.", exc_info=True)
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(CachedDBStore, self).save(must_create)
        self._cache_write(self.cache_key, self._session, self.get_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        cache_key = self.cache_key_prefix + session_key
        try:
            self._cache.delete(cache_key)
        except CACHE_ERRORS:
            logger.warning("Session cache unreachable: the cached copy is deleted when it is back.", exc_info=True)
            _stale_remember(cache_key)
