"""The webhook outbox (issue 13, item 6): a tracking.DomainEvent becomes the webhook deliveries it calls for.

``domain_event_saved`` hears every saved DomainEvent (connected in portal/apps.py, so that tracking never imports
portal) and writes one WebhookDelivery per active endpoint listening to each webhook event the change calls for, in
the transaction of the change itself: a rollback writes nothing. The rows carry the domain event's id and no body; the
worker builds the body on the delivery's first try (portal/webhook_bodies.py), applying the privacy rule then, and
sends, retries and records (portal/webhook_delivery.py). Nothing is sent on the request path.

| domain event              | webhook events                                                              |
|---------------------------|-----------------------------------------------------------------------------|
| member.joined             | member.joined                                                               |
| application.created       | application.stage_changed (from: null)                                      |
| application.stage_changed | application.stage_changed; offer.accepted as well when it moved to accepted |

Cost on the request:
- a consumer host: nothing;
- an enterprise host: one cache read of the active endpoints and their events (portal/webhooks.py,
  ``webhook_endpoints_listening``), so an organisation without webhooks pays that and nothing more. A cold cache
  costs one query: tests that pin the queries of a write on an enterprise host warm it first;
- when an endpoint listens: one bulk INSERT in the change's transaction, and after the commit the hand-over of a kick
  to this process's kick thread (``webhook_deliveries_kick``), which sets a Redis flag with ``SET NX`` and sends one
  Celery message only when no dispatch is already on its way: the flag and the broker are off the request.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import nullcontext

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from billing.redis_client import REDIS_ERRORS
from cvplus.kicks import kick_after_commit, kicks_wait
from portal import access
from portal.models import WebhookDelivery, WebhookEndpoint
from portal.tasks import webhook_deliveries_due_dispatch
from portal.webhook_delivery import KICK_CACHE_KEY, KICK_TTL_S
from portal.webhooks import webhook_endpoints_listening
from tracking.models import DomainEvent, Stage

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event


def _events_of(event: DomainEvent) -> list[str]:
    if event.kind == DomainEvent.Kind.MEMBER_JOINED:
        return [Event.MEMBER_JOINED]
    if event.kind == DomainEvent.Kind.APPLICATION_CREATED:
        return [Event.STAGE_CHANGED]
    if event.kind == DomainEvent.Kind.STAGE_CHANGED:
        accepted = (event.payload or {}).get("to") == Stage.ACCEPTED
        return [Event.STAGE_CHANGED, Event.OFFER_ACCEPTED] if accepted else [Event.STAGE_CHANGED]
    return []


def _tenant_kind_known_and_not_enterprise() -> bool:
    """True on a consumer host's request (its tenant row is at hand): no portal, no webhooks, nothing to look up."""
    kind = getattr(getattr(connection, "tenant", None), "kind", None)
    return kind is not None and kind != "enterprise"


# The kick runs on the process's kick thread (cvplus/kicks.py), after the commit: setting the flag and publishing the
# dispatch (about 0.3 ms and 1–1.5 ms here: kombu builds a pipeline for every message) are then off the request that
# caused the change, which only pays the INSERT. Kicks lost with an exiting process are sent by the sweep.
webhook_kicks_wait = kicks_wait


def _kick(schema: str) -> None:
    """Sets the schema's flag and, if this call set it, sends one dispatch (see webhook_deliveries_kick)."""
    with nullcontext() if connection.schema_name == schema else schema_context(schema):
        try:
            kicked = cache.add(KICK_CACHE_KEY, 1, KICK_TTL_S)
        except REDIS_ERRORS:
            logger.warning("Could not set the webhook dispatch flag; the sweep sends the deliveries")
            return
    if not kicked:
        return
    try:
        webhook_deliveries_due_dispatch.apply_async(headers={"_schema_name": schema})
    except OperationalError:
        logger.warning("Could not send the webhook dispatch to the broker; the sweep sends the deliveries")


def webhook_deliveries_kick() -> None:
    """Once the current transaction commits, makes sure, on the kick thread (off the request), that a dispatch
    (portal/tasks.py, ``webhook_deliveries_due_dispatch``) is on its way to this schema: sets the schema's flag with
    ``SET NX`` (``cache.add``) and sends one dispatch only when this kick set it. While the flag is set, later changes
    send nothing: the dispatch on its way will see their rows.

    Why no delivery is left waiting: each change's rows are committed before its flag is set, and the dispatch clears
    the flag before it reads the due deliveries. A change whose ``SET NX`` comes after the clear sets the flag again
    and sends another dispatch; a change whose ``SET NX`` came before the clear committed before it, so the
    dispatch's read (a later statement, READ COMMITTED) sees its rows. A dispatch that is lost (a worker that dies
    before the clear) holds the flag for ``KICK_TTL_S`` at most. A Redis or broker failure is logged and sends
    nothing: the 60 s sweep (``deliver-due-webhooks-in-every-tenant``) delivers the rows; a failed send keeps the flag,
    so that no more than one kick per ``KICK_TTL_S`` waits on a broker that does not answer.

    A backlog does not multiply the dispatches: a dispatch waits in the queue behind the tries the previous one
    queued, with the flag set, so that by the time it lists what is due those tries have mostly been claimed (a try
    listed twice is a no-op: the claim)."""
    schema = connection.schema_name  # named now: the cache key and the message are this schema's
    kick_after_commit(_kick, schema)


def webhook_outbox_record(event: DomainEvent) -> list[WebhookDelivery]:
    """Writes the deliveries `event` calls for, without their bodies, in the current transaction, and kicks the
    worker after its commit.

    One INSERT when an endpoint listens; one cache read when none does; nothing on a consumer host. The event id of
    each webhook event is chosen here, the same for every endpoint, so that retries, replays and the endpoints all
    see one id per change."""
    candidates = _events_of(event)
    if not candidates or _tenant_kind_known_and_not_enterprise():
        return []
    wanted = [
        (endpoint_id, webhook_event)
        for endpoint_id, events in webhook_endpoints_listening()
        for webhook_event in candidates
        if webhook_event in events
    ]
    if not wanted or not access.is_enterprise():
        return []
    event_ids = {webhook_event: uuid.uuid4() for webhook_event in candidates}
    deliveries = [
        WebhookDelivery(
            endpoint_id=endpoint_id,
            event_id=event_ids[webhook_event],
            event=webhook_event,
            payload={},
            domain_event=event,
        )
        for endpoint_id, webhook_event in wanted
    ]
    # One INSERT (Django's bulk_create is atomic without a savepoint of its own) in the change's transaction.
    deliveries = WebhookDelivery.objects.bulk_create(deliveries)
    webhook_deliveries_kick()
    return deliveries


def domain_event_saved(sender: type, instance: DomainEvent, created: bool, raw: bool = False, **_: object) -> None:
    """post_save receiver for tracking.DomainEvent (portal/apps.py)."""
    if created and not raw:
        webhook_outbox_record(instance)
