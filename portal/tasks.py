"""Celery entry points for the portal; thin wrappers around portal/webhook_delivery.py. They run in the schema of the
organisation that sent them (tenants.tasks.TenantOnlyTask); the periodic sweep is fanned out per tenant by
tenants.tasks.tenants_dispatch (cvplus/settings/base.py)."""

from __future__ import annotations

from cvplus.celery import app
from portal import webhook_delivery
from tenants.tasks import TenantOnlyTask

# The longest exchange is PORTAL_WEBHOOKS_TIMEOUT_MS (5 s by default); the limits leave room for the bookkeeping.
DELIVER_SOFT_LIMIT_S = 30


@app.task(base=TenantOnlyTask, soft_time_limit=DELIVER_SOFT_LIMIT_S, acks_late=True)
def webhook_deliver_task(delivery_id: int) -> str | None:
    """Tries one delivery once: a no-op unless it is due and this call wins the claim."""
    return webhook_delivery.webhook_delivery_send(delivery_id)


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def webhook_deliveries_due_dispatch() -> int:
    """Queues one try per delivery that is due in this tenant: new ones (sent by a change's kick,
    portal/webhook_outbox.py), retries, and any whose message was lost (the 60 s sweep sends this task too).

    Clears the kick's flag before it reads what is due, never after: a change that commits later sends another
    dispatch; one that committed before the clear is in this read (portal/webhook_outbox.py states the argument)."""
    webhook_delivery.webhook_kick_clear()
    due = webhook_delivery.webhook_deliveries_due()
    for delivery_id in due:
        webhook_deliver_task.delay(delivery_id)
    return len(due)
