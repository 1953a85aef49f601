"""Pages that belong to the site as a whole rather than to one app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from billing.offers import plan_offers
from predictions.public_card import published_models
from tenants.models import Client


def landing(request: HttpRequest) -> HttpResponse:
    """The public host's front page, linking to the consumer site (its sign-up and sign-in; ``consumer_url`` comes
    from tenants.context_processors)."""
    return render(request, "landing.html")


def model_card(request: HttpRequest) -> HttpResponse:
    """The public page of the model card: what each serving model measured on held-out data, from the stored
    versions (predictions/public_card.py). On every host, signed in or not."""
    return render(request, "model_card.html", {"models": published_models()})


def tenant_home(request: HttpRequest) -> HttpResponse:
    """A tenant host's front page: signed-in people go to their board (an organisation's administrators, coaches and
    analysts to the portal); the consumer site welcomes visitors; an enterprise portal asks them to sign in."""
    if request.user.is_authenticated:
        if request.tenant.kind == Client.Kind.ENTERPRISE and request.user.is_programme_staff:
            return redirect("portal:home")
        return redirect("tracking:board")
    if request.tenant.kind == Client.Kind.ENTERPRISE:
        return redirect("accounts:login")
    measured = [model for model in published_models() if model.version and model.figures]
    context = {"measured": measured, "pricing": plan_offers(user=request.user)}
    return render(request, "consumer_landing.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers fetch by themselves: the site's icon (served with the static files)."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


@csrf_exempt  # any method gets the 404: a client POSTing to a mistyped path must not read a CSRF failure instead
def api_not_found(request: HttpRequest, unknown_path: str = "") -> JsonResponse:
    """Any path under /api/ that names no endpoint: a JSON 404 in the API's error format, not the HTML page, so an
    API client can read it. Carries nothing but the path it was asked for."""
    detail = _("No API endpoint at %(path)s. See /api/v1/docs/ for the endpoints.") % {"path": request.path}
    return JsonResponse({"detail": detail, "code": "not_found"}, status=404)
