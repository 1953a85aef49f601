"""The demo's plans: the first seeker is Premium (granted by staff, as without Stripe keys), the second stays Free so
the locked sections and the pricing page can be seen (each demo organisation's contract comes with its programme:
portal/demo.py). And one API licensee with a key, for the licensee API and page."""

from __future__ import annotations

from django.conf import settings
from django_tenants.utils import schema_context

from accounts.models import User
from billing.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from billing.models import Licensee, Plan, Subscription
from billing.services import plan_grant

DEMO_PREMIUM = ("app", "seeker@example.com")


def demo_plans_grant() -> None:
    schema, email = DEMO_PREMIUM
    with schema_context(schema):
        user_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
    if user_id is None or Subscription.objects.filter(user_id=user_id, tenant__schema_name=schema).exists():
        return  # keep whatever the demo's staff changed since
    plan_grant(schema=schema, user_id=user_id, plan_code="premium-yearly")


DEMO_LICENSEE = "Brightlane HR Software (SIMULATED)"
DEMO_LICENSEE_CONTACT = "api@brightlane-hr.example"
# The name an earlier demo gave it: a database set up then keeps its licensee and key, renamed.
FORMER_DEMO_LICENSEE = "Demo HR Systems (SIMULATED)"
DEMO_KEY_FILE = settings.BASE_DIR / ".run" / "demo-licensee-key"


def demo_licensee_ensure() -> str:
    """A SIMULATED API licensee on the starter plan with one live key, whose secret is kept in DEMO_KEY_FILE (the
    only copy: CVPlus stores keys hashed). A key file that no longer signs in (a new database) gets a new key."""
    if not Licensee.objects.filter(name=DEMO_LICENSEE).exists():
        Licensee.objects.filter(name=FORMER_DEMO_LICENSEE).update(
            name=DEMO_LICENSEE, contact_email=DEMO_LICENSEE_CONTACT
        )
    licensee, _created = Licensee.objects.get_or_create(
        name=DEMO_LICENSEE,
        defaults={"contact_email": DEMO_LICENSEE_CONTACT, "plan": Plan.objects.get(code="api-starter")},
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
