"""The licensee's page on the public host (billing/licensee_portal.py): sign in with an API key, see usage and quota,
rotate a key or create a test key (the new secret is shown once, in the answer to the POST, and never stored), sign
out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.lockout import attempt_failed, attempt_refused, attempt_succeeded, licensee_account
from billing.api_keys import ROTATION_GRACE, api_key_authenticate, api_key_is_live, api_key_issue, api_key_rotate
from billing.licensee_portal import SESSION_KEY, key_for_licensee, live_keys_count, signed_in_key, usage_context
from billing.models import ApiKey

MAX_LIVE_KEYS = 20  # per licensee, test keys included: rotations and test keys cannot pile up without end


class LicenseeSignInForm(forms.Form):
    api_key = forms.CharField(
        label=gettext_lazy("API key"),
        strip=True,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy("Any of your organisation's keys, live (cvp_live_...) or test (cvp_test_...)."),
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


def _new_key_page(request: HttpRequest, key: ApiKey, secret: str, *, replaced: ApiKey | None) -> HttpResponse:
    """The new secret, shown in this answer only: it is not stored, so a reload cannot show it again."""
    context = {
        "key": key,
        "secret": secret,
        "replaced": replaced,
        "grace_hours": int(ROTATION_GRACE.total_seconds() // 3600),
    }
    response = render(request, "billing/licensee_new_key.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _room_for_a_key(request: HttpRequest, key: ApiKey) -> bool:
    if live_keys_count(key.licensee) < MAX_LIVE_KEYS:
        return True
    messages.error(
        request,
        _("Your organisation already has %(count)s working keys. Ask CVPlus to revoke the ones you no longer use.")
        % {"count": MAX_LIVE_KEYS},
    )
    return False


@require_POST
def key_rotate(request: HttpRequest, key_id: int) -> HttpResponse:
    current = signed_in_key(request.session)
    if current is None:
        return redirect("licensee:signin")
    key = key_for_licensee(current.licensee, key_id)
    if key is None:
        raise Http404  # another licensee's key, or none: nothing says which
    if not api_key_is_live(key):
        messages.error(request, _("This key no longer works and cannot be rotated."))
        return redirect("licensee:usage")
    if not _room_for_a_key(request, current):
        return redirect("licensee:usage")
    new_key, secret = api_key_rotate(key=key)
    if key.pk == current.pk:  # the page stays signed in after the old key stops working
        request.session[SESSION_KEY] = new_key.pk
    return _new_key_page(request, new_key, secret, replaced=key)


@require_POST
def test_key_create(request: HttpRequest) -> HttpResponse:
    current = signed_in_key(request.session)
    if current is None:
        return redirect("licensee:signin")
    if not _room_for_a_key(request, current):
        return redirect("licensee:usage")
    key, secret = api_key_issue(licensee=current.licensee, name=_("test key"), is_test=True)
    return _new_key_page(request, key, secret, replaced=None)
