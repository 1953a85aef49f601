"""Webhooks through the real Celery worker (tenant-aware tasks): a delivery queued after its commit is sent, and
the periodic sweep sends one whose queued message was lost. Committed rows, cleaned up at the end."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from portal import webhooks
from portal.models import WebhookDelivery, WebhookEndpoint
from portal.tasks import webhook_deliveries_due_dispatch
from tests.conftest import wait_until
from tests.portal.integrations_cast import person
from tests.portal.webhook_receiver import receiving, signature_valid

Event = WebhookEndpoint.Event
Status = WebhookDelivery.Status


def test_the_worker_delivers_and_the_sweep_picks_up_a_lost_delivery(cast, celery_worker) -> None:
    with receiving(200) as receiver:
        with schema_context("gamma"):
            admin = person("henrike.vogt@gamma.example", "Henrike Vogt", "administrator")
            try:
                endpoint, secret = webhooks.webhook_endpoint_create(
                    by=admin, url=receiver.url, description="", events=[Event.MEMBER_JOINED]
                )
                with transaction.atomic():
                    sent = webhooks.webhook_test_send(by=admin, endpoint=endpoint)  # queued once this commits
                lost = WebhookDelivery.objects.create(  # as if its queued message had been lost
                    endpoint=endpoint, event_id=sent.event_id, event=sent.event, payload=sent.payload
                )

                assert wait_until(lambda: WebhookDelivery.objects.get(pk=sent.pk).status == Status.DELIVERED)
                webhook_deliveries_due_dispatch.apply_async(headers={"_schema_name": "gamma"})
                assert wait_until(lambda: WebhookDelivery.objects.get(pk=lost.pk).status == Status.DELIVERED)
                assert {request.headers["CVPlus-Delivery"] for request in receiver.requests} == {
                    str(sent.pk),
                    str(lost.pk),
                }
                assert all(
                    signature_valid(request.body, request.headers["CVPlus-Signature"], secret)
                    for request in receiver.requests
                )
            finally:
                WebhookEndpoint.objects.filter(created_by=admin).delete()
                admin.delete()
