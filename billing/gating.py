"""How a gated place refuses: one exception for writes (``entitlement_require``) and one shape for a locked page
section (``locked_section``). The decision itself is always ``billing.entitlements.entitlement_check``.

``EntitlementRequired`` is a ValidationError on purpose: tracking's forms already show a service's ValidationError
next to the form and the CSV import already names the row it failed on, so a plan limit reads like any other refusal;
the API turns it into a 403 carrying the reason (tracking.api.base.ServiceErrorsMixin).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from billing.entitlements import Entitlement, PlanView, entitlement_check
from billing.models import Feature
from billing.stripe_client import billing_configured

PLAN_REQUIRED = "plan_required"


class EntitlementRequired(ValidationError):
    """The user's plan does not allow this (a feature outside the plan, or a limit reached). Nothing was written."""

    def __init__(self, entitlement: Entitlement) -> None:
        super().__init__(entitlement.reason, code=PLAN_REQUIRED)
        self.entitlement = entitlement

    @property
    def reason(self) -> str:
        return self.entitlement.reason


def entitlement_require(*, user, feature: str, plan: PlanView | None = None) -> Entitlement:
    """The entitlement when allowed; raises EntitlementRequired (with the translated reason) otherwise."""
    entitlement = entitlement_check(user=user, feature=feature, plan=plan)
    if not entitlement.allowed:
        raise EntitlementRequired(entitlement)
    return entitlement


def pricing_url() -> str:
    """The tenant host's pricing page ("" on a host without billing pages, e.g. in a bare URLconf)."""
    try:
        return reverse("billing:pricing")
    except NoReverseMatch:
        return ""


def locked_section(entitlement: Entitlement) -> dict:
    """A page section the plan does not cover: what the feature is and where to get it, never the value (the
    predictor is not run at all). In an organisation the link shows its programme (what it includes, and for its
    administrators the contract), never plans to buy: ``organisation`` names it for the template."""
    organisation = entitlement.plan.organisation
    return {
        "available": False,
        "locked": True,
        "feature": Feature(entitlement.feature).label,
        "message": entitlement.reason,
        "pricing_url": pricing_url(),
        "upgrade_label": _("See what your organisation's programme includes")
        if organisation
        else _("See plans to unlock it"),
        "organisation": organisation,
        # Told to the customer where the button is, so the plans page is no surprise (billing/offers.py).
        "payments_unavailable": not organisation and not billing_configured(),
    }
