"""``{% privacy_account_section %}``: the privacy part of the account page, in its own template so the account page
stays a list of includes."""

from __future__ import annotations

from django import template

from privacy.selectors import administrator_can_manage, consents_of

register = template.Library()


@register.inclusion_tag("privacy/_account_privacy.html", takes_context=True)
def privacy_account_section(context: template.Context) -> dict:
    user = context["request"].user
    return {
        "consent": consents_of(user=user).first(),
        "manages_members": administrator_can_manage(user=user),
        "request": context["request"],
        "user": user,
    }
