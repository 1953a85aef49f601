"""DRF throttles for the tenant API: per signed-in user, and per IP address for anonymous callers.

Fixed windows counted in the cache (accounts.throttles.window_hit), keyed by the tenant's schema as well as the user
or address: user ids repeat across tenants. The rates are settings.API_THROTTLE_RATES, read on each request. On the
public host they do nothing: the licensee API has its own per-key rate and quota (billing/metering.py). When the
cache cannot be reached, requests go through and the outage is logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.lockout import client_ip
from accounts.throttles import window_hit

if TYPE_CHECKING:  # importing DRF's views here would be circular: DRF imports this module from its settings
    from rest_framework.views import APIView

_PERIOD_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """``"1200/minute"`` → (1200, 60), as DRF reads rates."""
    count, period = rate.split("/")
    return int(count), _PERIOD_S[period[0]]


class _TenantThrottle(BaseThrottle):
    scope = ""

    def identity(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.seconds_left: int | None = None
        schema = connection.schema_name
        identity = self.identity(request)
        if schema == get_public_schema_name() or identity is None:
            return True
        limit, window_s = rate_parse(settings.API_THROTTLE_RATES[self.scope])
        self.seconds_left = window_hit(
            scope=f"api:{self.scope}", ident=f"{schema}:{identity}", limit=limit, window_s=window_s
        )
        return self.seconds_left is None

    def wait(self) -> float | None:
        return self.seconds_left


class TenantUserThrottle(_TenantThrottle):
    scope = "tenant_user"

    def identity(self, request: Request) -> str | None:
        return str(request.user.pk) if request.user and request.user.is_authenticated else None


class TenantAnonThrottle(_TenantThrottle):
    scope = "tenant_anon"

    def identity(self, request: Request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return client_ip(request) or "unknown"
