"""Outgoing webhooks (issue 13, item 6): the organisation's endpoints, which events they listen to, and the
delivery log's actions (replay, test event). Administrators only.

Each endpoint has a signing secret (``whsec_…``) shown once, when it is made or rotated. The active endpoints and
the events each listens to are cached per schema (the cache's key function adds the schema), so that the outbox
(portal/webhook_outbox.py) costs an organisation without webhooks one cache read per change, and one with them no
query for its endpoints; saving or deleting an endpoint forgets the entry. Bodies: portal/webhook_bodies.py; sending,
retries and the attempt log: portal/webhook_delivery.py.

The delivery log shows a delivery once its body is built (by the worker, on its first try): until then it may still
turn out to have nothing to send (a member who does not share their applications) and be deleted, and showing it
would tell that such a member's application moved.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.redis_client import REDIS_ERRORS
from portal import access
from portal.models import UNBUILT, WebhookDelivery, WebhookEndpoint
from portal.tasks import webhook_deliver_task
from portal.webhook_bodies import webhook_envelope
from portal.webhook_targets import webhook_target_resolve
from tenants.context import require_tenant_schema
from tenants.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event
SECRET_KIND = "whsec_"  # noqa: S105 - how every signing secret starts
TEST_EVENT = "webhook.test"
DESCRIPTION_MAX_LENGTH = WebhookEndpoint._meta.get_field("description").max_length
SUBSCRIBED_CACHE_KEY = "portal:webhooks:listening"  # [[endpoint id, [event, …]], …] of the active endpoints
SUBSCRIBED_CACHE_TTL_S = 60  # also bounds how long a cache entry written by a racing request can be stale


# ---------------------------------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------------------------------
def _require_manager(user: User) -> None:
    if not access.is_enterprise() or not access.can_manage_integrations(user):
        raise Http404


def _secret_new() -> str:
    return SECRET_KIND + secrets.token_urlsafe(32)


def _checked(*, url: str, description: str, events: Iterable[str]) -> tuple[str, str, list[str]]:
    errors: dict[str, str] = {}
    try:
        webhook_target_resolve(url)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("Keep the description to %(limit)d characters or fewer.") % {
            "limit": DESCRIPTION_MAX_LENGTH
        }
    chosen = [event for event in Event.values if event in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        errors["events"] = _("Choose at least one event from the list.")
    if errors:
        raise ValidationError(errors)
    return url.strip(), description, chosen


def webhook_endpoints_list(*, viewer: User):
    """The organisation's endpoints, active ones first (administrators only)."""
    _require_manager(viewer)
    return WebhookEndpoint.objects.select_related("created_by").order_by("-is_active", "-created_at")


def webhook_endpoint_get(*, viewer: User, pk: int) -> WebhookEndpoint:
    endpoint = webhook_endpoints_list(viewer=viewer).filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    return endpoint


def webhook_endpoint_create(
    *, by: User, url: str, description: str, events: Iterable[str]
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (returned only here: show it once)."""
    require_tenant_schema()
    _require_manager(by)
    url, description, events = _checked(url=url, description=description, events=events)
    secret = _secret_new()
    endpoint = WebhookEndpoint.objects.create(
        url=url, description=description, events=events, secret=secret, created_by=by
    )
    return endpoint, secret


def webhook_endpoint_update(
    *, by: User, endpoint: WebhookEndpoint, url: str, description: str, events: Iterable[str]
) -> WebhookEndpoint:
    _require_manager(by)
    endpoint.url, endpoint.description, endpoint.events = _checked(url=url, description=description, events=events)
    endpoint.save(update_fields=["url", "description", "events"])
    return endpoint


def webhook_endpoint_activate(*, by: User, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """Disables (nothing more is written for it; queued deliveries are not sent) or enables the endpoint again."""
    _require_manager(by)
    if active:
        _checked(url=endpoint.url, description=endpoint.description, events=endpoint.events)
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    return endpoint


def webhook_secret_rotate(*, by: User, endpoint: WebhookEndpoint) -> str:
    """A new signing secret for the endpoint, from the next delivery on; returned only here."""
    _require_manager(by)
    endpoint.secret = _secret_new()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


# ---------------------------------------------------------------------------------------------------------------------
# The active endpoints and their events, cached per schema
# ---------------------------------------------------------------------------------------------------------------------
Listening = list[tuple[int, frozenset[str]]]


def _listening_from_database() -> Listening:
    rows = WebhookEndpoint.objects.filter(is_active=True).order_by("pk").values_list("pk", "events")
    return [(pk, frozenset(events)) for pk, events in rows]


def webhook_endpoints_listening() -> Listening:
    """Each active endpoint of this organisation with the events it listens to: one cache read when cached."""
    try:
        cached = cache.get(SUBSCRIBED_CACHE_KEY)
    except REDIS_ERRORS:
        return _listening_from_database()
    if cached is not None:
        return [(pk, frozenset(events)) for pk, events in cached]
    listening = _listening_from_database()
    try:
        cache.set(SUBSCRIBED_CACHE_KEY, [[pk, sorted(events)] for pk, events in listening], SUBSCRIBED_CACHE_TTL_S)
    except REDIS_ERRORS:
        logger.warning("Could not cache the webhook endpoints; each change reads them from the database until it can")
    return listening


def webhook_events_subscribed() -> frozenset[str]:
    """The events at least one active endpoint of this organisation listens to: one cache read when cached."""
    return frozenset().union(*(events for _pk, events in webhook_endpoints_listening()))


def _subscribed_forget() -> None:
    try:
        cache.delete(SUBSCRIBED_CACHE_KEY)
    except REDIS_ERRORS:
        logger.warning("Could not clear the cached webhook subscriptions; they expire within a minute")


def webhook_endpoint_changed(**_signal_kwargs: object) -> None:
    """Signal receiver (portal/apps.py): an endpoint was saved or deleted. Forgets the cached subscriptions now and
    again once the transaction commits, so that no request keeps what it read in between."""
    _subscribed_forget()
    transaction.on_commit(_subscribed_forget)


# ---------------------------------------------------------------------------------------------------------------------
# Deliveries written with their body (test events, replays): each queued after its commit
# ---------------------------------------------------------------------------------------------------------------------
def deliveries_queue(deliveries: list[WebhookDelivery]) -> None:
    """Sends each delivery's task (portal/tasks.py) once the current transaction commits, into this schema."""
    for delivery in deliveries:
        enqueue_on_commit(webhook_deliver_task, delivery.pk)


# ---------------------------------------------------------------------------------------------------------------------
# Replays and test events (the delivery log's buttons)
# ---------------------------------------------------------------------------------------------------------------------
def _require_active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.is_active:
        raise ValidationError(_("This endpoint is disabled. Enable it first."))


def webhook_deliveries_list(*, viewer: User, endpoint: WebhookEndpoint):
    """The endpoint's deliveries whose body is built, newest first, each with its attempts (administrators only)."""
    _require_manager(viewer)
    return endpoint.deliveries.exclude(UNBUILT).prefetch_related("attempt_log").order_by("-created_at", "-id")


def webhook_delivery_get(*, viewer: User, endpoint: WebhookEndpoint, pk: int) -> WebhookDelivery:
    delivery = webhook_deliveries_list(viewer=viewer, endpoint=endpoint).filter(pk=pk).first()
    if delivery is None:
        raise Http404
    return delivery


def webhook_delivery_replay(*, by: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery of the same body (same event id) to the same endpoint, sent as soon as it commits."""
    _require_manager(by)
    _require_active(delivery.endpoint)
    with transaction.atomic():
        replay = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event_id=delivery.event_id,
            event=delivery.event,
            payload=delivery.payload,
            replay_of=delivery,
        )
    deliveries_queue([replay])
    return replay


def webhook_test_send(*, by: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` event to the endpoint, whatever events it listens to, to try the receiver."""
    _require_manager(by)
    _require_active(endpoint)
    envelope = webhook_envelope(
        uuid.uuid4(),
        TEST_EVENT,
        timezone.now(),
        {"endpoint": {"id": endpoint.pk, "url": endpoint.url}, "sent_by": {"id": by.pk, "name": by.get_full_name()}},
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=envelope["id"], event=TEST_EVENT, payload=envelope
        )
    deliveries_queue([delivery])
    return delivery
