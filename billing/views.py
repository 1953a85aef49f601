"""Billing pages on a tenant host: pricing, Checkout (redirect to Stripe), back from Checkout, and the Customer
Portal. The work is in billing.checkout; without Stripe keys every page still renders and says so.

On an enterprise host nothing is for sale: the pricing page shows the organisation's programme
(billing/organisation_plan.py) and Checkout and the portal answer with a page saying why they are refused."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.checkout import CheckoutRefused, checkout_session_create, portal_session_create
from billing.entitlements import plan_for
from billing.offers import plan_offers
from billing.organisation_plan import organisation_plan_for
from billing.stripe_client import billing_configured
from billing.waitlist import waitlist_join
from tenants.models import Client


def _see_other(url: str) -> HttpResponseRedirect:
    """303: the browser follows a POST's answer with a GET, as Stripe's hosted pages expect."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _enterprise(request: HttpRequest) -> bool:
    return request.tenant.kind == Client.Kind.ENTERPRISE


def _nothing_to_buy(view):
    """Checkout and the portal refuse on an enterprise host, signed in or not, before anything reaches Stripe."""

    @wraps(view)
    def refusing(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _enterprise(request):
            return render(request, "billing/organisation_refused.html", status=403)
        return view(request, *args, **kwargs)

    return refusing


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    if _enterprise(request):
        context = {"organisation_plan": organisation_plan_for(user=request.user)}
        return render(request, "billing/organisation_plan.html", context)
    current = plan_for(request.user)
    offers = plan_offers(user=request.user, current=current)
    context = {
        "offers": offers.plans,
        "pricing": offers,
        "current": current,
        "billing_configured": billing_configured(),
    }
    return render(request, "billing/pricing.html", context)


@_nothing_to_buy
@login_required
@require_POST
def waitlist(request: HttpRequest, plan_code: str) -> HttpResponse:
    """Joins the waiting list of a plan that cannot be bought here; a second time changes nothing."""
    try:
        _entry, created = waitlist_join(user=request.user, plan_code=plan_code)
    except ValidationError as refused:
        messages.warning(request, " ".join(refused.messages))
    else:
        if created:
            messages.success(request, _("You are on the waiting list. Nothing is charged."))
        else:
            messages.info(request, _("You were already on the waiting list for this plan."))
    return redirect("billing:pricing")


@_nothing_to_buy
@login_required
@require_POST
def checkout(request: HttpRequest, plan_code: str) -> HttpResponse:
    try:
        url = checkout_session_create(
            user=request.user,
            plan_code=plan_code,
            success_url=request.build_absolute_uri(reverse("billing:success")) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(reverse("billing:cancel")),
        )
    except CheckoutRefused as refused:
        messages.warning(request, refused.message)
        return redirect("billing:pricing")
    return _see_other(url)


@login_required
@require_GET
def success(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/success.html", {"current": plan_for(request.user)})


@login_required
@require_GET
def cancel(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/cancel.html")


@_nothing_to_buy
@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = portal_session_create(
            user=request.user, return_url=request.build_absolute_uri(reverse("accounts:account"))
        )
    except CheckoutRefused as refused:
        messages.warning(request, refused.message)
        return redirect("accounts:account")
    return _see_other(url)
