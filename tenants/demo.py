"""The demo platform a newcomer gets from the README's first command. Everything here is idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from portal.demo import DemoLogins, demo_programme_ensure
from portal.demo_organisations import DEMO_ORGANISATIONS
from tenants.models import Client
from tenants.provisioning import template_schema_sync, tenant_provision
from tenants.services import public_tenant_ensure, tenant_create
from tracking.demo import demo_seeker_ensure
from tracking.demo_seekers import DEMO_SEEKERS

DEMO_PASSWORD = "cvplus-demo-2026"  # noqa: S105 - printed to the console for the local demo only


@dataclass(frozen=True)
class DemoTenant:
    schema_name: str
    subdomain: str
    name: str
    kind: str
    region: str
    language: str
    currency: str
    # A consumer tenant's seekers; an enterprise's coach login, then its member login (portal/demo.py gives them
    # their roles, colleagues and a programme).
    users: tuple[tuple[str, str], ...]
    administrator: tuple[str, str] | None = None  # an enterprise's administrator (role), who manages members' data


DEMO_TENANTS = (
    DemoTenant(
        "app",
        "app",
        "CVPlus",
        Client.Kind.CONSUMER,
        "NA",
        "en",
        "USD",
        tuple((seeker.email, seeker.full_name) for seeker in DEMO_SEEKERS.values()),
    ),
    DemoTenant(
        "northbridge",
        "northbridge",
        "Northbridge University Career Centre",
        Client.Kind.ENTERPRISE,
        "NA",
        "en",
        "USD",
        (("coach@northbridge.example", "Dana Whitfield"), ("member@northbridge.example", "Morgan Ellis")),
        ("admin@northbridge.example", "Priya Raman"),
    ),
    DemoTenant(
        "rheinwerk",
        "rheinwerk",
        "Rheinwerk Outplacement GmbH",
        Client.Kind.ENTERPRISE,
        "EU",
        "de",
        "EUR",
        (("coach@rheinwerk.example", "Katrin Bergmann"), ("member@rheinwerk.example", "Jonas Hoffmann")),
        ("admin@rheinwerk.example", "Stefanie Vogel"),
    ),
    DemoTenant(
        "sakura",
        "sakura",
        "Sakura Tech Bootcamp",
        Client.Kind.ENTERPRISE,
        "APAC",
        "ja",
        "JPY",
        (("coach@sakura.example", "佐藤 遥"), ("member@sakura.example", "田中 蓮")),
        ("admin@sakura.example", "山本 愛子"),
    ),
)
STAFF_EMAIL = "admin@cvplus.localhost"
STAFF_NAME = "Lena Marquardt"  # CVPlus's own operations staff


def demo_platform_ensure(*, stdout=None) -> list[tuple[str, str, list[str]]]:
    """Creates (or finds) the public tenant, the template, the demo tenants and their users.

    Returns (host, tenant name, logins) rows for the console.
    """

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    base = settings.BASE_DOMAIN
    public_tenant_ensure(domain=base)
    if template_schema_sync():
        say(f"template schema {settings.TENANT_TEMPLATE_SCHEMA}: migrated")
    rows: list[tuple[str, str, list[str]]] = []
    staff, created = user_ensure(email=STAFF_EMAIL, password=DEMO_PASSWORD, full_name=STAFF_NAME, is_staff=True)
    rows.append((base, "CVPlus staff admin (/admin/)", [f"{staff.email} / {DEMO_PASSWORD}"]))
    for demo in DEMO_TENANTS:
        client = Client.objects.filter(schema_name=demo.schema_name).first()
        if client is None:
            client = tenant_create(
                name=demo.name,
                schema_name=demo.schema_name,
                domain=f"{demo.subdomain}.{base}",
                kind=demo.kind,
                region=demo.region,
                language=demo.language,
                currency=demo.currency,
                provision=False,
            )
        if not client.is_ready:
            tenant_provision(client_id=client.pk)
            say(f"tenant {demo.schema_name}: provisioned from the template")
        with schema_context(demo.schema_name):
            logins = []
            for email, full_name in demo.users:
                user, _created = user_ensure(email=email, password=DEMO_PASSWORD, full_name=full_name)
                logins.append(f"{user.email} / {DEMO_PASSWORD}")
                if demo.kind == Client.Kind.CONSUMER and demo_seeker_ensure(user=user):
                    say(f"{user.email}: demo CV and applications added")
            if demo.administrator is not None:
                email, full_name = demo.administrator
                user, _created = user_ensure(
                    email=email, password=DEMO_PASSWORD, full_name=full_name, role=User.Role.ADMINISTRATOR
                )
                logins = _enterprise_demo_ensure(demo, client, say)
        rows.append((f"{demo.subdomain}.{base}", demo.name, logins))
    return rows


def _enterprise_demo_ensure(demo: DemoTenant, client: Client, say) -> list[str]:
    """The organisation's contract, staff and programme (portal/demo.py); returns its logins for the console."""
    organisation = DEMO_ORGANISATIONS[demo.schema_name]
    (coach, _coach_name), (member, _member_name) = demo.users
    logins = DemoLogins(administrator=demo.administrator[0], coach=coach, member=member)
    programme = demo_programme_ensure(client=client, organisation=organisation, logins=logins, password=DEMO_PASSWORD)
    if programme is not None:
        say(
            f"tenant {demo.schema_name}: demo programme added "
            f"({programme.members} members, {programme.applications} applications)"
        )
    return [
        f"{logins.administrator} / {DEMO_PASSWORD} (administrator)",
        f"{logins.coach} / {DEMO_PASSWORD} (coach)",
        f"{organisation.analyst[0]} / {DEMO_PASSWORD} (analyst)",
        f"{logins.member} / {DEMO_PASSWORD} (member, with an offer to decide)",
    ]
