"""Integrations pages for administrators (issue 13, item 6): API tokens under /portal/api-tokens/ and webhook
endpoints with their delivery log under /portal/webhooks/. Thin: portal/tokens.py and portal/webhooks.py decide.

A new token's or signing secret's value is shown once, in the answer to the POST that made it (never stored, never
in a URL, not cached by the browser)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import access, tokens, webhooks
from portal.forms_integrations import ApiTokenForm, WebhookEndpointForm
from portal.models import WebhookDelivery, WebhookEndpoint
from portal.webhook_delivery import webhook_error_text
from tracking.forms import form_errors_from

manages_integrations = access.portal_view(access.can_manage_integrations)
DELIVERIES_PER_PAGE = 25


def _secret_shown_once(request: HttpRequest, context: dict) -> HttpResponse:
    response = render(request, "portal/integrations/secret.html", context)
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------------------------------------------------------------
# API tokens
# ---------------------------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@manages_integrations
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The organisation's tokens and a form to create one; the new token's value is shown once."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.api_token_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return _secret_shown_once(
                request,
                {
                    "heading": _("Your new API token"),
                    "name": token.name,
                    "secret": secret,
                    "kind": "token",
                    "docs_url": reverse("api:docs"),
                    "continue_url": reverse("portal:api_tokens"),
                },
            )
    context = {"form": form, "tokens": tokens.api_tokens_list(viewer=request.user)}
    return render(request, "portal/integrations/api_tokens.html", context, status=400 if form.errors else 200)


@require_POST
@manages_integrations
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.api_token_get(viewer=request.user, pk=pk)
    tokens.api_token_revoke(by=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("portal:api_tokens")


# ---------------------------------------------------------------------------------------------------------------------
# Webhook endpoints
# ---------------------------------------------------------------------------------------------------------------------
def _inbox_url(request: HttpRequest) -> str | None:
    """The demo inbox's URL on this host, where it exists (local settings)."""
    return request.build_absolute_uri(reverse("portal:webhook_inbox")) if settings.PORTAL_WEBHOOKS_INBOX else None


@require_http_methods(["GET"])
@manages_integrations
def webhook_list(request: HttpRequest) -> HttpResponse:
    endpoints = webhooks.webhook_endpoints_list(viewer=request.user).annotate(
        deliveries_count=Count("deliveries", filter=~Q(deliveries__payload={})),  # as the log: built ones only
        failed_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
    )
    context = {"endpoints": endpoints, "inbox_url": _inbox_url(request)}
    return render(request, "portal/integrations/webhooks.html", context)


def _signing_secret_page(request: HttpRequest, endpoint: WebhookEndpoint, secret: str, heading: str) -> HttpResponse:
    return _secret_shown_once(
        request,
        {
            "heading": heading,
            "name": endpoint.url,
            "secret": secret,
            "kind": "signing_secret",
            "docs_url": reverse("api:docs"),
            "continue_url": reverse("portal:webhook", args=[endpoint.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
@manages_integrations
def webhook_create(request: HttpRequest) -> HttpResponse:
    inbox_url = _inbox_url(request)
    if request.method == "GET" and inbox_url and request.GET.get("inbox"):
        form = WebhookEndpointForm(
            initial={
                "url": inbox_url,
                "description": _("The test inbox on this server"),
                "events": WebhookEndpoint.Event.values,
            }
        )
    else:
        form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.webhook_endpoint_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return _signing_secret_page(request, endpoint, secret, _("Your webhook's signing secret"))
    context = {"form": form, "endpoint": None, "inbox_url": inbox_url}
    return render(request, "portal/integrations/webhook_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@manages_integrations
def webhook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.webhook_endpoint_update(by=request.user, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect("portal:webhook", endpoint.pk)
    context = {"form": form, "endpoint": endpoint, "inbox_url": None}
    return render(request, "portal/integrations/webhook_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@manages_integrations
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The endpoint and its delivery log: each delivery's status, attempts, last answer or error and duration."""
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    page = Paginator(webhooks.webhook_deliveries_list(viewer=request.user, endpoint=endpoint), DELIVERIES_PER_PAGE)
    deliveries = page.get_page(request.GET.get("page"))
    for delivery in deliveries:
        delivery.error_text = webhook_error_text(delivery.last_error) if delivery.last_error else ""
        delivery.body_text = json.dumps(delivery.payload, indent=2, sort_keys=True, ensure_ascii=False)
        for attempt in delivery.attempt_log.all():
            attempt.error_text = webhook_error_text(attempt.error) if attempt.error else ""
    event_labels = dict(WebhookEndpoint.Event.choices)
    context = {
        "endpoint": endpoint,
        "events": [event_labels.get(event, event) for event in endpoint.events],
        "deliveries": deliveries,
        "is_inbox": endpoint.url == _inbox_url(request),
    }
    return render(request, "portal/integrations/webhook_detail.html", context)


@require_POST
@manages_integrations
def webhook_active(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        webhooks.webhook_endpoint_activate(by=request.user, endpoint=endpoint, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The webhook is enabled.") if active else _("The webhook is disabled."))
    return redirect("portal:webhook", endpoint.pk)


@require_POST
@manages_integrations
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    secret = webhooks.webhook_secret_rotate(by=request.user, endpoint=endpoint)
    return _signing_secret_page(request, endpoint, secret, _("The webhook's new signing secret"))


@require_POST
@manages_integrations
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    try:
        webhooks.webhook_test_send(by=request.user, endpoint=endpoint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A test event is on its way. Reload this page to see how it went."))
    return redirect("portal:webhook", endpoint.pk)


@require_POST
@manages_integrations
def webhook_replay(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    endpoint = webhooks.webhook_endpoint_get(viewer=request.user, pk=pk)
    delivery = webhooks.webhook_delivery_get(viewer=request.user, endpoint=endpoint, pk=delivery_pk)
    try:
        webhooks.webhook_delivery_replay(by=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delivery is sent again, as a new delivery with the same body."))
    return redirect("portal:webhook", endpoint.pk)
