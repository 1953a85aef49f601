"""The demo's plans: the first seeker is Premium (granted by staff, as without Stripe keys), the second stays Free so
the locked sections and the pricing page can be seen."""

from __future__ import annotations

from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import Subscription
from billing.services import plan_grant

DEMO_PREMIUM = ("app", "seeker@example.com")


def demo_plans_grant() -> None:
    schema, email = DEMO_PREMIUM
    with schema_context(schema):
        user_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
    if user_id is None or Subscription.objects.filter(user_id=user_id, tenant__schema_name=schema).exists():
        return  # keep whatever the demo's staff changed since
    plan_grant(schema=schema, user_id=user_id, plan_code="premium-yearly")
