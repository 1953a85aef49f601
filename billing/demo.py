"""The demo's plans: the first seeker is Premium (granted by staff, as without Stripe keys), the second stays Free so
the locked sections and the pricing page can be seen; each demo organisation has a contract in its own currency (one
without salary ranges, so a locked feature shows in the programme's words). And one API licensee with a key, for the
licensee API and page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from billing.catalogue import PREMIUM_FEATURES
from billing.models import Contract, Feature, Licensee, Plan, Subscription
from billing.services import plan_grant
from tenants.models import Client

DEMO_PREMIUM = ("app", "seeker@example.com")


def demo_plans_grant() -> None:
    schema, email = DEMO_PREMIUM
    with schema_context(schema):
        user_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
    if user_id is None or Subscription.objects.filter(user_id=user_id, tenant__schema_name=schema).exists():
        return  # keep whatever the demo's staff changed since
    plan_grant(schema=schema, user_id=user_id, plan_code="premium-yearly")


@dataclass(frozen=True)
class DemoContract:
    schema: str
    seats: int  # room for the demo's members (20-40 each) and a few invitations
    price_per_seat_minor: int  # in the tenant's currency: 9.00 USD, 14.50 EUR, 1,800 JPY
    features: tuple[str, ...]
    notes: str


DEMO_CONTRACTS = (
    DemoContract(
        "northbridge", 60, 900, tuple(PREMIUM_FEATURES), "SIMULATED: career centre licence, class of 2026 and alumni."
    ),
    DemoContract("rheinwerk", 45, 1450, tuple(PREMIUM_FEATURES), "SIMULATED: Outplacement-Rahmenvertrag 2026."),
    DemoContract(
        "sakura",
        50,
        1800,
        (Feature.TRACKING, Feature.MATCH, Feature.SALARY_BASIC, Feature.INTERVIEW, Feature.TIME_TO_HIRE),
        "SIMULATED: bootcamp cohorts, salary ranges not included.",
    ),
)


def demo_contracts_ensure(contracts: tuple[DemoContract, ...] = DEMO_CONTRACTS) -> list[Contract]:
    """A contract in force for each demo organisation that exists and has none yet (a year, half of it gone, so the
    demo's histories over past months fall inside it); an organisation with any contract is left as staff set it."""
    today = timezone.localdate()
    created = []
    for spec in contracts:
        tenant = Client.objects.filter(schema_name=spec.schema, kind=Client.Kind.ENTERPRISE).first()
        if tenant is None or Contract.objects.filter(tenant=tenant).exists():
            continue
        created.append(
            Contract.objects.create(
                tenant=tenant,
                seats=spec.seats,
                price_per_seat_minor=spec.price_per_seat_minor,
                currency=tenant.currency,
                starts_on=today - timedelta(days=182),
                ends_on=today + timedelta(days=182),
                features=[str(feature) for feature in spec.features],
                notes=spec.notes,
            )
        )
    return created


DEMO_LICENSEE = "Demo HR Systems (SIMULATED)"
DEMO_KEY_FILE = settings.BASE_DIR / ".run" / "demo-licensee-key"


def demo_licensee_ensure() -> str:
    """A SIMULATED API licensee on the starter plan with one live key, whose secret is kept in DEMO_KEY_FILE (the
    only copy: CVPlus stores keys hashed). A key file that no longer signs in (a new database) gets a new key."""
    licensee, _created = Licensee.objects.get_or_create(
        name=DEMO_LICENSEE,
        defaults={"contact_email": "api@demo-hr.example", "plan": Plan.objects.get(code="api-starter")},
    )
    if DEMO_KEY_FILE.exists():
        key = api_key_authenticate(DEMO_KEY_FILE.read_text().strip())
        if key is not None and key.licensee_id == licensee.pk:
            return str(DEMO_KEY_FILE)
    for stale in licensee.api_keys.filter(name="demo", revoked_at__isnull=True):
        api_key_revoke(key=stale)  # its secret is in another checkout's file, or lost: nobody here can use it
    _key, secret = api_key_issue(licensee=licensee, name="demo")
    DEMO_KEY_FILE.parent.mkdir(exist_ok=True)
    DEMO_KEY_FILE.write_text(secret + "\n")
    return str(DEMO_KEY_FILE)
