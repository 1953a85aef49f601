"""`plan_for`'s answer kept in Redis, so a gated request does not look up the subscription and its plan each time.

An entry is kept per tenant (by its Client id, one per schema), user and language (the plan's name is translated)
and carries the day it was computed on (staff grants and contracts end on a date) and three generations: the whole
catalogue's, the tenant's and the user's. It is used only while all three are unchanged and the day is today.

Any change that can alter the answer bumps a generation, through signals, so every path is covered (Stripe webhooks,
services, staff edits and bulk deletes in admin): a Subscription saved or deleted bumps its user's; a Contract or the
tenant row, the tenant's; a Plan, the catalogue's. Bulk ``update()``, ``bulk_update()`` and ``bulk_create()`` send
no signal, so those models' querysets (`InvalidatingQuerySet`) bump the catalogue's generation themselves. A bump
happens at once and again after the transaction commits: a request that read the old rows between the two cannot
keep them.

Generations are read in the same round trip as the entry (MGET). Entries live `ENTRY_TTL_S`, generations twice that
after their last bump, so a generation that expires can never make an older entry look current again. With Redis
unreachable, or PLAN_CACHE off, every request asks PostgreSQL as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from cvplus import batched_writes

PlanView = TypeVar("PlanView")  # billing.entitlements.PlanView, a frozen dataclass of plain values

PREFIX = "billing:plan"
ENTRY_TTL_S = 300
GENERATION_TTL_S = 2 * ENTRY_TTL_S


def _namespace() -> str:
    return batched_writes.database_namespace(PREFIX)


def _generation_keys(namespace: str, tenant_id: int, user_id: int | None) -> list[str]:
    return [f"{namespace}gen", f"{namespace}gen:{tenant_id}", f"{namespace}gen:{tenant_id}:{user_id}"]


def plan_cached(
    *, tenant_id: int, user_id: int | None, compute: Callable[[], PlanView], view: type[PlanView]
) -> PlanView:
    """The cached answer for this tenant, user and the active language, or `compute()`'s (stored for next time);
    `view` is the answer's class, rebuilt from what is stored."""
    client = redis_client() if settings.PLAN_CACHE else None
    if client is None or redis_down(client):
        return compute()
    namespace = _namespace()
    entry_key = f"{namespace}entry:{tenant_id}:{user_id}:{translation.get_language()}"
    today = timezone.localdate().isoformat()
    try:
        entry, *generations = client.mget([entry_key, *_generation_keys(namespace, tenant_id, user_id)])
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return compute()
    current = [int(value or 0) for value in generations]
    if entry is not None:
        stored = json.loads(entry)
        if stored["generations"] == current and stored["day"] == today:
            return _plan_view(stored["plan"], view)
    plan = compute()
    try:
        client.set(entry_key, json.dumps({"generations": current, "day": today, "plan": _plain(plan)}), ex=ENTRY_TTL_S)
    except REDIS_ERRORS as error:
        redis_failed(client, error)
    return plan


def plan_cache_invalidate(
    *, tenant_id: int | None = None, user_id: int | None = None, after_commit: bool = True
) -> None:
    """Bumps the user's generation (tenant and user given), the tenant's (tenant only) or the catalogue's (neither),
    now and (unless `after_commit` is off) again after the current transaction commits."""
    if not settings.PLAN_CACHE:
        return
    namespace = _namespace()
    keys = _generation_keys(namespace, tenant_id or 0, user_id)
    key = keys[0] if tenant_id is None else keys[2] if user_id is not None else keys[1]
    _bump(key)
    if after_commit:
        transaction.on_commit(lambda: _bump(key))


def _bump(key: str) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        with client.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, GENERATION_TTL_S)
            pipe.execute()
    except REDIS_ERRORS as error:
        # Entries end within ENTRY_TTL_S; meanwhile Redis is unreachable, so no request reads them either.
        redis_failed(client, error)


def _plain(plan: PlanView) -> dict[str, Any]:
    when = plan.renews_or_ends
    return {
        "code": plan.code,
        "kind": plan.kind,
        "name": str(plan.name),
        "features": sorted(plan.features),
        "application_limit": plan.application_limit,
        "source": plan.source,
        "renews_or_ends": None if when is None else [type(when).__name__, when.isoformat()],
        "cancel_at_period_end": plan.cancel_at_period_end,
        "status": plan.status,
        "organisation": plan.organisation,
    }


def _plan_view(values: dict[str, Any], view: type[PlanView]) -> PlanView:
    when = values["renews_or_ends"]
    if when is not None:
        when = (datetime if when[0] == "datetime" else date).fromisoformat(when[1])
    return view(**{**values, "features": frozenset(values["features"]), "renews_or_ends": when})


# ---------------------------------------------------------------------------------------------------------------------
# What bumps a generation (connected in billing/apps.py)
# ---------------------------------------------------------------------------------------------------------------------


def subscription_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    plan_cache_invalidate(tenant_id=instance.tenant_id, user_id=instance.user_id)


def contract_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    plan_cache_invalidate(tenant_id=instance.tenant_id)


def tenant_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    # Only the tenant's kind matters to a plan, and it changes in admin at most: the bump at once is enough (its
    # race with a request in flight lasts one transaction, and an entry lives ENTRY_TTL_S at most). Tenant saves
    # sit in transactions that count their on-commit work (provisioning, erasure).
    plan_cache_invalidate(tenant_id=instance.pk, after_commit=False)


def catalogue_changed(sender: type, **kwargs: Any) -> None:
    plan_cache_invalidate()


class InvalidatingQuerySet(models.QuerySet):
    """For the models a plan is read from: bulk writes, which send no signal, bump the catalogue's generation."""

    def update(self, **kwargs: Any) -> int:
        changed = super().update(**kwargs)
        plan_cache_invalidate()
        return changed

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        plan_cache_invalidate()
        return changed

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        plan_cache_invalidate()
        return created

    update.alters_data = True
    bulk_update.alters_data = True
    bulk_create.alters_data = True
