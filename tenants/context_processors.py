from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tenants.models import Client
from tenants.sites import consumer_site_url


def tenant(request: HttpRequest) -> dict:
    current = getattr(request, "tenant", None)
    context = {"tenant": current, "tenant_kind": getattr(current, "kind", None)}
    if context["tenant_kind"] == Client.Kind.PUBLIC:
        # Looked up only when a page shows it (the public host's navigation does).
        context["consumer_url"] = SimpleLazyObject(lambda: consumer_site_url(request) or "")
    return context
