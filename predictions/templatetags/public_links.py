"""A link from a tenant page to a page of the public host (e.g. the data-sources page, which exists only there)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def public_url(context: template.Context, name: str, fragment: str = "") -> str:
    """The absolute URL of the public URLconf's `name` on the public host (settings.BASE_DOMAIN), with the request's
    scheme and port, so it works on localhost:8000 as on the live site. A path alone without a request."""
    path = reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF) + (f"#{fragment}" if fragment else "")
    request = context.get("request")
    if request is None:
        return path
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""
    return f"{request.scheme}://{settings.BASE_DOMAIN}{':' + port if port else ''}{path}"
