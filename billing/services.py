"""Staff-side billing services: granting a plan without Stripe (admin, the demo, a fresh install without keys)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from billing.models import Plan, Subscription
from tenants.models import Client


def plan_grant(*, schema: str, user_id: int, plan_code: str, until: date | None = None) -> Subscription:
    """Gives the user `user_id` of tenant `schema` the plan until `until` (open-ended when None), replacing any
    subscription they have. Staff grants never touch Stripe; a later Stripe subscription replaces the grant."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        subscription, _created = Subscription.objects.update_or_create(
            tenant=Client.objects.get(schema_name=schema),
            user_id=user_id,
            defaults={
                "plan": Plan.objects.get(code=plan_code),
                "source": Subscription.Source.STAFF,
                "status": Subscription.Status.ACTIVE,
                "granted_until": until,
            },
        )
    return subscription
