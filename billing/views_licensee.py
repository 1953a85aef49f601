"""The licensee's page on the public host (billing/licensee_portal.py): sign in with an API key, see usage and quota,
sign out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.lockout import attempt_failed, attempt_refused, attempt_succeeded, licensee_account
from billing.api_keys import api_key_authenticate
from billing.licensee_portal import SESSION_KEY, signed_in_key, usage_context


class LicenseeSignInForm(forms.Form):
    api_key = forms.CharField(
        label=gettext_lazy("API key"),
        strip=True,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy("Any of your organisation's live keys (they start with cvp_live_)."),
    )

    def clean_api_key(self) -> str:
        raw = self.cleaned_data["api_key"]
        self.key = api_key_authenticate(raw)
        if self.key is None:
            raise forms.ValidationError(_("This API key is unknown or has been revoked."), code="invalid_api_key")
        return raw


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if signed_in_key(request.session) is not None:
        return redirect("licensee:usage")
    form = LicenseeSignInForm(request.POST or None)
    if request.method == "POST":
        # Locked out per key prefix and per IP address, like a user's password (accounts/lockout.py).
        account = licensee_account(request.POST.get("api_key", ""))
        if (refused := attempt_refused(request, account=account)) is not None:
            return refused
        if form.is_valid():
            attempt_succeeded(request, account=account)
            request.session.cycle_key()  # a new session id on sign-in: no fixation
            request.session[SESSION_KEY] = form.key.pk
            return redirect("licensee:usage")
        attempt_failed(request, account=account)
    return render(request, "billing/licensee_signin.html", {"form": form})


@require_GET
def usage(request: HttpRequest) -> HttpResponse:
    had_key = SESSION_KEY in request.session
    key = signed_in_key(request.session)
    if key is None:
        if had_key:
            messages.warning(request, _("The key you signed in with has been revoked. Sign in with another key."))
        return redirect("licensee:signin")
    return render(request, "billing/licensee_usage.html", usage_context(key))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, _("You are signed out of the API licensee page."))
    return redirect("licensee:signin")
