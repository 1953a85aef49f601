"""The staff directory's reads: people found across every ready tenant by email or name, schema by schema, and one
person in one tenant with their subscription and their organisation's contract.

Read-only by construction: inside a tenant's schema only ``values()`` SELECTs run, a bounded number of rows each
(``limit_per_tenant``); subscriptions and contracts are read once, in public, for every person found. Callers (the
admin views) record each search and each person viewed in the staff audit log (tenants/staff_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Contract, Subscription
from tenants.context import dangerously_for_each_tenant, public_schema_context
from tenants.models import Client

LIMIT_PER_TENANT = 25
QUERY_MIN_CHARS = 2
_PERSON_FIELDS = ("id", "email", "full_name", "role", "is_active", "date_joined")


@dataclass(frozen=True)
class DirectoryPerson:
    tenant: Client
    user_id: int
    email: str
    full_name: str
    role: str  # translated label
    is_active: bool
    date_joined: datetime
    subscription: Subscription | None = None  # with its plan
    contract: Contract | None = None  # the tenant's contract in force today (organisations)

    @property
    def is_organisation(self) -> bool:
        return self.tenant.kind == Client.Kind.ENTERPRISE


@dataclass
class DirectoryResult:
    query: str
    people: list[DirectoryPerson] = field(default_factory=list)
    tenants_searched: int = 0
    truncated: list[Client] = field(default_factory=list)  # tenants with more matches than shown


def _role_label(role: str) -> str:
    from accounts.models import User

    return str(User.Role(role).label) if role in User.Role.values else role


def _matches(query: str, limit: int) -> list[dict]:
    from accounts.models import User

    found = User.objects.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    return list(found.order_by("email").values(*_PERSON_FIELDS)[: limit + 1])


def _contracts_in_force(tenant_ids: set[int], today: date) -> dict[int, Contract]:
    contracts = Contract.objects.filter(tenant_id__in=tenant_ids, starts_on__lte=today, ends_on__gte=today)
    in_force: dict[int, Contract] = {}
    for contract in contracts.order_by("tenant_id", "-starts_on"):
        in_force.setdefault(contract.tenant_id, contract)
    return in_force


def _people(rows: list[tuple[Client, dict]]) -> list[DirectoryPerson]:
    """Directory entries for (tenant, user row) pairs, with subscriptions and contracts read in two queries."""
    if not rows:
        return []
    with public_schema_context():
        pairs = Q()
        for client, row in rows:
            pairs |= Q(tenant_id=client.pk, user_id=row["id"])
        subscriptions = {
            (subscription.tenant_id, subscription.user_id): subscription
            for subscription in Subscription.objects.select_related("plan").filter(pairs)
        }
        contracts = _contracts_in_force({client.pk for client, _row in rows}, timezone.localdate())
    return [
        DirectoryPerson(
            tenant=client,
            user_id=row["id"],
            email=row["email"],
            full_name=row["full_name"],
            role=_role_label(row["role"]),
            is_active=row["is_active"],
            date_joined=row["date_joined"],
            subscription=subscriptions.get((client.pk, row["id"])),
            contract=contracts.get(client.pk),
        )
        for client, row in rows
    ]


def directory_search(
    *, query: str, tenant: Client | None = None, limit_per_tenant: int = LIMIT_PER_TENANT
) -> DirectoryResult:
    """People whose email or name contains `query` (case-insensitive), in `tenant` or in every ready tenant, at most
    `limit_per_tenant` per tenant (``truncated`` names the tenants that had more). A query shorter than
    QUERY_MIN_CHARS finds nobody: the directory looks people up, it does not list everyone."""
    query = query.strip()
    result = DirectoryResult(query=query)
    if len(query) < QUERY_MIN_CHARS:
        return result
    with public_schema_context():
        clients = {client.schema_name: client for client in Client.objects.filter(is_ready=True)}
    found: list[tuple[Client, dict]] = []

    def search(schema: str) -> None:
        rows = _matches(query, limit_per_tenant)
        if len(rows) > limit_per_tenant:
            result.truncated.append(clients[schema])
        found.extend((clients[schema], row) for row in rows[:limit_per_tenant])

    if tenant is not None:
        if tenant.is_ready and tenant.kind != Client.Kind.PUBLIC:
            with schema_context(tenant.schema_name):
                search(tenant.schema_name)
            result.tenants_searched = 1
    else:
        result.tenants_searched = sum(1 for _searched in dangerously_for_each_tenant(search))
    result.people = _people(found)
    return result


def directory_person(*, tenant: Client, user_id: int) -> DirectoryPerson | None:
    """One person of `tenant` with their subscription and the tenant's contract in force; None when the tenant has
    no schema (being set up or erased) or nobody has this id in it."""
    if not tenant.is_ready or tenant.kind == Client.Kind.PUBLIC:
        return None
    from accounts.models import User

    with schema_context(tenant.schema_name):
        row = User.objects.filter(pk=user_id).values(*_PERSON_FIELDS).first()
    if row is None:
        return None
    return _people([(tenant, row)])[0]
