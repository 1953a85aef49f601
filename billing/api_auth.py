"""DRF authentication by licensee API key: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.

Only the licensee endpoints use it (predictions/api/licensee.py), and they use nothing else: a session cookie, whether a
tenant's or staff's, never authenticates there. A missing, unknown or revoked key is a 401; an inactive licensee's
valid key is a 403 (the key is right, the licence is not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from billing.api_keys import api_key_authenticate, api_key_used
from billing.models import ApiKey, Licensee

INVALID_KEY = "invalid_api_key"
INACTIVE_LICENSEE = "licensee_inactive"


@dataclass(frozen=True)
class LicenseePrincipal:
    """`request.user` on the licensee API: the organisation, never a person with a session."""

    licensee: Licensee
    api_key: ApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_staff: bool = False
    pk: None = None


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[LicenseePrincipal, ApiKey] | None:
        raw = self._raw_key(request)
        if raw is None:
            return None  # no key: the permission answers 401 with WWW-Authenticate
        key = api_key_authenticate(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("The API key is invalid or has been revoked."), code=INVALID_KEY)
        api_key_used(key)  # "last used" is the last API call, not a sign-in to the licensee page
        return LicenseePrincipal(licensee=key.licensee, api_key=key), key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'

    def _raw_key(self, request: Request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, credentials = header.partition(" ")
        if scheme.lower() == self.keyword.lower() and credentials.strip():
            return credentials.strip()
        api_key = request.META.get("HTTP_X_API_KEY", "").strip()
        return api_key or None


class HasActiveLicence(BasePermission):
    """A key was presented (else 401) and its licensee is active (else 403)."""

    message = _("This API licence is inactive. Please contact CVPlus.")
    code = INACTIVE_LICENSEE

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated()
        return request.auth.licensee.is_active


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the key in the OpenAPI schema (drf-spectacular finds extensions by subclassing)."""

    target_class = "billing.api_auth.ApiKeyAuthentication"
    name = "licenseeApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A licensee API key: Authorization: Bearer cvp_live_... (or a test key, cvp_test_...). The same "
                    "key is also accepted in the X-API-Key header."
                )
            ),
        }
