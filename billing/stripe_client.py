"""The one way CVPlus talks to Stripe: `stripe_client()` builds a `stripe.StripeClient` from settings.

Tests never reach the network: `use_recording_client(client)` swaps in an HTTP client (a subclass of the library's
own `HTTPClient`) for every client built inside the block, so requests still go through the real library's encoding,
retries and response parsing. The override is process-wide rather than context-local on purpose: webhook tests
deliver events from several threads at once and each must see the same fake.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_NETWORK_RETRIES = 2

_override_lock = threading.Lock()
_http_client_override: stripe.HTTPClient | None = None


class BillingNotConfigured(ImproperlyConfigured):
    """Raised when code needs Stripe but STRIPE_SECRET_KEY is empty (development without billing)."""


def billing_configured() -> bool:
    """True when a Stripe secret key is set: checkout, portal and reconcile need it; plan pages work without."""
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_configured() -> bool:
    """True when a webhook signing secret is set; without it every delivery is refused (fail closed)."""
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient:
    """A client for the configured account, using the injected HTTP client when a test installed one.

    Raises BillingNotConfigured when STRIPE_SECRET_KEY is empty, so no caller can reach Stripe with an empty key.
    """
    if not billing_configured():
        raise BillingNotConfigured("STRIPE_SECRET_KEY is not set: billing is not configured.")
    api_base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=_http_client_override,
        max_network_retries=MAX_NETWORK_RETRIES,
        base_addresses={"api": api_base} if api_base else None,
    )


@contextmanager
def use_recording_client(client: stripe.HTTPClient) -> Iterator[stripe.HTTPClient]:
    """Every `stripe_client()` built inside the block sends its requests to ``client`` instead of the network."""
    global _http_client_override
    with _override_lock:
        previous, _http_client_override = _http_client_override, client
    try:
        yield client
    finally:
        with _override_lock:
            _http_client_override = previous
