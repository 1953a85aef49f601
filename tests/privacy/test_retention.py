"""Retention rules delete what is past its period, and nothing more; periods are per tenant, within limits."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import PendingSignup, User
from cvplus.celery import app
from predictions.models import PredictionLog
from privacy.erasure import account_erase
from privacy.erasure_requests import account_erasure_request
from privacy.models import AuditEntry, ErasureRequest
from privacy.retention import retention_apply
from privacy.selectors import text_columns_containing
from tenants.models import Client
from tests.privacy.people import person_with_everything
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, NoteFactory
from tracking.models import CVDocument

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _aged(model, pk: int, *, days: float, field: str = "created_at") -> None:
    model.objects.filter(pk=pk).update(**{field: NOW - timedelta(days=days)})


def _unreadable(owner, *, days: float, with_file: bool = True) -> CVDocument:
    cv = CVDocumentFactory(owner=owner, status=CVDocument.Status.UNREADABLE, text="", parsed={})
    if with_file:
        cv.file.save("upload", ContentFile(b"%PDF-1.7 unreadable"), save=False)
        CVDocument.objects.filter(pk=cv.pk).update(file=cv.file.name)
    _aged(CVDocument, cv.pk, days=days)
    return cv


def _file_aged(name: str, *, days: float) -> None:
    stamp = (NOW - timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


@pytest.fixture
def alpha(cast):
    with schema_context("alpha"):
        Client.objects.filter(schema_name="alpha").update(
            retention_unreadable_upload_days=10, retention_prediction_log_days=40
        )
        yield User.objects.get(email=cast.owner_email)


def test_it_deletes_unreadable_uploads_past_the_tenants_period_unless_an_application_pins_them(
    alpha, django_capture_on_commit_callbacks
) -> None:
    old = _unreadable(alpha, days=11)
    pinned = _unreadable(alpha, days=11)
    ApplicationFactory(owner=alpha, cv=pinned)
    recent = _unreadable(alpha, days=9)
    readable = CVDocumentFactory(owner=alpha)
    _aged(CVDocument, readable.pk, days=400)

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply(now=NOW)

    assert counts["unreadable_uploads"] == 1
    assert set(CVDocument.objects.filter(owner=alpha).values_list("pk", flat=True)) == {
        pinned.pk,
        recent.pk,
        readable.pk,
    }
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(pinned.file.name)


def test_it_deletes_files_no_cv_version_names_once_a_day_old(alpha) -> None:
    kept = _unreadable(alpha, days=1)  # named by a row: never an orphan
    _file_aged(kept.file.name, days=30)
    orphan_old = default_storage.save("cv/orphan-old", ContentFile(b"left behind"))
    _file_aged(orphan_old, days=2)
    orphan_new = default_storage.save("cv/orphan-new", ContentFile(b"an upload in flight"))

    counts = retention_apply(now=NOW)

    assert counts["orphan_files"] == 1
    assert not default_storage.exists(orphan_old)
    assert default_storage.exists(orphan_new)
    assert default_storage.exists(kept.file.name)
    default_storage.delete(orphan_new)


def test_it_deletes_prediction_logs_sessions_and_unconfirmed_sign_ups_past_their_period(alpha) -> None:
    logs = {
        days: PredictionLog.objects.create(kind="match", input_hash="b" * 64, latency_ms=1.0).pk for days in (41, 39)
    }
    for days, pk in logs.items():
        _aged(PredictionLog, pk, days=days)
    expired, live = SessionStore(), SessionStore()
    for store in (expired, live):
        store["marker"] = 1
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW - timedelta(minutes=1))
    pending = {
        days: PendingSignup.objects.create(
            email=f"pending{days}@example.com",
            password="x",
            notice_version="1",
            consented_at=NOW,
            created_at=NOW - timedelta(days=days),
        ).pk
        for days in (8, 1)
    }

    counts = retention_apply(now=NOW)

    assert (counts["prediction_logs"], counts["expired_sessions"], counts["unconfirmed_signups"]) == (1, 1, 1)
    assert list(PredictionLog.objects.values_list("pk", flat=True)) == [logs[39]]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(PendingSignup.objects.values_list("pk", flat=True)) == [pending[1]]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RETENTION_APPLIED)
    assert entry.actor_role == AuditEntry.ActorRole.SYSTEM
    assert entry.detail["prediction_logs"] == 1


def test_it_erases_an_erased_persons_leftovers_and_requests_the_queue_lost(cast) -> None:
    with schema_context("alpha"):
        erased = person_with_everything(email="lee.leftover@example.com", full_name="Lee Leftover", marker="Leftword")
        account_erase(request_id=account_erasure_request(user=erased.user, by=erased.user).pk)
        NoteFactory(application=ApplicationFactory(owner=erased.user), body="Leftword written after the erasure")
        lost = person_with_everything(email="lou.lost@example.com", full_name="Lou Lost", marker="Lostword")
        request = account_erasure_request(user=lost.user, by=lost.user)
        ErasureRequest.objects.filter(pk=request.pk).update(requested_at=NOW - timedelta(hours=3))
        untouched = person_with_everything(email="una.untouched@example.com", full_name="Una Kept", marker="Keptword")

        counts = retention_apply(now=NOW)

        assert counts["erased_accounts"] == 2
        assert text_columns_containing("leftword") == []
        assert text_columns_containing("lostword") == []
        assert "tracking_note.body" in text_columns_containing("keptword")
        assert User.objects.get(pk=untouched.user.pk).is_active


def test_it_keeps_retention_periods_within_their_limits(cast) -> None:
    client = Client.objects.get(schema_name="alpha")
    for field, value in (("retention_unreadable_upload_days", 0), ("retention_prediction_log_days", 2000)):
        setattr(client, field, value)
        with pytest.raises(ValidationError) as refused:
            client.full_clean()
        assert field in refused.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            Client.objects.filter(pk=client.pk).update(**{field: value})
        client.refresh_from_db()


def test_it_schedules_retention_daily_and_overdue_erasures_hourly_through_the_dispatcher() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    retention = schedule["apply-retention-rules-in-every-tenant"]
    assert (retention["task"], retention["args"], retention["schedule"]) == (
        "tenants.tasks.tenants_dispatch",
        ("privacy.tasks.retention_run",),
        24 * 3600,
    )
    overdue = schedule["run-overdue-account-erasures-in-every-tenant"]
    assert overdue["args"] == ("privacy.tasks.account_erasures_overdue_run",)
    assert overdue["schedule"] <= 3600
    for name in ("privacy.tasks.retention_run", "privacy.tasks.account_erasures_overdue_run"):
        assert name in app.tasks
    assert schedule["drop-erased-tenant-schemas"]["task"] in app.tasks
