from __future__ import annotations

import copy
import threading
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation.trans_real import parse_accept_lang_header
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from tenants.models import Client, Domain

TENANT_HOST_CACHE_TTL_S = 30.0
API_PATH_PREFIX = "/api/"  # the tenant API (/api/v1/) and the licensee API on the public host (/api/v1/licensee/)
_tenants_by_host: dict[str, tuple[float, Client]] = {}
_tenants_by_host_lock = threading.Lock()


def tenant_host_cache_clear() -> None:
    """Forgets every cached host. Called on any save or delete of a Client or Domain (tenants/apps.py)."""
    with _tenants_by_host_lock:
        _tenants_by_host.clear()


class TenantRoutingMiddleware(TenantMainMiddleware):
    """Host → tenant → schema and URLconf. Unknown hosts get a 404 page (DEFAULT_NOT_FOUND_TENANT_VIEW); a tenant
    that is not provisioned yet gets a 503 page without its schema being touched.

    The host lookup is cached per process for ``TENANT_HOST_CACHE_TTL_S`` (bench/tenants.py measured the uncached
    lookup at most of the routing cost). Only ready tenants are cached, so a tenant leaves its "being set up" page as
    soon as it is provisioned; unknown hosts are never cached, so a new domain answers at once. A change to a Client
    or Domain clears this process's cache immediately and other processes' within the TTL.

    Host names are case-insensitive (RFC 4343): the host is lower-cased (and a trailing dot dropped) before the
    lookup and the cache, and Domain rows are stored lower-case (``Domain.save``).
    """

    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        domain, _port = split_domain_port(request.get_host())  # lower-cased, without the port or a trailing dot
        return remove_www(domain)

    def get_tenant(self, domain_model: type[Domain], hostname: str) -> Client:
        now = time.monotonic()
        entry = _tenants_by_host.get(hostname)
        if entry is not None and entry[0] > now:
            return copy.copy(entry[1])  # a copy per request: the caller sets attributes on it
        tenant = super().get_tenant(domain_model, hostname)
        if tenant.is_ready:
            with _tenants_by_host_lock:
                _tenants_by_host[hostname] = (now + TENANT_HOST_CACHE_TTL_S, tenant)
        return copy.copy(tenant)

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        tenant: Client = request.tenant
        if not tenant.is_ready:
            from django.db import connection

            connection.set_schema_to_public()
            # Answered before TenantLocaleMiddleware runs: choose the language here, or the page would inherit the
            # language the thread's previous request activated.
            translation.activate(TenantLocaleMiddleware.language_for(request))
            response = TemplateResponse(request, "tenants/not_ready.html", {"tenant_name": tenant.name}, status=503)
            response["Retry-After"] = "30"
            return response.render()
        return None


class TenantLocaleMiddleware(MiddlewareMixin):
    """Chooses the language of each response.

    Precedence: the signed-in user's chosen language; then the language cookie (the switcher); then, on the public
    and consumer sites, the browser's Accept-Language; then the tenant's default language. Enterprise portals skip
    the browser's language: an organisation's members see the organisation's language unless they choose another.

    API requests (``API_PATH_PREFIX``) put a supported Accept-Language first on every site: an API client names the
    language it wants with each request, and its error messages come back in it. Without the header, the order above.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def language_for(request: HttpRequest) -> str:
        supported = dict(settings.LANGUAGES)
        accepted = _accepted_language(request)
        if accepted is not None and request.path.startswith(API_PATH_PREFIX):
            return accepted
        user = getattr(request, "user", None)
        user_language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if user_language in supported:
            return user_language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in supported:
            return cookie
        tenant = getattr(request, "tenant", None)
        tenant_language = getattr(tenant, "default_language", settings.LANGUAGE_CODE)
        if accepted is not None and (tenant is None or tenant.kind != Client.Kind.ENTERPRISE):
            return accepted
        return tenant_language if tenant_language in supported else settings.LANGUAGE_CODE

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _accepted_language(request: HttpRequest) -> str | None:
    """The first language of the request's Accept-Language header that the site ships (``de-AT`` → ``de``), or None.
    Unlike ``translation.get_language_from_request`` it never reads the cookie, whose place in the order differs."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None
