"""An account erasure is queued when its request commits and runs in its own tenant on a real Celery worker."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django_tenants.utils import schema_context

from accounts.models import User
from predictions.models import PredictionLog
from privacy.erasure_requests import account_erasure_request
from privacy.models import AuditEntry, ErasureRequest
from privacy.selectors import text_columns_containing
from tests.conftest import wait_until
from tests.privacy.people import person_with_everything
from tracking.models import DomainEvent


def _high_water() -> dict:
    return {
        model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in (DomainEvent, PredictionLog, AuditEntry)
    }


def test_it_runs_the_erasure_on_a_real_worker_once_the_request_commits(cast, celery_worker) -> None:
    with schema_context("alpha"):
        before = _high_water()
        person = person_with_everything(email="walt.worker@example.com", full_name="Walt Workerson", marker="Waltword")
    try:
        with schema_context("alpha"):
            with transaction.atomic():
                request = account_erasure_request(user=person.user, by=person.user)
                assert ErasureRequest.objects.get(pk=request.pk).status == ErasureRequest.Status.PENDING

            def erased() -> bool:
                return ErasureRequest.objects.get(pk=request.pk).status == ErasureRequest.Status.DONE

            assert wait_until(erased)
            assert text_columns_containing("waltword") == []
            assert User.objects.get(pk=person.user.pk).email == f"erased-{person.user.pk}@erased.invalid"
    finally:
        with schema_context("alpha"):
            for model, top in before.items():
                model.objects.filter(pk__gt=top).delete()
            ErasureRequest.objects.filter(user_id=person.user.pk).delete()
            User.objects.filter(pk=person.user.pk).delete()
