"""What a webhook delivery sends: the JSON envelope, and the body of a delivery that a change caused, built by the
worker from the change's tracking.DomainEvent on the delivery's first try (portal/webhook_delivery.py).

The outbox (portal/webhook_outbox.py) writes such deliveries on the request with an empty body and the domain event's
id, so that the request makes no query for the application or member. The body is built once, stored, and never built
again: retries and replays send the stored bytes. The deliveries of one webhook event to several endpoints (they share
its event id) get the body of whichever worker builds the first of them.

Application events are sent only for members who share their applications (the same rule as the organisation API),
checked when the body is built, and carry no CV, note or contact: ids, stages, dates, and the posting's industry and
country. When there is nothing to send (the application or member is gone, or the member does not share), the
deliveries are deleted: never sent, never shown in the delivery log. The envelope's id and ``created`` are those of
the change (the event id written on the request, the domain event's time), whenever the body is built.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from accounts.models import User
from portal.models import UNBUILT, WebhookDelivery, WebhookEndpoint
from tracking.models import Application, DomainEvent

Event = WebhookEndpoint.Event


def iso_utc(moment: datetime) -> str:
    """``2026-12-07T09:30:00.123456Z``: how every time in a webhook body is written."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def webhook_envelope(event_id: uuid.UUID, webhook_event: str, created: datetime, data: dict) -> dict:
    """The JSON body every delivery sends (replays send it again unchanged)."""
    return {"id": str(event_id), "type": webhook_event, "created": iso_utc(created), "data": data}


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


def _event_data(event: DomainEvent | None, webhook_event: str) -> dict | None:
    """The webhook event's data; None for an event or application that is gone or that its member does not share."""
    if event is None:
        return None
    if webhook_event == Event.MEMBER_JOINED:
        return _member_data(event.subject_id)
    application = _application_shared(event.subject_id)
    return None if application is None else _application_data(event, application, webhook_event)


def webhook_body_build(delivery: WebhookDelivery) -> dict | None:
    """Builds, stores and returns the body of `delivery` (unbuilt, claimed by this worker, its ``domain_event`` at
    hand), and stores the same body on the other unbuilt deliveries of its event (the other endpoints'). Returns the
    body stored, or None when there is nothing to send: this delivery and its siblings are then deleted.

    One query for the application or member, one UPDATE of this delivery, one of its siblings. When another worker,
    sending a sibling, built or deleted this delivery meanwhile, one read of what that worker stored: a delivery sends
    the body it stored first, whoever built it (two siblings built at the same moment may each keep their own)."""
    unbuilt = WebhookDelivery.objects.filter(UNBUILT)
    data = _event_data(delivery.domain_event, delivery.event)
    if data is None:
        if delivery.domain_event_id is None:  # its domain event is gone
            unbuilt.filter(pk=delivery.pk).delete()
        else:
            unbuilt.filter(domain_event_id=delivery.domain_event_id, event_id=delivery.event_id).delete()
        return None
    body = webhook_envelope(delivery.event_id, delivery.event, delivery.domain_event.occurred_at, data)
    if unbuilt.filter(pk=delivery.pk).update(payload=body) != 1:
        return WebhookDelivery.objects.filter(pk=delivery.pk).values_list("payload", flat=True).first()
    unbuilt.filter(domain_event_id=delivery.domain_event_id, event_id=delivery.event_id).update(payload=body)
    return body
