"""The webhook outbox (issue 13, item 6): a tracking.DomainEvent becomes the webhook deliveries it calls for.

``domain_event_saved`` hears every saved DomainEvent (connected in portal/apps.py, so that tracking never imports
portal) and writes one WebhookDelivery per subscribed active endpoint, in the transaction of the change itself; the
sending is queued for after the commit. Nothing is sent on the request path: portal/webhook_delivery.py sends,
retries and records.

| domain event              | webhook events                                                              |
|---------------------------|-----------------------------------------------------------------------------|
| member.joined             | member.joined                                                               |
| application.created       | application.stage_changed (from: null)                                      |
| application.stage_changed | application.stage_changed; offer.accepted as well when it moved to accepted |

Application events are sent only for members who share their applications (the same rule as the organisation API),
and carry no CV, note or contact: ids, stages, dates, and the posting's industry and country.

Cost on the request: nothing on a consumer host; on an enterprise host, one cache read of which events have an
active endpoint (portal/webhooks.py, ``webhook_events_subscribed``), so a change in an organisation without webhooks
costs nothing more. A cold cache costs one query: tests that pin the queries of a write on an enterprise host warm it
first with ``webhook_events_subscribed()``.
"""

from __future__ import annotations

import uuid

from django.db import connection

from accounts.models import User
from portal import access
from portal.models import WebhookDelivery, WebhookEndpoint
from portal.webhooks import deliveries_queue, iso_utc, webhook_envelope, webhook_events_subscribed
from tracking.models import Application, DomainEvent, Stage

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


def _member_data(member_id: int | None) -> dict | None:
    member = (
        User.objects.filter(pk=member_id)
        .select_related("membership__cohort", "membership__coach")
        .only(
            "id",
            "email",
            "full_name",
            "role",
            "date_joined",
            "membership__joined_at",
            "membership__cohort__name",
            "membership__coach__full_name",
            "membership__coach__email",
        )
        .first()
    )
    if member is None:
        return None
    membership = getattr(member, "membership", None)
    cohort = membership.cohort if membership else None
    coach = membership.coach if membership else None
    return {
        "member": {
            "id": member.pk,
            "name": member.get_full_name(),
            "email": member.email,
            "role": member.role,
            "cohort": {"id": cohort.pk, "name": cohort.name} if cohort else None,
            "coach": {"id": coach.pk, "name": coach.get_full_name()} if coach else None,
            "joined_at": iso_utc(membership.joined_at if membership else member.date_joined),
        }
    }


def _application_shared(application_id: int | None) -> Application | None:
    """The application with what its events carry, if its member shares their applications (one query)."""
    return (
        Application.objects.filter(pk=application_id, owner__membership__share_applications=True)
        .select_related("posting")
        .only("id", "owner_id", "stage", "offer_amount", "offer_currency", "posting__industry", "posting__country")
        .first()
    )


def _application_data(event: DomainEvent, application: Application, webhook_event: str) -> dict:
    payload = event.payload or {}
    data = {
        "application": {
            "id": application.pk,
            "industry": application.posting.industry,
            "country": application.posting.country,
        },
        "member": {"id": application.owner_id},
        "occurred_at": iso_utc(event.occurred_at),
    }
    if webhook_event == Event.OFFER_ACCEPTED:
        amount = application.offer_amount
        data["offer"] = {"amount": str(amount), "currency": application.offer_currency} if amount is not None else None
    else:
        created = event.kind == DomainEvent.Kind.APPLICATION_CREATED
        data["from"] = None if created else payload.get("from")
        data["to"] = payload.get("stage") if created else payload.get("to")
    return data


def _tenant_kind_known_and_not_enterprise() -> bool:
    """True on a consumer host's request (its tenant row is at hand): no portal, no webhooks, nothing to look up."""
    kind = getattr(getattr(connection, "tenant", None), "kind", None)
    return kind is not None and kind != "enterprise"


def _events_data(event: DomainEvent, wanted: list[str]) -> dict[str, dict]:
    """Each wanted webhook event's data; none for an application that is gone or that its member does not share."""
    if wanted == [Event.MEMBER_JOINED]:
        data = _member_data(event.subject_id)
        return {} if data is None else {Event.MEMBER_JOINED: data}
    application = _application_shared(event.subject_id)
    if application is None:
        return {}
    return {webhook_event: _application_data(event, application, webhook_event) for webhook_event in wanted}


def webhook_outbox_record(event: DomainEvent) -> list[WebhookDelivery]:
    """Writes the deliveries `event` calls for, in the current transaction, and queues them after its commit.

    Three queries when an endpoint listens (the application or member, the endpoints, one insert); one cache read
    when none does; nothing on a consumer host."""
    candidates = _events_of(event)
    if not candidates or _tenant_kind_known_and_not_enterprise():
        return []
    subscribed = webhook_events_subscribed()
    wanted = [webhook_event for webhook_event in candidates if webhook_event in subscribed]
    if not wanted or not access.is_enterprise():
        return []
    data = _events_data(event, wanted)
    if not data:
        return []
    envelopes = {
        webhook_event: webhook_envelope(uuid.uuid4(), webhook_event, event.occurred_at, event_data)
        for webhook_event, event_data in data.items()
    }
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event_id=envelope["id"], event=webhook_event, payload=envelope)
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).only("id", "events")
        for webhook_event, envelope in envelopes.items()
        if webhook_event in endpoint.events
    ]
    if deliveries:
        # One INSERT (Django's bulk_create is atomic without a savepoint of its own) in the change's transaction.
        deliveries = WebhookDelivery.objects.bulk_create(deliveries)
        deliveries_queue(deliveries)
    return deliveries


def domain_event_saved(sender: type, instance: DomainEvent, created: bool, raw: bool = False, **_: object) -> None:
    """post_save receiver for tracking.DomainEvent (portal/apps.py)."""
    if created and not raw:
        webhook_outbox_record(instance)
