"""Sending one webhook delivery: signing, one bounded HTTP exchange, retries with backoff, and the attempt log.

A delivery is claimed before it is sent (a conditional UPDATE that moves its next attempt a lease ahead), so the task
queued after the commit and the periodic sweep (portal/tasks.py) never send it twice at once, and a worker that dies
mid-send leaves it to the sweep once the lease ends. Each try is recorded (WebhookAttempt): the status code or the
error, and the duration. A 2xx answer delivers it; anything else (another status, a redirect, which is not followed,
a refused target, a connection error, no answer within ``PORTAL_WEBHOOKS_TIMEOUT_MS`` for the whole exchange) is
tried again after about 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours (±20 % jitter), and fails after the
sixth try.

A delivery that a change caused is written without its body (portal/webhook_outbox.py); its first try builds it
(portal/webhook_bodies.py), or deletes it when there is nothing to send, before the endpoint is checked, so that a
delivery to an endpoint disabled meanwhile shows in the log, with its body, as not sent.

The signature (``CVPlus-Signature: t=<unix time>,v1=<hex>``) is the HMAC-SHA256 of ``"<t>.<body>"`` keyed with the
endpoint's secret, as Stripe signs its webhooks; the API docs show a receiver how to check it (portal/api/schema.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import re
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.redis_client import REDIS_ERRORS
from portal.models import WebhookAttempt, WebhookDelivery
from portal.webhook_bodies import webhook_body_build
from portal.webhook_targets import Target, webhook_connect, webhook_target_resolve

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.2
CLAIM_LEASE = timedelta(minutes=2)  # well above the longest exchange (PORTAL_WEBHOOKS_TIMEOUT_MS)
STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3})[ \r]")
MAX_STATUS_LINE_BYTES = 1024
USER_AGENT = "CVPlus-Webhooks/1.0"
# Set (per schema: the cache's key function adds it) by the change that sent a dispatch, cleared by that dispatch:
# portal/webhook_outbox.py, ``webhook_deliveries_kick``. The time to live bounds how long a lost dispatch holds it.
KICK_CACHE_KEY = "portal:webhooks:kicked"
KICK_TTL_S = 60

# Errors are stored as "<kind>|<detail>" and worded when shown, in the reader's language (webhook_error_text).
TIMEOUT, CONNECT, TLS, TARGET, NOT_HTTP, REDIRECT, HTTP_STATUS, DISABLED = (
    "timeout",
    "connect",
    "tls",
    "target",
    "not_http",
    "redirect",
    "http",
    "disabled",
)
_jitter = random.SystemRandom()


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str  # "<kind>|<detail>", empty when delivered
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent: the stored envelope as compact JSON with sorted keys (the same bytes on every replay)."""
    return json.dumps(delivery.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The CVPlus-Signature header's value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _request_bytes(target: Target, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.host_header}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("ascii") + body


def _status_read(sock: socket.socket, deadline: float) -> int:
    received = b""
    while b"\n" not in received and len(received) < MAX_STATUS_LINE_BYTES:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = sock.recv(MAX_STATUS_LINE_BYTES)
        if not chunk:
            break
        received += chunk
    match = STATUS_LINE.match(received)
    if match is None:
        raise ValueError(received[:60].decode("latin-1"))
    return int(match.group(1))


def webhook_post(*, url: str, headers: dict[str, str], body: bytes) -> Outcome:
    """One POST of `body` to `url`, checked again (DNS rebinding), connecting only to a checked address; reads no
    more than the status line; gives up when PORTAL_WEBHOOKS_TIMEOUT_MS has passed in all."""
    started = time.monotonic()
    deadline = started + settings.PORTAL_WEBHOOKS_TIMEOUT_MS / 1000

    def outcome(status_code: int | None, error: str = "") -> Outcome:
        return Outcome(status_code, error[:300], int((time.monotonic() - started) * 1000))

    try:
        target = webhook_target_resolve(url)
    except ValidationError as refusal:
        return outcome(None, f"{TARGET}|{refusal.messages[0]}")
    try:
        sock = webhook_connect(target, max(deadline - time.monotonic(), 0.001))
        try:
            if target.scheme == "https":
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=target.host)
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
            sock.sendall(_request_bytes(target, headers, body))
            status_code = _status_read(sock, deadline)
        finally:
            sock.close()
    except TimeoutError:
        return outcome(None, f"{TIMEOUT}|{settings.PORTAL_WEBHOOKS_TIMEOUT_MS}")
    except ssl.SSLError as failure:
        return outcome(None, f"{TLS}|{failure.reason or failure}")
    except OSError as failure:
        return outcome(None, f"{CONNECT}|{failure.strerror or failure}")
    except ValueError as failure:
        return outcome(None, f"{NOT_HTTP}|{failure}")
    if 300 <= status_code < 400:
        return outcome(status_code, f"{REDIRECT}|")
    if not 200 <= status_code < 300:
        return outcome(status_code, f"{HTTP_STATUS}|")
    return outcome(status_code)


def webhook_error_text(error: str) -> str:
    """A stored error ("<kind>|<detail>") in words, in the active language."""
    kind, _sep, detail = error.partition("|")
    if kind == TIMEOUT:
        return _("No answer within %(seconds)s seconds.") % {"seconds": round(int(detail or 0) / 1000, 1)}
    if kind == CONNECT:
        return _("Could not connect: %(detail)s.") % {"detail": detail}
    if kind == TLS:
        return _("The secure connection failed: %(detail)s.") % {"detail": detail}
    if kind == TARGET:
        return detail
    if kind == NOT_HTTP:
        return _("The answer was not HTTP.")
    if kind == REDIRECT:
        return _("The endpoint answered with a redirect, which is not followed: give the final URL.")
    if kind == HTTP_STATUS:
        return _("The endpoint did not answer with a 2xx status.")
    if kind == DISABLED:
        return _("Not sent: the endpoint was disabled.")
    return error


def webhook_retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed try a delivery is tried again (with jitter)."""
    base = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    return base * _jitter.uniform(1 - JITTER, 1 + JITTER)


def webhook_kick_clear() -> None:
    """Lets the next change send a dispatch again (portal/tasks.py, before the dispatch lists what is due)."""
    try:
        cache.delete(KICK_CACHE_KEY)
    except REDIS_ERRORS:
        logger.warning("Could not clear the webhook dispatch flag; it expires within %d s", KICK_TTL_S)


def webhook_deliveries_due() -> list[int]:
    """Ids of the deliveries whose next try is due (new ones whose message was lost included)."""
    due = WebhookDelivery.objects.filter(
        status__in=(Status.PENDING, Status.RETRYING), next_attempt_at__lte=timezone.now()
    )
    return list(due.order_by("next_attempt_at").values_list("id", flat=True)[:500])


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=(Status.PENDING, Status.RETRYING), next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return WebhookDelivery.objects.select_related("endpoint", "domain_event").get(pk=delivery_id)


def webhook_delivery_send(delivery_id: int) -> str | None:
    """Tries the delivery once if it is due and this call wins the claim, building its body first if it has none;
    returns its new status, or None when there was nothing to do (nor to send: the delivery is then deleted)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    if not delivery.payload:
        delivery.payload = webhook_body_build(delivery)
        if delivery.payload is None:
            return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED, last_error=f"{DISABLED}|", attempts=F("attempts") - 1
        )
        return Status.FAILED
    body = webhook_body(delivery)
    headers = {
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        "CVPlus-Event": delivery.event,
        "CVPlus-Delivery": str(delivery.pk),
        "CVPlus-Signature": webhook_signature(secret=endpoint.secret, timestamp=int(time.time()), body=body),
    }
    outcome = webhook_post(url=endpoint.url, headers=headers, body=body)
    return _outcome_record(delivery, outcome)


def _outcome_record(delivery: WebhookDelivery, outcome: Outcome) -> str:
    now = timezone.now()
    if outcome.delivered:
        status, next_attempt_at = Status.DELIVERED, now
    elif delivery.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = Status.FAILED, now
    else:
        status, next_attempt_at = Status.RETRYING, now + webhook_retry_delay(delivery.attempts)
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            attempted_at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=status,
            next_attempt_at=next_attempt_at,
            last_status_code=outcome.status_code,
            last_error=outcome.error,
            last_duration_ms=outcome.duration_ms,
            delivered_at=now if outcome.delivered else None,
        )
    return status
