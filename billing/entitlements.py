"""One question, asked by every gated place: may this user (in the current tenant) use this feature now, and how much
is left? A downgrade never deletes anything: it only changes the answer, so data beyond a limit stays visible and
editable while new items past the limit are refused.

Who gets what:
- a seeker on a consumer site: their subscription's plan while it grants (active, trial, or payment overdue during
  Stripe's retry period; a staff grant until its date), otherwise the Free plan;
- anyone in an enterprise tenant (members and the organisation's own administrators, coaches and analysts): the
  features of the tenant's contract in force today, otherwise the Free plan's features (limited). Either way the
  answer names the organisation (``PlanView.organisation``), so pages and refusals speak of its programme, never of
  consumer plans to buy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from billing.catalogue import PLAN_SPECS
from billing.models import Contract, Feature, Plan, Subscription
from billing.plan_cache import plan_cached
from tenants.context import current_tenant


@dataclass(frozen=True)
class PlanView:
    """The plan that applies, as plain values (a Plan row, a contract, or the catalogue's Free plan)."""

    code: str
    kind: str
    name: str
    features: frozenset[str]
    application_limit: int | None
    source: str  # "subscription", "staff", "contract" or "default"
    renews_or_ends: object = None  # datetime or date, when known
    cancel_at_period_end: bool = False
    status: str = ""
    organisation: str = ""  # the enterprise tenant's name; "" on consumer sites

    @property
    def is_organisation_plan(self) -> bool:
        return bool(self.organisation)

    @property
    def has_contract(self) -> bool:
        return self.source == "contract"


@dataclass(frozen=True)
class Entitlement:
    feature: str
    allowed: bool
    plan: PlanView
    limit: int | None = None
    used: int | None = None
    reason: str = ""

    @property
    def remaining(self) -> int | None:
        if self.limit is None:
            return None
        return max(self.limit - (self.used or 0), 0)


def _free_plan() -> PlanView:
    source = Plan.objects.filter(code="free").first() or PLAN_SPECS["free"]
    return PlanView(
        source.code, source.kind, str(source.name), frozenset(source.features), source.application_limit, "default"
    )


def _subscription_grants(subscription: Subscription) -> bool:
    if subscription.source == Subscription.Source.STAFF:
        return subscription.granted_until is None or subscription.granted_until >= timezone.localdate()
    return subscription.status in Subscription.GRANTING


def plan_for(user) -> PlanView:
    """The plan that applies to `user` in the current tenant now. Must run in a tenant schema (fails closed).
    Cached in Redis until a subscription, contract, plan or the tenant changes (billing/plan_cache.py)."""
    tenant = current_tenant()
    user_id = user.pk if user is not None and user.is_authenticated else None
    return plan_cached(
        tenant_id=tenant.pk, user_id=user_id, compute=lambda: _plan_looked_up(tenant, user), view=PlanView
    )


def _plan_looked_up(tenant, user) -> PlanView:
    if tenant.kind == tenant.Kind.ENTERPRISE:
        today = timezone.localdate()
        in_force = Contract.objects.filter(tenant=tenant, starts_on__lte=today, ends_on__gte=today)
        contract = in_force.order_by("-starts_on").first()
        if contract is not None:
            return PlanView(
                f"contract-{contract.pk}",
                Plan.Kind.ENTERPRISE,
                _("%(organisation)s's programme") % {"organisation": tenant.name},
                frozenset(contract.features),
                None,
                "contract",
                renews_or_ends=contract.ends_on,
                organisation=tenant.name,
            )
        return replace(_free_plan(), name=_("No active contract"), organisation=tenant.name)
    subscription = (
        Subscription.objects.select_related("plan").filter(tenant=tenant, user_id=user.pk).first()
        if user is not None and user.is_authenticated
        else None
    )
    if subscription is not None and _subscription_grants(subscription):
        plan = subscription.plan
        return PlanView(
            plan.code,
            plan.kind,
            str(plan.name),
            frozenset(plan.features),
            plan.application_limit,
            "staff" if subscription.source == Subscription.Source.STAFF else "subscription",
            renews_or_ends=subscription.granted_until or subscription.current_period_end,
            cancel_at_period_end=subscription.cancel_at_period_end,
            status=subscription.status,
        )
    return _free_plan()


def _applications_used(user) -> int:
    from tracking.models import Application

    return Application.objects.filter(owner=user).count()


def entitlement_check(*, user, feature: str, plan: PlanView | None = None) -> Entitlement:
    """May `user` use `feature` now, and how much is left. Pass `plan` (from plan_for) to ask several questions
    with one lookup."""
    plan = plan or plan_for(user)
    if feature not in plan.features:
        return Entitlement(feature, False, plan, reason=_feature_missing_reason(plan, feature))
    if feature == Feature.TRACKING and plan.application_limit is not None:
        used = _applications_used(user)
        if used >= plan.application_limit:
            return Entitlement(
                feature,
                False,
                plan,
                limit=plan.application_limit,
                used=used,
                reason=_limit_reached_reason(plan, used),
            )
        return Entitlement(feature, True, plan, limit=plan.application_limit, used=used)
    return Entitlement(feature, True, plan)


def _feature_missing_reason(plan: PlanView, feature: str) -> str:
    return feature_missing_text(plan, Feature(feature).label)


def feature_missing_text(plan: PlanView, feature_label: str) -> str:
    """Why `plan` does not give a feature (named in words): the programme's words in an organisation, a plan's
    elsewhere."""
    values = {"feature": feature_label, "plan": plan.name, "organisation": plan.organisation}
    if plan.has_contract:
        return _("%(organisation)s's programme does not include %(feature)s.") % values
    if plan.is_organisation_plan:
        return _("Your organisation has no active contract, so %(feature)s is not available.") % values
    return _("The %(plan)s plan does not include %(feature)s.") % values


def _limit_reached_reason(plan: PlanView, used: int) -> str:
    values = {"plan": plan.name, "limit": plan.application_limit, "used": used}
    if plan.is_organisation_plan:
        return (
            _(
                "Your organisation has no active contract, so you can track up to %(limit)s applications; "
                "you have %(used)s."
            )
            % values
        )
    return _("The %(plan)s plan tracks up to %(limit)s applications; you have %(used)s.") % values
