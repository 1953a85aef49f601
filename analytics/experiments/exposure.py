"""Which variant a person sees, and the record that they saw it: `experiment_variant` is the one call product code
makes.

The variant is computed, never stored (analytics/experiments/assignment.py over "<tenant schema>:<user id>", a
pseudonymous id that is the same on every device). The first exposure of a person to an experiment is written once:
a row in public.analytics_exposure (INSERT ... ON CONFLICT DO NOTHING on its unique constraint, so two requests at
the same moment still make one row) and, only from the call that inserted it, an "experiment.exposed" domain event
in the person's tenant schema, in the same transaction. Each process remembers the exposures it has seen committed,
so a person's later pages cost no INSERT.
"""

from __future__ import annotations

import threading
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from analytics.experiments.assignment import variant_for
from analytics.experiments.definitions import RunningExperiment, experiments_running
from analytics.models import Experiment, Exposure
from tracking.events import domain_event_record
from tracking.models import DomainEvent

EXPOSED_KIND = DomainEvent.Kind.EXPERIMENT_EXPOSED
MEMO_LIMIT = 100_000
_memo_lock = threading.Lock()
_recorded: set[tuple[int, str, int]] = set()


def subject_of(*, schema: str, user_id: int) -> str:
    """The id an experiment hashes: stable for a person, unique across tenants (user ids repeat between schemas)."""
    return f"{schema}:{user_id}"


def population_includes(experiment: RunningExperiment, *, tenant, user) -> bool:
    from tenants.models import Client

    population = Experiment.Population
    if tenant.kind == Client.Kind.PUBLIC:
        return False
    if experiment.population == population.EVERYONE:
        return True
    if experiment.population == population.SEEKERS:
        return tenant.kind == Client.Kind.CONSUMER
    if experiment.population == population.ENTERPRISE:
        return tenant.kind == Client.Kind.ENTERPRISE
    if experiment.population == population.TENANTS:
        return tenant.pk in experiment.tenant_ids
    if experiment.population == population.PREMIUM:
        from billing.entitlements import plan_for
        from billing.models import Plan

        return tenant.kind == Client.Kind.CONSUMER and plan_for(user).kind == Plan.Kind.PREMIUM
    return False  # an unknown population includes nobody (fails closed)


def experiment_variant(key: str, *, tenant, user) -> str | None:
    """The variant of experiment `key` that `user` of `tenant` sees, recording their first exposure; None when the
    experiment does not run now, the person is not signed in or not in its population. Must run in `tenant`'s own
    schema (the exposure's domain event is written there): anything else raises."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    experiment = experiments_running().get(key)
    if experiment is None or not experiment.runs_at(timezone.now()):
        return None
    if connection.schema_name != tenant.schema_name:
        raise RuntimeError("experiment_variant must run in the tenant's own schema")
    if not population_includes(experiment, tenant=tenant, user=user):
        return None
    variant = variant_for(experiment.key, subject_of(schema=tenant.schema_name, user_id=user.pk), experiment.variants)
    exposure_record(experiment=experiment, tenant=tenant, user_id=user.pk, variant=variant)
    return variant


def exposure_record(
    *,
    experiment: RunningExperiment | Experiment,
    tenant,
    user_id: int,
    variant: str,
    at: datetime | None = None,
    simulated: bool = False,
) -> bool:
    """Writes the person's first exposure (row and domain event) unless it exists; True when this call wrote it.
    Runs in the tenant's schema."""
    memo_key = (
        experiment.id if isinstance(experiment, RunningExperiment) else experiment.pk,
        tenant.schema_name,
        user_id,
    )
    if memo_key in _recorded:
        return False
    table = (
        f"{connection.ops.quote_name(get_public_schema_name())}.{connection.ops.quote_name(Exposure._meta.db_table)}"
    )
    at = at or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (experiment_id, tenant_id, user_id, variant, exposed_at, simulated) "  # noqa: S608 - names, not input
                "VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (experiment_id, tenant_id, user_id) DO NOTHING RETURNING id",
                [memo_key[0], tenant.pk, user_id, variant, at, simulated],
            )
            inserted = cursor.fetchone() is not None
        if inserted:
            domain_event_record(
                kind=EXPOSED_KIND,
                actor_id=user_id,
                subject_id=memo_key[0],
                payload={"experiment": experiment.key, "variant": variant, "simulated": simulated},
                at=at,
            )
    transaction.on_commit(lambda: _remember(memo_key))
    return inserted


def _remember(memo_key: tuple[int, str, int]) -> None:
    with _memo_lock:
        if len(_recorded) >= MEMO_LIMIT:
            _recorded.clear()
        _recorded.add(memo_key)


def exposures_memo_clear() -> None:
    with _memo_lock:
        _recorded.clear()


def exposures_forget(*, tenant, user_id: int) -> int:
    """Deletes a person's exposures (their account is erased); their domain events are anonymised by privacy."""
    with _memo_lock:
        _recorded.difference_update({key for key in _recorded if key[1:] == (tenant.schema_name, user_id)})
    return Exposure.objects.filter(tenant=tenant, user_id=user_id).delete()[0]
