"""Two-factor sign-in pages, the same on a tenant host (``/accounts/...``, for anyone who turns it on) and on the
public host (``/admin/...``, for staff, required when STAFF_TWO_FACTOR_REQUIRED).

Sign-in is two steps. The password form (accounts.views.LoginView, or StaffLoginView for admin) does not sign a user
with a device in: it remembers who passed the password for TWO_FACTOR_PENDING_SECONDS and sends them to the code
step, which signs them in only with a code from their app or a recovery code. Wrong codes count towards the
account's lockout like wrong passwords.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import get_public_schema_name

from accounts import two_factor
from accounts.lockout import attempt_failed, attempt_refused, user_account

PENDING_SESSION_KEY = "two_factor_pending"


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


def _on_public_host(request: HttpRequest) -> bool:
    return request.tenant.schema_name == get_public_schema_name()


def _login_url(request: HttpRequest) -> str:
    return reverse("admin:login") if _on_public_host(request) else reverse(settings.LOGIN_URL)


def _settings_url(request: HttpRequest) -> str:
    """Where the two-factor settings live: admin's front page for staff, the account page for everyone else."""
    return reverse("two_factor:setup") if _on_public_host(request) else reverse("accounts:account") + "#two-factor"


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """login_required with the host's own login page; on the public host, staff only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or (_on_public_host(request) and not user.is_staff):
            return redirect(f"{_login_url(request)}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------------------------------------------------
# Sign-in
# ---------------------------------------------------------------------------------------------------------------------
class TwoFactorLoginMixin:
    """For a LoginView: a user with two-factor sign-in passes the password, then the code step."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = form.get_user()
        if not two_factor.two_factor_enabled(user):
            return super().form_valid(form)  # type: ignore[misc]
        self.request.session.cycle_key()
        self.request.session[PENDING_SESSION_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),  # type: ignore[attr-defined]
            "started": time.time(),
        }
        return redirect("two_factor:code")


class StaffLoginView(TwoFactorLoginMixin, auth_views.LoginView):
    """The admin's own login page (its template and form), with the code step after the password."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"
    next_page = reverse_lazy("admin:index")
    redirect_authenticated_user = False  # a signed-in non-staff user sees the form, as on Django's admin

    def get_context_data(self, **kwargs: object) -> dict:
        from django.contrib import admin

        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Log in"),
            "app_path": self.request.get_full_path(),
        }


def _pending_user(request: HttpRequest) -> tuple[object, dict] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending.get("started", 0) > settings.TWO_FACTOR_PENDING_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return (user, pending) if user is not None else None


@sensitive_post_parameters("otp_token")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Your sign-in took too long. Please enter your password again."))
        return redirect(_login_url(request))
    user, pending = found
    account = user_account(user.get_username())
    refused = attempt_refused(request, account=account)
    if refused is not None:
        return refused
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.two_factor_verify(user=user, code=form.cleaned_data["otp_token"])
        if device is not None:
            del request.session[PENDING_SESSION_KEY]
            login(request, user, backend=pending["backend"])  # a new session id; resets this account's failures
            django_otp.login(request, device)
            next_url = pending["next"]
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = "/"
            return HttpResponseRedirect(next_url)
        attempt_failed(request, account=account)
        form.add_error("otp_token", _("This code is not right, or it has already been used."))
    return render(request, "accounts/two_factor/code.html", {"form": form, "login_url": _login_url(request)})


# ---------------------------------------------------------------------------------------------------------------------
# Settings: turn on, recovery codes, turn off
# ---------------------------------------------------------------------------------------------------------------------
def two_factor_context(user: object) -> dict:
    """The account page's "Two-factor sign-in" section."""
    return {
        "two_factor_enabled": two_factor.two_factor_enabled(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "two_factor_may_turn_off": not (settings.STAFF_TWO_FACTOR_REQUIRED and user.is_staff),
    }


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The only time the codes are shown: never cached, never stored in the session."""
    response = render(
        request, "accounts/two_factor/recovery_codes.html", {"codes": codes, "continue_url": _settings_url(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("otp_token")
@never_cache
@_signed_in
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Turn on: scan the QR code (or type the secret), confirm with a code, receive the recovery codes. Once on,
    this page manages it (staff use it; tenant users have the same section on their account page)."""
    user = request.user
    if two_factor.two_factor_enabled(user):
        return render(request, "accounts/two_factor/manage.html", two_factor_context(user))
    device = two_factor.totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_confirm(user=user, device=device, token=form.cleaned_data["otp_token"])
        if codes is not None:
            django_otp.login(request, device)  # this session has just shown the second factor
            messages.success(request, _("Two-factor sign-in is on."))
            return _show_recovery_codes(request, codes)
        form.add_error("otp_token", _("This code is not right. Check the time on your phone and try the next code."))
    context = {
        "form": form,
        "qr_svg": two_factor.totp_qr_svg(device, title=_("QR code to add CVPlus to your authenticator app")),
        "secret": two_factor.totp_secret(device),
        "required": _on_public_host(request) and settings.STAFF_TWO_FACTOR_REQUIRED,
    }
    return render(request, "accounts/two_factor/setup.html", context)


@never_cache
@_signed_in
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(request.user):
        return redirect(_settings_url(request))
    return _show_recovery_codes(request, two_factor.recovery_codes_regenerate(user=request.user))


@sensitive_post_parameters("otp_token")
@never_cache
@_signed_in
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turning it off takes a current code, so a session left open cannot remove the second factor."""
    user = request.user
    if not two_factor_context(user)["two_factor_may_turn_off"]:
        messages.error(request, _("Staff must keep two-factor sign-in on."))
        return redirect(_settings_url(request))
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.two_factor_verify(user=user, code=form.cleaned_data["otp_token"]) is not None:
        two_factor.two_factor_disable(user=user)
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _("Two-factor sign-in is still on: that code is not right."))
    return redirect(_settings_url(request))
