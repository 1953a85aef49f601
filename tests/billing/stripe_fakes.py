"""Stripe without the network, for billing tests: a recording HTTP client plugged into the real library, builders of
events in Stripe's real JSON shapes (API version 2025-03-31 and later: the billing period lives on subscription
items, an invoice names its subscription under `parent.subscription_details`), and a signer using Stripe's real scheme.

Every id and amount here is SIMULATED test data, not taken from any Stripe account.

Usage::

    client = RecordingHTTPClient({("GET", "/v1/events"): events_list([event])})
    with use_recording_client(client):
        ...  # code calling billing.stripe_client.stripe_client()
    assert client.requests[0].path == "/v1/events"
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

API_VERSION = "2025-03-31.basil"
WEBHOOK_SECRET = "whsec_test_simulated_secret_for_cvplus_tests"
SECRET_KEY = "sk_test_simulated_key_for_cvplus_tests"

_sequence = itertools.count(1)
_sequence_lock = threading.Lock()


def stripe_id(prefix: str) -> str:
    """A unique id with Stripe's prefix (`evt`, `cus`, `sub`, `in`, `cs_test`, ...)."""
    with _sequence_lock:
        number = next(_sequence)
    return f"{prefix}_SIM{number:08d}{int(time.time() * 1000) % 100000:05d}"


# ---------------------------------------------------------------------------------------------------------------------
# Recording HTTP client
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    method: str  # upper case
    path: str  # e.g. "/v1/events"
    query: dict[str, str]  # flattened the way Stripe encodes it: {"created[gte]": "1700000000", "limit": "100"}
    form: dict[str, str]  # the form-encoded POST body, flattened the same way
    headers: dict[str, str]


@dataclass
class CannedResponse:
    """A response with a status other than 200, e.g. a Stripe error body with 402 or 404."""

    body: dict
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class RecordingHTTPClient(stripe.HTTPClient):
    """Serves canned JSON for ``(METHOD, path)`` and records every request.

    A value in ``responses`` is a dict (served on every call), a `CannedResponse`, or a list of those served in turn
    (the last one repeats): a list models pagination or a changing object. A request with no canned response gets
    Stripe's 404 `resource_missing` error, so a test notices an unexpected call instead of passing silently.
    """

    name = "recording"

    def __init__(self, responses: dict[tuple[str, str], Any] | None = None) -> None:
        super().__init__()
        self.responses: dict[tuple[str, str], Any] = {
            (method.upper(), path): value for (method, path), value in (responses or {}).items()
        }
        self.requests: list[RecordedRequest] = []
        self._served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        key = (method.upper(), parts.path)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method=key[0],
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    form=dict(parse_qsl(body, keep_blank_values=True)),
                    headers=dict(headers or {}),
                )
            )
            canned = self.responses.get(key)
            if isinstance(canned, list):
                index = self._served.get(key, 0)
                self._served[key] = index + 1
                canned = canned[min(index, len(canned) - 1)]
        if canned is None:
            canned = CannedResponse(
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": f"No canned response for {key[0]} {parts.path}",
                    }
                },
                status=404,
            )
        if not isinstance(canned, CannedResponse):
            canned = CannedResponse(canned)
        response_headers = {"Request-Id": stripe_id("req"), "Stripe-Version": API_VERSION, **canned.headers}
        return json.dumps(canned.body), canned.status, response_headers

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise NotImplementedError("RecordingHTTPClient does not stream")

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------------------------------------------
# Objects and events in Stripe's shapes
# ---------------------------------------------------------------------------------------------------------------------


def price_object(price_id: str, *, unit_amount: int = 1900, interval: str = "month", currency: str = "usd") -> dict:
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": 1700000000,
        "currency": currency,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": "prod_SIMcvpluspremium",
        "recurring": {"interval": interval, "interval_count": 1, "meter": None, "usage_type": "licensed"},
        "tax_behavior": "unspecified",
        "type": "recurring",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def subscription_object(
    *,
    subscription_id: str,
    customer_id: str,
    price_id: str,
    status: str = "active",
    period_start: int = 1700000000,
    period_end: int = 1702592000,
    cancel_at_period_end: bool = False,
    metadata: dict | None = None,
) -> dict:
    item_id = f"si_{subscription_id.removeprefix('sub_')}"
    return {
        "id": subscription_id,
        "object": "subscription",
        "application": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": period_start,
        "cancel_at": period_end if cancel_at_period_end else None,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": None,
        "collection_method": "charge_automatically",
        "created": period_start,
        "currency": "usd",
        "customer": customer_id,
        "default_payment_method": None,
        "description": None,
        "discounts": [],
        "ended_at": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": item_id,
                    "object": "subscription_item",
                    "created": period_start,
                    "current_period_end": period_end,
                    "current_period_start": period_start,
                    "discounts": [],
                    "metadata": {},
                    "price": price_object(price_id),
                    "quantity": 1,
                    "subscription": subscription_id,
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={subscription_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata or {},
        "start_date": period_start,
        "status": status,
        "trial_end": None,
        "trial_start": None,
    }


def checkout_session_object(
    *, customer_id: str, subscription_id: str, metadata: dict | None = None, client_reference_id: str | None = None
) -> dict:
    return {
        "id": stripe_id("cs_test"),
        "object": "checkout.session",
        "amount_subtotal": 1900,
        "amount_total": 1900,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "cancel_url": "http://alpha.localhost/billing/plans/",
        "client_reference_id": client_reference_id,
        "created": 1700000000,
        "currency": "usd",
        "customer": customer_id,
        "customer_details": {"email": "owner@alpha.example", "name": None, "tax_exempt": "none", "tax_ids": []},
        "customer_email": None,
        "livemode": False,
        "metadata": metadata or {},
        "mode": "subscription",
        "payment_intent": None,
        "payment_status": "paid",
        "status": "complete",
        "subscription": subscription_id,
        "success_url": "http://alpha.localhost/billing/success/",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "url": None,
    }


def invoice_object(
    *, customer_id: str, subscription_id: str, status: str = "paid", amount_due: int = 1900, invoice_id: str = ""
) -> dict:
    paid = status == "paid"
    return {
        "id": invoice_id or stripe_id("in"),
        "object": "invoice",
        "account_country": "US",
        "amount_due": amount_due,
        "amount_paid": amount_due if paid else 0,
        "amount_remaining": 0 if paid else amount_due,
        "attempt_count": 1,
        "attempted": True,
        "billing_reason": "subscription_cycle",
        "collection_method": "charge_automatically",
        "created": 1700000000,
        "currency": "usd",
        "customer": customer_id,
        "hosted_invoice_url": "https://invoice.stripe.com/i/SIMULATED",
        "livemode": False,
        "metadata": {},
        "number": "SIM-0001",
        "parent": {
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": subscription_id},
            "type": "subscription_details",
        },
        "period_end": 1702592000,
        "period_start": 1700000000,
        "status": status,
        "status_transitions": {"paid_at": 1700000100 if paid else None},
        "total": amount_due,
    }


def event(event_type: str, data_object: dict, *, created: int, event_id: str = "", previous: dict | None = None):
    """A v1 snapshot event as Stripe POSTs it to a webhook endpoint."""
    data: dict[str, Any] = {"object": data_object}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "id": event_id or stripe_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def events_list(events: list[dict], *, has_more: bool = False) -> dict:
    """The body of GET /v1/events: newest first, as Stripe lists them."""
    return {
        "object": "list",
        "data": sorted(events, key=lambda e: e["created"], reverse=True),
        "has_more": has_more,
        "url": "/v1/events",
    }


# ---------------------------------------------------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------------------------------------------------


def signed(payload: dict | str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[str, str]:
    """Returns (body, Stripe-Signature header) signed the way Stripe signs: v1 = HMAC-SHA256 of "<t>.<body>"."""
    body = payload if isinstance(payload, str) else json.dumps(payload, indent=2)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body, header
