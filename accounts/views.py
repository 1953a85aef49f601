from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language

from accounts import services, throttles
from accounts.forms import EmailAuthenticationForm, LanguageForm, PasswordResetForm, SignupForm
from accounts.signup import SignupLinkInvalid, signup_beta_join, signup_pending_from_token, signup_request
from accounts.signup import signup_confirm as signup_confirm_service
from accounts.views_two_factor import TwoFactorLoginMixin, two_factor_context
from billing.checkout import invoices_for
from billing.entitlements import plan_for
from billing.models import Customer
from billing.organisation_plan import organisation_plan_for
from billing.stripe_client import billing_configured
from tenants.models import Client


def _signup_open(request: HttpRequest) -> bool:
    """Anyone may join the consumer site; enterprise portals admit members by invitation only."""
    return request.tenant.kind == Client.Kind.CONSUMER


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Every valid sign-up gets the same "check your inbox" answer, registered address or not (accounts/signup.py)."""
    if not _signup_open(request):
        return render(request, "accounts/signup_closed.html", status=403)
    if request.method == "POST" and (refused := throttles.signup_refused(request)) is not None:
        return refused
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_request(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data.get("full_name", ""),
            language=request.LANGUAGE_CODE,
            notice_version=form.cleaned_data["notice_version"],
            invitation_code=form.cleaned_data.get("invitation_code", ""),
        )
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    if not _signup_open(request):
        return render(request, "accounts/signup_closed.html", status=403)
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: GET shows a button (mail scanners follow links), POST creates the account and logs in."""
    if not _signup_open(request):
        return render(request, "accounts/signup_closed.html", status=403)
    try:
        if request.method == "GET":
            signup_pending_from_token(token)
            return render(request, "accounts/signup_confirm.html")
        user = signup_confirm_service(token=token)
    except SignupLinkInvalid:
        return render(request, "accounts/signup_link_invalid.html", status=404)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to CVPlus. Your account is ready."))
    beta_refused = signup_beta_join(token=token, user=user)
    if beta_refused == "":
        messages.success(request, _("Welcome to the CVPlus beta programme."))
    elif beta_refused is not None:
        messages.warning(request, _("You could not join the beta programme: %(reason)s") % {"reason": beta_refused})
    return redirect("home")


def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's ``set_language`` (the cookie, then back to the page), and for a signed-in user
    their saved language too, which otherwise outranks the cookie (tenants.middleware) and is the language of their
    emails."""
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and language != request.user.language:
        services.user_language_set(user=request.user, language=language)
    return response


class LoginView(TwoFactorLoginMixin, auth_views.LoginView):
    """Locked out by django-axes (accounts/lockout.py); a user with two-factor sign-in goes on to the code step."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        refused = throttles.password_reset_refused(self.request)
        if refused is not None:
            return refused
        if not throttles.password_reset_email_allowed(form.cleaned_data["email"]):
            return redirect(self.get_success_url())  # the same page as when an e-mail is sent
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A link that names no user of this tenant, or a stale token, is a 404 that reveals nothing."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:account")
    context = {"form": form, **_billing_context(request), **two_factor_context(request.user)}
    return render(request, "accounts/account.html", context)


def _billing_context(request: HttpRequest) -> dict:
    """The account page's plan section: the plan that applies now, its renewal or end, the user's last invoices, and
    whether the user has a Stripe customer to manage in the portal. In an organisation: its programme instead."""
    if request.tenant.kind == request.tenant.Kind.ENTERPRISE:
        return {"plan": plan_for(request.user), "organisation_plan": organisation_plan_for(user=request.user)}
    return {
        "invoices": invoices_for(tenant=request.tenant, user_id=request.user.pk),
        "plan": plan_for(request.user),
        "has_customer": Customer.objects.filter(tenant=request.tenant, user_id=request.user.pk).exists(),
        "billing_configured": billing_configured(),
    }
