"""`{% load feature_flags %}{% flag_active "name" as on %}{% if on %}…{% endif %}`: the flag for the request's tenant
and user (analytics/flags.py)."""

from __future__ import annotations

from django import template

from analytics.flags import flag_active as flag_is_on

register = template.Library()


@register.simple_tag(takes_context=True)
def flag_active(context: template.Context, name: str) -> bool:
    request = context.get("request")
    return flag_is_on(name, tenant=getattr(request, "tenant", None), user=getattr(request, "user", None))
