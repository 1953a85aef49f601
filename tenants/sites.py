"""Addresses of the other sites, as the visitor's own request reaches this one (same scheme and port): the public
host links to the consumer site's pages, e.g. its sign-in."""

from __future__ import annotations

from django.http import HttpRequest

from tenants.models import Client, Domain


def site_url(request: HttpRequest, host: str) -> str:
    port = request.get_port()
    suffix = "" if port in {"80", "443"} else f":{port}"
    return f"{request.scheme}://{host}{suffix}/"


def consumer_site_url(request: HttpRequest) -> str | None:
    """The consumer site's front page (its primary domain), or None when there is no consumer tenant."""
    consumer = Domain.objects.filter(tenant__kind=Client.Kind.CONSUMER, is_primary=True).order_by("pk").first()
    return site_url(request, consumer.domain) if consumer else None
