"""The plans CVPlus sells, defined here and mirrored into `Plan` rows by `plans_ensure` (run by demo_setup and
`manage.py billing_plans_ensure`): staff then attach Stripe price ids and may adjust prices in admin, and a re-run
never overwrites what staff changed. Names and descriptions are stored in every language (modeltranslation).

Prices were chosen from what the anchor products charge (ANCHORS.md): below Jobscan and Teal's monthly premium, with
a yearly plan about a third cheaper.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from billing.models import Feature, Plan
from cvplus.i18n import in_every_language

FREE_APPLICATION_LIMIT = 25
FREE_FEATURES = [Feature.TRACKING, Feature.MATCH, Feature.SALARY_BASIC]
PREMIUM_FEATURES = [
    Feature.TRACKING,
    Feature.MATCH,
    Feature.SALARY_BASIC,
    Feature.SALARY_RANGE,
    Feature.INTERVIEW,
    Feature.TIME_TO_HIRE,
]
# Codes no plan grants any more. "exports" was Premium until exporting one's data became every plan's right.
RETIRED_FEATURES = {"exports"}


@dataclass(frozen=True)
class PlanSpec:
    code: str
    kind: str
    interval: str
    name: Promise
    description: Promise
    price_minor: int
    features: list[str] = field(default_factory=list)
    application_limit: int | None = None
    api_monthly_quota: int | None = None
    api_rate_per_minute: int | None = None
    sort_order: int = 0


PLANS: list[PlanSpec] = [
    PlanSpec(
        "free",
        Plan.Kind.FREE,
        Plan.Interval.NONE,
        _("Free"),
        _("Track up to 25 applications, see how your CV matches each posting and a basic salary estimate."),
        0,
        [str(f) for f in FREE_FEATURES],
        application_limit=FREE_APPLICATION_LIMIT,
        sort_order=0,
    ),
    PlanSpec(
        "premium-monthly",
        Plan.Kind.PREMIUM,
        Plan.Interval.MONTH,
        _("Premium, monthly"),
        _("Unlimited tracking, interview and offer probability, salary ranges with reasons and time to hire."),
        1900,
        [str(f) for f in PREMIUM_FEATURES],
        sort_order=10,
    ),
    PlanSpec(
        "premium-yearly",
        Plan.Kind.PREMIUM,
        Plan.Interval.YEAR,
        _("Premium, yearly"),
        _("Everything in Premium, billed once a year."),
        14900,
        [str(f) for f in PREMIUM_FEATURES],
        sort_order=11,
    ),
    PlanSpec(
        "api-starter",
        Plan.Kind.API,
        Plan.Interval.MONTH,
        _("API Starter"),
        _("10,000 prediction calls a month, 60 a minute."),
        9900,
        [str(Feature.API)],
        api_monthly_quota=10_000,
        api_rate_per_minute=60,
        sort_order=30,
    ),
    PlanSpec(
        "api-growth",
        Plan.Kind.API,
        Plan.Interval.MONTH,
        _("API Growth"),
        _("100,000 prediction calls a month, 600 a minute."),
        49900,
        [str(Feature.API)],
        api_monthly_quota=100_000,
        api_rate_per_minute=600,
        sort_order=31,
    ),
]
PLAN_SPECS = {spec.code: spec for spec in PLANS}

# Descriptions the catalogue used to write. A plan still holding one (in a language) was not edited by staff, so
# plans_ensure brings it up to date; an edited description is left alone.
FORMER_DESCRIPTIONS = {
    "premium-monthly": [
        _("Unlimited tracking, interview and offer probability, salary ranges with reasons, time to hire, exports.")
    ],
}


def _former_texts_update(plan: Plan, spec: PlanSpec) -> None:
    """Brings up to date, language by language, a description staff never changed: one still holding a former
    catalogue text, or the English text written before that language's translation existed. Drops retired codes."""
    current = in_every_language("description", spec.description)
    untouched = {column: {current["description_en"]} for column in current}
    for former in FORMER_DESCRIPTIONS.get(spec.code, []):
        texts = in_every_language("description", former)
        for column, text in texts.items():
            untouched[column] |= {text, texts["description_en"]}
    changed = False
    for column, text in current.items():
        if getattr(plan, column) != text and getattr(plan, column) in untouched[column]:
            setattr(plan, column, text)
            changed = True
    if RETIRED_FEATURES & set(plan.features):
        plan.features = [code for code in plan.features if code not in RETIRED_FEATURES]
        changed = True
    if changed:
        plan.save()


def plans_ensure() -> list[Plan]:
    """Creates the catalogue's plans that do not exist yet (idempotent; an existing plan is left as staff set it,
    except for texts and features the catalogue itself retired: see FORMER_DESCRIPTIONS and RETIRED_FEATURES)."""
    plans = []
    with transaction.atomic():
        for spec in PLANS:
            plan, created = Plan.objects.get_or_create(
                code=spec.code,
                defaults={
                    "kind": spec.kind,
                    "interval": spec.interval,
                    "price_minor": spec.price_minor,
                    "features": spec.features,
                    "application_limit": spec.application_limit,
                    "api_monthly_quota": spec.api_monthly_quota,
                    "api_rate_per_minute": spec.api_rate_per_minute,
                    "sort_order": spec.sort_order,
                },
            )
            if created:
                names = in_every_language("name", spec.name) | in_every_language("description", spec.description)
                for column, value in names.items():
                    setattr(plan, column, value)
                plan.save()
            else:
                _former_texts_update(plan, spec)
            plans.append(plan)
    return plans
