"""Staff reach admin only through a second factor when STAFF_TWO_FACTOR_REQUIRED (production settings)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import two_factor_enabled

ADMIN_NAMESPACE = "admin"
_OPEN_ADMIN_VIEWS = {"login", "logout"}


class StaffTwoFactorMiddleware:
    """A staff user whose session has not shown a second factor is sent to enrol (no device yet) or to sign in again
    (a device, but this session signed in without it, e.g. before the setting was turned on). Only admin views are
    guarded: the two-factor pages themselves stay open to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: tuple, view_kwargs: dict):
        if not settings.STAFF_TWO_FACTOR_REQUIRED:
            return None
        match = request.resolver_match
        if match is None or match.namespace != ADMIN_NAMESPACE or match.url_name in _OPEN_ADMIN_VIEWS:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        if two_factor_enabled(user):
            logout(request)
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        return redirect("two_factor:setup")
