"""What a tenant's members get when they have not chosen for themselves: the tenant's language and its home country.

The language of a page is chosen per request (tenants.middleware.TenantLocaleMiddleware). Work done outside a request
for a member (emails, notifications) uses ``member_language``; predictions for a member who has not given a country,
about a posting that names none, use ``tenant_home_country``, so the tenant's region and currency still apply.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name

# The country each shipped language most likely means (CLDR likely subtags: en → en_Latn_US, de → de_Latn_DE, …).
LIKELY_COUNTRY = {"en": "US", "fr": "FR", "de": "DE", "es": "ES", "ja": "JP"}


def member_language(user: object, tenant: object | None = None) -> str:
    """The language to write to ``user`` in: their own choice, else the tenant's default language, else
    ``settings.LANGUAGE_CODE``. ``tenant`` defaults to the current tenant; staff in the public schema have none."""
    supported = dict(settings.LANGUAGES)
    own = getattr(user, "language", "") or ""
    if own in supported:
        return own
    if tenant is None and connection.schema_name != get_public_schema_name():
        from tenants.context import current_tenant

        tenant = current_tenant()
    default = getattr(tenant, "default_language", "") or ""
    return default if default in supported else settings.LANGUAGE_CODE


def home_country_choose(candidates: Collection[str], *, language: str, currency: str) -> str | None:
    """Among ``candidates`` (the ISO 3166 codes of the countries in a tenant's region that use its currency), the
    one its language points to (de → DE, ja → JP), else the one whose code begins the currency's ISO 4217 code
    (USD → US, GBP → GB, CHF → CH), else the only one; None when a choice is still open (an English-speaking euro
    tenant) or no country fits, rather than a guess."""
    codes = {code.upper() for code in candidates}
    for guess in (LIKELY_COUNTRY.get(language), currency.upper()[:2]):
        if guess in codes:
            return guess
    return next(iter(codes)) if len(codes) == 1 else None


def tenant_home_country(tenant: object) -> str | None:
    """The country a tenant's members are taken to be in when neither they nor a posting name one (one query on
    the public reference table of countries); None when the region and currency do not settle it."""
    from market.models import Country

    region = getattr(tenant, "region", "") or ""
    currency = getattr(tenant, "currency", "") or ""
    if not region or not currency:
        return None
    candidates = Country.objects.filter(region_id=region, currency_id=currency.upper()).values_list("iso2", flat=True)
    return home_country_choose(list(candidates), language=getattr(tenant, "default_language", ""), currency=currency)
