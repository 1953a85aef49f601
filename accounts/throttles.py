"""Throttles for password resets and sign-ups: at most so many an hour per e-mail address and per IP address.

Counted in the cache in fixed windows; keys carry the tenant's schema (django_tenants.cache.make_key, the cache's
KEY_FUNCTION) and only a hash of the e-mail address. Every request counts whether or not the address has an account,
so neither the counting nor the answer says which addresses exist. When the cache cannot be reached the request goes
through and the outage is logged: a throttle must never turn a page into a 500.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from redis.exceptions import RedisError

from accounts.lockout import client_ip
from accounts.models import email_normalize

logger = logging.getLogger(__name__)
HOUR_S = 3600


def window_hit(*, scope: str, ident: str, limit: int, window_s: int = HOUR_S) -> int | None:
    """Counts one request in the current fixed window of ``window_s`` seconds. Returns the seconds until the window
    ends when this request makes more than ``limit``, else None (also when the cache is unreachable)."""
    now = time.time()
    window = int(now // window_s)
    key = f"throttle:{scope}:{window}:{ident}"
    try:
        count = _count(key, timeout_s=window_s + 60)
    except (RedisError, OSError):
        logger.warning("Throttle %s not applied: the cache is unreachable.", scope, exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * window_s - now))


def _count(key: str, *, timeout_s: int) -> int:
    """Adds one to the counter at ``key`` (created with a ``timeout_s`` expiry) and returns its new value.

    On Redis in one round trip: SET NX then INCR in a pipeline, both atomic, so concurrent first requests of a window
    all count. Django's RedisCache.incr costs two (EXISTS, then INCRBY), and this runs on every API request. Other
    cache backends (development's local memory) go through the cache API."""
    backend = caches["default"]  # the backend itself: ``cache`` is a proxy that isinstance() cannot see through
    if isinstance(backend, RedisCache):
        redis_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(redis_key, write=True)
        # The counter is stored as a bare integer, as RedisCache stores ints (its serializer leaves them as they are).
        _created, count = (
            client.pipeline(transaction=False).set(redis_key, 0, nx=True, ex=timeout_s).incr(redis_key).execute()
        )
        return int(count)
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request (or two at once: then add() fails for one of them)
        return 1 if cache.add(key, 1, timeout=timeout_s) else cache.incr(key)


def _email_ident(email: str) -> str:
    return hashlib.sha256(email_normalize(email).encode()).hexdigest()[:32]


def throttled_response(request: HttpRequest, *, seconds_left: int) -> HttpResponse:
    response = TemplateResponse(
        request, "accounts/throttled.html", {"minutes_left": math.ceil(seconds_left / 60)}, status=429
    )
    response["Retry-After"] = str(seconds_left)
    return response.render()


def password_reset_refused(request: HttpRequest) -> HttpResponse | None:
    """A 429 page when this IP address has asked for too many password resets, else None."""
    seconds = window_hit(
        scope="password-reset:ip", ident=client_ip(request) or "", limit=settings.PASSWORD_RESETS_PER_IP_PER_HOUR
    )
    return None if seconds is None else throttled_response(request, seconds_left=seconds)


def password_reset_email_allowed(email: str) -> bool:
    """False when this address has had its hour's reset e-mails. The caller then shows the usual "sent" page and
    sends nothing: the owner already has links from this hour, and any other answer would tell whoever is sending
    the requests something."""
    over = window_hit(
        scope="password-reset:email", ident=_email_ident(email), limit=settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR
    )
    return over is None


def signup_refused(request: HttpRequest) -> HttpResponse | None:
    """A 429 page when this IP address or the posted e-mail address has tried to sign up too often, else None.
    Call it first thing on a POST to the sign-up page."""
    seconds = window_hit(scope="signup:ip", ident=client_ip(request) or "", limit=settings.SIGNUPS_PER_IP_PER_HOUR)
    email = request.POST.get("email", "")
    if seconds is None and email:
        seconds = window_hit(scope="signup:email", ident=_email_ident(email), limit=settings.SIGNUPS_PER_EMAIL_PER_HOUR)
    return None if seconds is None else throttled_response(request, seconds_left=seconds)
