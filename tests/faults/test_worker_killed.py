"""A real Celery worker killed (SIGKILL) while it sends a due reminder: a second worker takes the stale claim once
the lease has passed (shortened here through REMINDER_CLAIM_LEASE_S), and the reminder is e-mailed and notified
exactly once. The worker is killed while the mail server holds it at DATA, after the claim and before anything was
accepted or committed."""

from __future__ import annotations

import os
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from cvplus.celery import app as celery_app
from tests.conftest import wait_until
from tests.faults.processes import celery_worker, process_env
from tests.faults.redis_server import RedisServer
from tests.faults.smtp_sink import SmtpSink
from tracking.models import Application, CandidateProfile, DomainEvent, JobPosting, Notification, Reminder, Stage
from tracking.services import application_create, posting_create
from tracking.tasks import reminders_due_dispatch

CLAIM_LEASE_S = 2


def dispatch(redis: RedisServer, queue: str) -> None:
    """What the beat does every minute: queue the due reminders of tenant alpha (on the private broker)."""
    with celery_app.connection_for_write(redis.url(0)) as connection:
        reminders_due_dispatch.apply_async(headers={"_schema_name": "alpha"}, queue=queue, connection=connection)


def test_it_sends_a_reminder_exactly_once_after_its_worker_is_killed_mid_send(
    committed, cast, tmp_path, private_redis
) -> None:
    started = timezone.now()
    redis = private_redis
    queue = f"fault-{os.getpid()}-default"
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        had_profile = CandidateProfile.objects.filter(user=owner).exists()
        posting = posting_create(owner=owner, title="Site Reliability Engineer", company="Initech")
        application = application_create(
            owner=owner, posting=posting, stage=Stage.APPLIED, at=timezone.now() - timedelta(days=30)
        )
        reminder = Reminder.objects.get(application=application)
    try:
        with SmtpSink() as sink:
            env = process_env(
                redis_url=redis.url(0),
                cache_url=redis.url(1),
                DJANGO_SETTINGS_MODULE="tests.faults.worker_settings",
                FAULT_SMTP_PORT=str(sink.port),
                REMINDER_CLAIM_LEASE_S=str(CLAIM_LEASE_S),
                TEST_QUEUE_PREFIX=f"fault-{os.getpid()}",
            )
            log = tmp_path / "worker.log"
            sink.holding.set()
            with celery_worker(env, log, queue=queue):
                dispatch(redis, queue)
                assert sink.sender_held.wait(timeout=30), log.read_text()[-3000:]
            # Killed while sending: claimed, nothing accepted by the mail server, nothing committed.
            with schema_context("alpha"):
                reminder.refresh_from_db()
                assert reminder.status == Reminder.Status.SENDING
                assert not Notification.objects.filter(reminder=reminder).exists()
            assert sink.messages == []

            sink.holding.clear()
            with celery_worker(env, log, queue=queue):

                def sent() -> bool:
                    dispatch(redis, queue)  # each beat; a claim younger than the lease is left alone
                    with schema_context("alpha"):
                        return Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT

                assert wait_until(sent, timeout_s=30, interval_s=1.0), log.read_text()[-3000:]
                assert wait_until(lambda: redis.client().llen(queue) == 0, timeout_s=10)
                dispatch(redis, queue)  # one more beat after the send: nothing is due
                assert wait_until(lambda: redis.client().llen(queue) == 0, timeout_s=10)

        with schema_context("alpha"):
            assert Notification.objects.filter(reminder=reminder).count() == 1
            assert DomainEvent.objects.filter(kind=DomainEvent.Kind.REMINDER_SENT, subject_id=reminder.pk).count() == 1
        message_id = f"Message-ID: <reminder-alpha-{reminder.pk}@cvplus>".encode()
        assert [message_id in message for message in sink.messages] == [True]
    finally:
        with schema_context("alpha"):
            Notification.objects.filter(reminder=reminder).delete()
            Reminder.objects.filter(application=application).delete()
            Application.objects.filter(pk=application.pk).delete()  # with its events
            JobPosting.objects.filter(pk=posting.pk).delete()
            DomainEvent.objects.filter(occurred_at__gte=started).delete()
            if not had_profile:
                CandidateProfile.objects.filter(user=owner).delete()
