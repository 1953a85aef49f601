"""Erasing a CV version, an application and a whole account: what goes, what stays, and that nobody can erase what
is not theirs (another user's or tenant's object is a 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import plans_ensure
from billing.models import Customer, PaymentWaitlistEntry, Plan, Subscription
from billing.stripe_client import use_recording_client
from predictions.models import PredictionLog
from privacy.erasure import (
    account_erase,
    account_erasures_overdue,
    application_erase,
    cv_erase,
)
from privacy.erasure_requests import account_erasure_request
from privacy.models import AuditEntry, ConsentRecord, ErasureRequest
from privacy.selectors import text_columns_containing
from privacy.services import subject_hash
from tenants.models import Client
from tests.billing.stripe_fakes import SECRET_KEY, RecordingHTTPClient, stripe_id
from tests.conftest import HOST_A, PASSWORD, login
from tests.privacy.people import person_with_everything, rows_about
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory
from tracking.models import (
    Application,
    ApplicationEvent,
    Contact,
    CVDocument,
    DomainEvent,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Task,
)

pytestmark = pytest.mark.django_db


def _files_exist(names: list[str]) -> list[bool]:
    with schema_context("alpha"):
        return [default_storage.exists(name) for name in names]


# ---------------------------------------------------------------------------------------------------------------------
# One CV version
# ---------------------------------------------------------------------------------------------------------------------
def test_it_erases_a_cv_version_its_file_and_unpins_the_application(
    person, person_client, django_capture_on_commit_callbacks
) -> None:
    cv = person.application.cv
    assert cv.file
    assert _files_exist([cv.file.name]) == [True]

    page = person_client.get(f"/privacy/erase/cv/{cv.pk}/")
    assert "1 application was sent with this version" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(f"/privacy/erase/cv/{cv.pk}/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not CVDocument.objects.filter(pk=cv.pk).exists()
    assert _files_exist([cv.file.name]) == [False]
    application = Application.objects.get(pk=person.application.pk)
    assert application.cv_id is None  # the application stays, without its CV
    assert not DomainEvent.objects.filter(kind=DomainEvent.Kind.CV_PARSED, subject_id=cv.pk).exists()
    assert not DomainEvent.objects.filter(payload__cv_id=cv.pk).exists()
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.CV_ERASED)
    assert entry.actor_role == AuditEntry.ActorRole.SELF
    assert entry.actor_id is None
    assert entry.subject_hash == subject_hash(person.user.email)


def test_it_does_nothing_when_a_cv_version_or_application_is_erased_twice(person) -> None:
    cv, application = person.application.cv, person.application
    assert cv_erase(cv=cv, by=person.user)["cv_versions"] == 1
    assert cv_erase(cv=cv, by=person.user) == {}  # the second click of a double-click
    assert application_erase(application=application, by=person.user)["applications"] == 1
    assert application_erase(application=application, by=person.user) == {}


def test_it_refuses_to_erase_a_cv_version_without_the_right_password(person, person_client) -> None:
    cv = person.application.cv
    response = person_client.post(f"/privacy/erase/cv/{cv.pk}/", {"password": "not-my-password"})

    assert response.status_code == 400
    assert "This is not your password. Nothing was erased." in response.content.decode()
    assert CVDocument.objects.filter(pk=cv.pk).exists()
    assert _files_exist([cv.file.name]) == [True]


# ---------------------------------------------------------------------------------------------------------------------
# One application
# ---------------------------------------------------------------------------------------------------------------------
def test_it_erases_an_application_with_everything_recorded_with_it(person, person_client) -> None:
    application = person.application
    kept = person.second_application
    assert Reminder.objects.filter(application=application).exists()
    Notification.objects.create(
        user=person.user, reminder=Reminder.objects.filter(application=application).first(), title="Quokkamarker due"
    )

    page = person_client.get(f"/privacy/erase/application/{application.pk}/").content.decode()
    assert "Erase your application for Quokkamarker Engineer at Quokkamarker GmbH" in page
    response = person_client.post(f"/privacy/erase/application/{application.pk}/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    for model in (ApplicationEvent, Contact, Note, Task, Reminder):
        assert not model.objects.filter(application_id=application.pk).exists(), model
    assert not Notification.objects.filter(title="Quokkamarker due").exists()
    assert not JobPosting.objects.filter(pk=application.posting_id).exists()
    assert not DomainEvent.objects.filter(subject_id=application.pk, kind__startswith="application.").exists()
    assert CVDocument.objects.filter(pk=application.cv_id).exists()  # the CV version stays
    assert Application.objects.filter(pk=kept.pk).exists()
    assert ApplicationEvent.objects.filter(application=kept).exists()


@pytest.mark.parametrize(("kind", "factory"), [("cv", CVDocumentFactory), ("application", ApplicationFactory)])
def test_it_answers_404_for_another_users_or_another_tenants_cv_version_or_application(
    cast, person, person_client, kind, factory
) -> None:
    model = factory._meta.model
    members = factory(owner=User.objects.get(email=cast.member_email))
    own_ids = set(model.objects.filter(owner=person.user).values_list("pk", flat=True))
    with schema_context("beta"):
        # Ids count per schema: take one that is not also the id of one of the person's own rows in tenant A.
        stranger = User.objects.get(email=cast.stranger_email)
        strangers = next(row for row in iter(lambda: factory(owner=stranger), None) if row.pk not in own_ids)

    for pk in (members.pk, strangers.pk):
        assert person_client.get(f"/privacy/erase/{kind}/{pk}/").status_code == 404
        assert person_client.post(f"/privacy/erase/{kind}/{pk}/", {"password": PASSWORD}).status_code == 404

    assert model.objects.filter(pk=members.pk).exists()
    with schema_context("beta"):
        assert model.objects.filter(pk=strangers.pk).exists()
    own = person.application.cv if kind == "cv" else person.application
    assert person_client.post(f"/privacy/erase/{kind}/{own.pk}/", {"password": PASSWORD}).status_code == 302


# ---------------------------------------------------------------------------------------------------------------------
# A whole account
# ---------------------------------------------------------------------------------------------------------------------
def test_it_closes_an_account_at_once_signs_it_out_everywhere_and_emails_a_confirmation(
    cast, person, person_client, client_a, django_capture_on_commit_callbacks
) -> None:
    from django.test import Client as HttpClient

    other_device = HttpClient(HTTP_HOST="alpha.localhost")
    login(other_device, person.user.email)
    page = person_client.get("/privacy/erase/account/").content.decode()
    assert "2 applications, with their history, contacts, notes and tasks" in page
    User.objects.filter(pk=person.user.pk).update(language="de")  # the confirmation e-mail follows their language
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = person_client.post("/privacy/erase/account/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/privacy/erase/account/done/"
    assert len(callbacks) == 2  # the e-mail, then the job
    user = User.objects.get(pk=person.user.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    for device in (person_client, other_device):
        assert device.get("/accounts/").status_code == 302  # signed out everywhere
    assert login(HttpClient(HTTP_HOST="alpha.localhost"), person.user.email).status_code == 200  # no way back in
    (message,) = mail.outbox
    assert message.to == ["quentin.quokka@example.com"]
    with translation.override("de"):  # the person's own language
        assert message.subject == gettext("Your CVPlus account is closed and being erased")
    assert "http://alpha.localhost/privacy/" in message.body
    request = ErasureRequest.objects.get(user=user)
    assert request.status == ErasureRequest.Status.PENDING
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_ERASURE_REQUESTED)
    assert entry.subject_hash == subject_hash("quentin.quokka@example.com")
    assert "quokka" not in str(entry.detail).lower()


def test_it_leaves_no_trace_of_an_erased_person_in_the_tenant_schema_and_keeps_everyone_else(
    cast, person, person_client
) -> None:
    member = User.objects.get(email=cast.member_email)
    other = person_with_everything(email="olga.other@example.com", full_name="Olga Otherperson", marker="Otterword")
    before = {"member": rows_about(member), "other": rows_about(other.user)}
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
        stranger_before = rows_about(stranger)
    with schema_context("public"):
        Customer.objects.create(
            stripe_customer_id=stripe_id("cus"), tenant=cast.tenant_a, user_id=person.user.pk, email=person.user.email
        )
        premium = next(plan for plan in plans_ensure() if plan.code == "premium-monthly")
        for someone in (person.user, member):
            PaymentWaitlistEntry.objects.create(tenant=cast.tenant_a, user_id=someone.pk, plan=premium)
    wrong = HttpClient(HTTP_HOST=HOST_A).post("/accounts/login/", {"username": person.user.email, "password": "x"})
    assert wrong.status_code == 200  # a failed sign-in: the lockout records the account's name in public
    assert text_columns_containing("quokka")  # the search finds the person before the erasure
    with schema_context("public"):
        assert text_columns_containing("quokka", schema="public") == [
            "axes_accessattempt.username",
            "billing_customer.email",
        ]

    request = account_erasure_request(user=person.user, by=person.user)
    assert account_erase(request_id=request.pk) is True

    assert text_columns_containing("quokka") == []
    with schema_context("public"):
        assert text_columns_containing("quokka", schema="public") == []
    assert _files_exist(person.cv_files) == [False]
    tombstone = User.objects.get(pk=person.user.pk)
    assert (tombstone.email, tombstone.full_name, tombstone.is_active) == (
        f"erased-{tombstone.pk}@erased.invalid",
        "",
        False,
    )
    assert not ConsentRecord.objects.filter(user=tombstone).exists()
    assert PredictionLog.objects.filter(input_hash="", user__isnull=True).count() == 1  # kept, anonymised
    assert DomainEvent.objects.filter(kind=DomainEvent.Kind.STAGE_CHANGED, actor_id__isnull=True).exists()
    with schema_context("public"):
        assert Customer.objects.filter(tenant=cast.tenant_a, user_id=tombstone.pk, email="").exists()
        assert list(PaymentWaitlistEntry.objects.values_list("user_id", flat=True)) == [member.pk]
    assert {"member": rows_about(member), "other": rows_about(other.user)} == before
    assert _files_exist(other.cv_files) == [True]
    assert "tracking_note.body" in text_columns_containing("otterword")  # the other person's data is all there
    with schema_context("beta"):
        assert rows_about(stranger) == stranger_before
    done = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_ERASED)
    assert done.actor_role == AuditEntry.ActorRole.SYSTEM
    assert done.detail["applications"] == 2
    assert done.detail["files"] == 1


def test_it_runs_an_erasure_once_and_picks_up_one_the_queue_lost(person) -> None:
    request = account_erasure_request(user=person.user, by=person.user)
    assert account_erasure_request(user=person.user, by=person.user).pk == request.pk  # idempotent request
    assert account_erasures_overdue() == []  # fresh: the queued job will run it

    later = timezone.now() + timedelta(hours=3)
    assert account_erasures_overdue(now=later) == [request.pk]
    assert account_erase(request_id=request.pk, now=later) is True
    assert account_erase(request_id=request.pk, now=later) is False  # done: nothing to claim
    assert account_erasures_overdue(now=later + timedelta(days=1)) == []


def test_it_retakes_an_erasure_whose_job_died_half_way(person) -> None:
    request = account_erasure_request(user=person.user, by=person.user)
    ErasureRequest.objects.filter(pk=request.pk).update(
        status=ErasureRequest.Status.RUNNING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )

    assert account_erasures_overdue() == [request.pk]
    assert account_erase(request_id=request.pk) is True
    assert ErasureRequest.objects.get(pk=request.pk).attempts == 2
    assert text_columns_containing("quokkamarker") == []


def test_it_cancels_the_erased_persons_stripe_subscription(cast, person, settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    subscription_id = stripe_id("sub")
    with schema_context("public"):
        customer = Customer.objects.create(
            stripe_customer_id=stripe_id("cus"), tenant=cast.tenant_a, user_id=person.user.pk
        )
        plan, _created = Plan.objects.get_or_create(
            code="premium-monthly", defaults={"kind": Plan.Kind.PREMIUM, "name": "Premium"}
        )
        Subscription.objects.create(
            tenant=cast.tenant_a,
            user_id=person.user.pk,
            plan=plan,
            customer=customer,
            stripe_subscription_id=subscription_id,
            status=Subscription.Status.ACTIVE,
        )
    cancelled = {"id": subscription_id, "object": "subscription", "status": "canceled"}
    client = RecordingHTTPClient({("DELETE", f"/v1/subscriptions/{subscription_id}"): cancelled})
    request = account_erasure_request(user=person.user, by=person.user)

    with use_recording_client(client):
        assert account_erase(request_id=request.pk) is True

    assert [(r.method, r.path) for r in client.requests] == [("DELETE", f"/v1/subscriptions/{subscription_id}")]
    with schema_context("public"):
        assert Subscription.objects.filter(stripe_subscription_id=subscription_id).exists()  # the record stays


def test_it_keeps_erasing_when_the_erased_person_is_the_only_one_of_their_tenant(cast) -> None:
    with schema_context("gamma"):
        lone = person_with_everything(email="lone.lemur@example.com", full_name="Lone Lemurperson", marker="Lemurword")
        request = account_erasure_request(user=lone.user, by=lone.user)
        assert account_erase(request_id=request.pk) is True
        assert text_columns_containing("lemur") == []
    assert Client.objects.get(schema_name="gamma").is_ready
