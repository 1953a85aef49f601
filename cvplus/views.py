"""Pages that belong to the site as a whole rather than to one app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tenants.models import Client, Domain


def _site_url(request: HttpRequest, host: str) -> str:
    port = request.get_port()
    suffix = "" if port in {"80", "443"} else f":{port}"
    return f"{request.scheme}://{host}{suffix}/"


def landing(request: HttpRequest) -> HttpResponse:
    """The public host's front page, linking to the consumer site."""
    consumer = Domain.objects.filter(tenant__kind=Client.Kind.CONSUMER, is_primary=True).order_by("pk").first()
    consumer_url = _site_url(request, consumer.domain) if consumer else None
    return render(request, "landing.html", {"consumer_url": consumer_url})


def tenant_home(request: HttpRequest) -> HttpResponse:
    """A tenant host's front page: signed-in people go to their board (an organisation's administrators, coaches and
    analysts to the portal); the consumer site welcomes visitors; an enterprise portal asks them to sign in."""
    if request.user.is_authenticated:
        if request.tenant.kind == Client.Kind.ENTERPRISE and request.user.is_programme_staff:
            return redirect("portal:home")
        return redirect("tracking:board")
    if request.tenant.kind == Client.Kind.ENTERPRISE:
        return redirect("accounts:login")
    return render(request, "consumer_landing.html")


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
