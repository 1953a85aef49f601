"""A webhook receiver to try webhooks with on a development machine: /portal/webhooks/inbox/ (``PORTAL_WEBHOOKS_INBOX``,
on in local settings only; a 404 everywhere else).

CVPlus's worker POSTs to it like to any receiver; it checks the signature as the API docs tell a receiver to (HMAC-
SHA256 of "<t>.<body>" with the endpoint's secret, compared in constant time, timestamp within five minutes) and
keeps the last deliveries it heard in the cache, which administrators read at the same address. It finds the secret
through the CVPlus-Delivery header: a real receiver knows its secret; this one lives next to the database that holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from billing.redis_client import REDIS_ERRORS
from portal import access
from portal.models import WebhookDelivery

logger = logging.getLogger(__name__)

INBOX_CACHE_KEY = "portal:webhooks:inbox"
INBOX_KEEP = 20
INBOX_TTL_S = 24 * 3600
MAX_BODY_BYTES = 256 * 1024
SIGNATURE_TOLERANCE_S = 300


def signature_valid(*, body: bytes, header: str, secret: str, now: float | None = None) -> bool:
    """What a receiver checks: the v1 signature of "<t>.<body>" under `secret`, with t within five minutes."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs((now or time.time()) - timestamp) <= SIGNATURE_TOLERANCE_S
    return fresh and hmac.compare_digest(expected, given)


def _secret_for(request: HttpRequest) -> str | None:
    """The secret of the endpoint the delivery named in CVPlus-Delivery was sent to, if that endpoint is this inbox."""
    delivery_id = request.headers.get("CVPlus-Delivery", "")
    if not delivery_id.isdigit():
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=int(delivery_id)).first()
    if delivery is None or not delivery.endpoint.url.rstrip("/").endswith(reverse("portal:webhook_inbox").rstrip("/")):
        return None
    return delivery.endpoint.secret


def _received() -> list[dict]:
    try:
        return cache.get(INBOX_CACHE_KEY) or []
    except REDIS_ERRORS:
        return []


def _receive(request: HttpRequest) -> HttpResponse:
    body = request.body[: MAX_BODY_BYTES + 1]
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse({"received": False}, status=413)
    secret = _secret_for(request)
    valid = secret is not None and signature_valid(
        body=body, header=request.headers.get("CVPlus-Signature", ""), secret=secret
    )
    try:
        shown = json.dumps(json.loads(body), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        shown = body.decode("utf-8", "replace")
    entry = {
        "received_at": timezone.now().isoformat(),
        "event": request.headers.get("CVPlus-Event", "")[:40],
        "delivery": request.headers.get("CVPlus-Delivery", "")[:20],
        "signature_valid": valid,
        "body": shown[:20_000],
    }
    try:
        cache.set(INBOX_CACHE_KEY, [entry, *_received()][:INBOX_KEEP], INBOX_TTL_S)
    except REDIS_ERRORS:
        logger.warning("The test inbox could not keep a request: the cache does not answer")
    return JsonResponse({"received": True, "signature_valid": valid}, status=200 if valid else 400)


@access.portal_view(access.can_manage_integrations)
def _inbox_page(request: HttpRequest) -> HttpResponse:
    entries = _received()
    for entry in entries:
        entry["received_at"] = datetime.fromisoformat(entry["received_at"])
    return render(request, "portal/integrations/inbox.html", {"entries": entries})


@csrf_exempt  # webhooks are posted by CVPlus's worker, which has no session: the signature is the check
def webhook_inbox(request: HttpRequest) -> HttpResponse:
    if not settings.PORTAL_WEBHOOKS_INBOX or not access.is_enterprise():
        raise Http404
    if request.method == "POST":
        return _receive(request)
    if request.method == "GET":
        return _inbox_page(request)
    return HttpResponse(status=405, headers={"Allow": "GET, POST"})
