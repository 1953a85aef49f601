"""DRF authentication by organisation API token (``Authorization: Bearer cvo_…``) and the token's scope.

The token is looked up in the current schema only (portal/tokens.py): another organisation's token, a revoked one,
or one whose creator is no longer an active administrator is a 401. ``request.user`` is the administrator who
created the token, so every access rule (portal/access.py) applies to a token exactly as to that person's session;
``request.auth`` is the token. A read token may only read (:class:`TokenScopeAllows`, a 403 saying why).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.models import User
from portal.models import ApiToken
from portal.tokens import TOKEN_KIND, api_token_authenticate

INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code, not a secret
READ_ONLY_TOKEN = "read_only_token"  # noqa: S105 - an error code


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, credentials = header.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != self.keyword.lower() or not credentials.startswith(TOKEN_KIND):
            return None  # not ours: the session (or nothing) decides
        token = api_token_authenticate(credentials)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The API token is invalid, has been revoked, or its administrator no longer has access."),
                code=INVALID_TOKEN,
            )
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="organisation-api"'


class TokenScopeAllows(BasePermission):
    """A read token reads only; a read-and-write token (or a signed-in session) may also write."""

    message = _("This API token may only read. Create a token with read and write access to make changes.")
    code = READ_ONLY_TOKEN

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in SAFE_METHODS:
            return True
        return token.scope == ApiToken.Scope.READ_WRITE


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema (drf-spectacular finds extensions by subclassing)."""

    target_class = "portal.api_auth.ApiTokenAuthentication"
    name = "organisationApiToken"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cvo_…",
            "description": str(
                _(
                    "An organisation API token (cvo_…), created by an administrator under Programme → API tokens and "
                    "sent as “Authorization: Bearer cvo_…”. It acts as that administrator, on this organisation's "
                    "host only. Read tokens may use GET only; read and write tokens may also change data."
                )
            ),
        }
