"""`{% load beta_feedback %}{% feedback_control "board" "board" %}`: the feedback control of a main page (the page and
the feature it is most likely about), with the NPS question above it when the person is due one
(analytics/feedback.py::nps_due). `{% beta_section %}`: the account page's beta programme section."""

from __future__ import annotations

from django import template

from analytics.beta import beta_member_of
from analytics.feedback import nps_due
from analytics.forms_beta import BetaJoinForm, FeedbackForm, NpsForm

register = template.Library()


@register.inclusion_tag("analytics/_feedback_control.html", takes_context=True)
def feedback_control(context: template.Context, page: str, feature: str) -> dict:
    request = context["request"]
    here = request.get_full_path()
    signed_in = request.user.is_authenticated
    return {
        "signed_in": signed_in,
        "form": FeedbackForm(initial={"page": page, "feature": feature, "next": here}, auto_id=f"feedback-{page}-%s"),
        "nps_form": NpsForm(initial={"next": here}, auto_id="nps-%s"),
        "nps_due": signed_in and nps_due(tenant=getattr(request, "tenant", None), user=request.user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("analytics/_beta_section.html", takes_context=True)
def beta_section(context: template.Context) -> dict:
    request = context["request"]
    return {
        "beta_member": beta_member_of(tenant=request.tenant, user_id=request.user.pk),
        "beta_form": BetaJoinForm(),
        "csrf_token": context.get("csrf_token"),
    }
