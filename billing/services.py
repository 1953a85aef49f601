"""Staff-side billing services: granting a plan without Stripe (admin, the demo, a fresh install without keys), and
granting or revoking one from the staff directory, written to the staff audit log with it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from billing.models import Plan, Subscription
from tenants.models import Client, StaffAction
from tenants.staff_actions import staff_action_record

SEEKER_PLAN_KINDS = (Plan.Kind.FREE, Plan.Kind.PREMIUM)


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


def _check_person(*, tenant: Client, user_id: int) -> None:
    """Refuses a tenant whose subscriptions mean nothing (an organisation: its contract sets everyone's plan), one
    without a schema, and an id that names nobody in it."""
    from accounts.models import User

    if tenant.kind == Client.Kind.ENTERPRISE:
        raise ValidationError(
            _("%(tenant)s is an organisation: its contract sets its people's plan. Change the contract instead.")
            % {"tenant": tenant.name}
        )
    if tenant.kind != Client.Kind.CONSUMER or not tenant.is_ready:
        raise ValidationError(_("%(tenant)s has no people to grant a plan to.") % {"tenant": tenant.name})
    with schema_context(tenant.schema_name):
        exists = User.objects.filter(pk=user_id, is_staff=False).exists()
    if not exists:
        raise ValidationError(_("Nobody with this id exists in %(tenant)s.") % {"tenant": tenant.name})


def plan_grant_by_staff(*, by, tenant: Client, user_id: int, plan: Plan, until: date | None = None) -> Subscription:
    """Staff member `by` grants `plan` to the person `user_id` of `tenant` (chosen in the staff directory) until
    `until`; the staff audit log records it in the same transaction. Raises a translated ValidationError, writing
    nothing, for an organisation (see _check_person), someone who is not in the tenant, a plan that is not a seeker
    plan, or a person paying through Stripe (a grant would hide the paid subscription; cancel it in Stripe first)."""
    _check_person(tenant=tenant, user_id=user_id)
    if plan.kind not in SEEKER_PLAN_KINDS or not plan.is_active:
        raise ValidationError(_("Choose a Free or Premium plan that is offered."))
    with schema_context(get_public_schema_name()), transaction.atomic():
        current = Subscription.objects.select_for_update().select_related("plan").filter(tenant=tenant, user_id=user_id)
        previous = current.first()
        if (
            previous is not None
            and previous.source == Subscription.Source.STRIPE
            and previous.status in Subscription.GRANTING
        ):
            raise ValidationError(
                _("This person pays for %(plan)s through Stripe. Cancel it in Stripe before granting another plan.")
                % {"plan": previous.plan.name}
            )
        subscription = plan_grant(schema=tenant.schema_name, user_id=user_id, plan_code=plan.code, until=until)
        staff_action_record(
            by=by,
            action=StaffAction.Action.PLAN_GRANTED,
            tenant=tenant,
            target_user_id=user_id,
            detail={
                "plan": plan.code,
                "until": until.isoformat() if until else None,
                "previous_plan": previous.plan.code if previous else None,
            },
        )
    return subscription


def plan_revoke_by_staff(*, by, tenant: Client, user_id: int) -> None:
    """Staff member `by` ends a plan staff granted to the person `user_id` of `tenant`: they are back on Free, their
    data untouched. Recorded in the staff audit log in the same transaction. Raises a translated ValidationError,
    writing nothing, when there is no staff grant to revoke (none at all, or a Stripe subscription: Stripe owns it)."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("plan")
            .filter(tenant=tenant, user_id=user_id)
            .first()
        )
        if subscription is None:
            raise ValidationError(_("This person has no plan granted by staff to revoke."))
        if subscription.source != Subscription.Source.STAFF:
            raise ValidationError(
                _("This plan is paid through Stripe: cancel it there. Only plans granted by staff are revoked here.")
            )
        plan_code = subscription.plan.code
        subscription.delete()
        staff_action_record(
            by=by,
            action=StaffAction.Action.PLAN_REVOKED,
            tenant=tenant,
            target_user_id=user_id,
            detail={"plan": plan_code},
        )
