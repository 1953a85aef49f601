"""Revoked API keys refused in every process within a second, by a message through Redis.

Each web process keeps the keys it looked up in memory (billing/api_keys.py) and trusts that memory only while it
hears Redis: a listener thread subscribes to the changes channel and pings Redis every PING_INTERVAL_S. A message on
the channel (a key, licensee or plan changed, published after its transaction commits) empties the memory. Redis
delivers messages and replies on one connection in order, so a reply heard at t means every message published before
the ping was already handled; the memory is trusted only while the last reply is younger than HEARD_WITHIN_S. Past
that (Redis down, restarting, unreachable, or the thread starved) every request reads PostgreSQL, and once the
listener hears Redis again the memory starts empty, since a message may have been missed meanwhile.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import redis
from django.db import connection, transaction

from billing.redis_client import REDIS_ERRORS, redis_client, redis_client_of_its_own, redis_failed, redis_url

logger = logging.getLogger(__name__)

PING_INTERVAL_S = 0.25
HEARD_WITHIN_S = 0.75
RECONNECT_DELAY_S = 0.5


def _channel() -> str:
    return f"billing:api-keys:changed:{connection.settings_dict['NAME']}"


class _Listener:
    """One subscription per process, Redis server and channel, in a daemon thread."""

    def __init__(self, client: redis.Redis, channel: str, on_change: Callable[[], None]) -> None:
        self.client, self.channel, self.on_change = client, channel, on_change
        self.heard_at = float("-inf")
        self.thread = threading.Thread(target=self._run, name="cvplus-api-key-changes", daemon=True)

    def heard(self) -> bool:
        return time.monotonic() - self.heard_at < HEARD_WITHIN_S

    def _run(self) -> None:
        deaf_logged = False
        while True:
            pubsub = self.client.pubsub()
            try:
                pubsub.subscribe(self.channel)
                self._listen(pubsub)
            except REDIS_ERRORS as error:
                self.heard_at = float("-inf")
                if not deaf_logged:
                    logger.warning("API key changes not heard (%s): keys are read from PostgreSQL.", error)
                deaf_logged = True
            finally:
                try:
                    pubsub.close()
                except REDIS_ERRORS:
                    pass
            time.sleep(RECONNECT_DELAY_S)

    def _listen(self, pubsub: redis.client.PubSub) -> None:
        pinged_at = float("-inf")
        while True:
            message = pubsub.get_message(timeout=PING_INTERVAL_S)
            if message is not None:
                # A change, or a new subscription (a change may have been missed before it).
                if message["type"] in ("subscribe", "message"):
                    self.on_change()
                self.heard_at = time.monotonic()  # after forgetting: the memory is trusted from here on
            if time.monotonic() - pinged_at >= PING_INTERVAL_S:
                pubsub.ping()
                pinged_at = time.monotonic()


_listeners: dict[tuple[int, str, str], _Listener] = {}
_listeners_lock = threading.Lock()


def api_key_changes_heard(on_change: Callable[[], None]) -> bool:
    """True while this process hears changes through Redis (then `on_change` runs on each one); False when Redis is
    not configured or not heard lately: the caller reads PostgreSQL. Starts the listener on first use."""
    url = redis_url()
    if url is None:
        return False
    key = (os.getpid(), url, _channel())  # a forked process starts its own thread
    listener = _listeners.get(key)
    if listener is None:
        with _listeners_lock:
            listener = _listeners.get(key)
            if listener is None:
                listener = _listeners[key] = _Listener(redis_client_of_its_own(), key[2], on_change)
                listener.thread.start()
    return listener.heard()


def api_key_changes_publish() -> None:
    """Tells every process to forget the keys it holds, once the current transaction commits."""
    transaction.on_commit(_publish)


def _publish() -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.publish(_channel(), "changed")
    except REDIS_ERRORS as error:  # a Redis that is down is not heard by the others either: they read PostgreSQL
        redis_failed(client, error)
        logger.warning("An API key change was not published (%s).", error)
