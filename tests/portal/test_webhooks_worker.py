"""Webhooks through the real Celery worker (tenant-aware tasks): a change's deliveries are built, signed and sent
after the kick's dispatch, a delivery queued after its commit is sent, and the periodic sweep sends one whose queued
message was lost. Committed rows, cleaned up at the end."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from portal import webhook_delivery, webhooks
from portal.models import Membership, WebhookDelivery, WebhookEndpoint
from portal.tasks import webhook_deliveries_due_dispatch
from tests.conftest import wait_until
from tests.portal.integrations_cast import application_for, person
from tests.portal.webhook_receiver import receiving, signature_valid
from tracking import services
from tracking.models import Application, DomainEvent, JobPosting, Stage

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


def test_a_committed_change_is_built_signed_and_delivered_after_one_kick(cast, celery_worker) -> None:
    started = timezone.now()
    with receiving(200) as receiver, schema_context("gamma"):
        webhook_delivery.webhook_kick_clear()  # a flag another test's commit may have left
        admin = person("henrike.vogt@gamma.example", "Henrike Vogt", "administrator")
        sharing = person("jonas.becker@gamma.example", "Jonas Becker")
        private = person("lea.fontaine@gamma.example", "Léa Fontaine")
        Membership.objects.create(user=sharing)
        Membership.objects.create(user=private, share_applications=False)
        try:
            shared = application_for(sharing, title="Analyst", company="SAP", industry="technology", country="DE")
            kept = application_for(private, title="Auditor", company="KPMG", industry="finance-insurance", country="DE")
            endpoint, secret = webhooks.webhook_endpoint_create(
                by=admin, url=receiver.url, description="", events=[Event.STAGE_CHANGED]
            )
            services.application_move(application=kept, to_stage=Stage.SCREENING, by=private)
            services.application_move(application=shared, to_stage=Stage.SCREENING, by=sharing)

            def settled() -> bool:
                return not WebhookDelivery.objects.filter(endpoint=endpoint, status=Status.PENDING).exists()

            assert wait_until(settled)
            (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint)  # Léa's was deleted, never sent
            assert delivery.status == Status.DELIVERED
            (request,) = receiver.requests
            assert signature_valid(request.body, request.headers["CVPlus-Signature"], secret)
            assert request.body == webhook_delivery.webhook_body(delivery)
            data = json.loads(request.body)["data"]
            assert (data["application"]["id"], data["from"], data["to"]) == (shared.pk, Stage.APPLIED, Stage.SCREENING)
        finally:
            people = [admin.pk, sharing.pk, private.pk]
            WebhookEndpoint.objects.filter(created_by=admin).delete()
            DomainEvent.objects.filter(occurred_at__gte=started).delete()
            Application.objects.filter(owner__in=people).delete()  # before their postings (protected)
            JobPosting.objects.filter(owner__in=people).delete()
            User.objects.filter(pk__in=people).delete()
