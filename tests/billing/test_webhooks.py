"""The Stripe webhook on the public host: signed events in Stripe's real shapes are stored once and applied once, in
any order, however often and however concurrently delivered; forged, stale, unknown and unmappable events change
nothing. All Stripe ids and amounts are SIMULATED."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connections
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import plans_ensure
from billing.models import Customer, Invoice, Plan, Subscription, WebhookEvent
from tests.billing import stripe_fakes as fakes
from tests.conftest import PUBLIC_HOST

URL = "/billing/stripe/webhook/"
MONTHLY_PRICE = "price_SIMpremiummonthly"
YEARLY_PRICE = "price_SIMpremiumyearly"
PERIOD_END = 1_900_000_000


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = fakes.WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = fakes.SECRET_KEY
    return settings


def prices_attach() -> None:
    plans_ensure()
    Plan.objects.filter(code="premium-monthly").update(stripe_price_id=MONTHLY_PRICE)
    Plan.objects.filter(code="premium-yearly").update(stripe_price_id=YEARLY_PRICE)


@pytest.fixture
def prices(cast, db) -> None:
    prices_attach()


def owner_id(cast) -> int:
    with schema_context("alpha"):
        return User.objects.get(email=cast.owner_email).pk


def deliver(client: HttpClient, event: dict, **signing):
    body, header = fakes.signed(event, **signing)
    return client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def story(user_id: int) -> list[dict]:
    """A seeker's checkout, the subscription's life and its invoices; several events share a second, as in Stripe."""
    customer, subscription = fakes.stripe_id("cus"), fakes.stripe_id("sub")
    invoice = fakes.stripe_id("in")
    t = int(time.time()) - 3600
    sub = {"subscription_id": subscription, "customer_id": customer, "price_id": MONTHLY_PRICE}
    return [
        fakes.event(
            "checkout.session.completed",
            fakes.checkout_session_object(
                customer_id=customer, subscription_id=subscription, metadata={"tenant": "alpha", "user_id": user_id}
            ),
            created=t,
        ),
        fakes.event("customer.subscription.created", fakes.subscription_object(status="incomplete", **sub), created=t),
        fakes.event(
            "invoice.payment_failed",
            fakes.invoice_object(customer_id=customer, subscription_id=subscription, status="open", invoice_id=invoice),
            created=t,
        ),
        fakes.event(
            "invoice.paid",
            fakes.invoice_object(customer_id=customer, subscription_id=subscription, invoice_id=invoice),
            created=t + 1,
        ),
        fakes.event(
            "customer.subscription.updated",
            fakes.subscription_object(status="active", period_end=PERIOD_END, **sub),
            created=t + 1,
            previous={"status": "incomplete"},
        ),
        fakes.event(
            "customer.subscription.updated",
            fakes.subscription_object(status="active", period_end=PERIOD_END, cancel_at_period_end=True, **sub),
            created=t + 50,
            previous={"cancel_at_period_end": False},
        ),
    ]


def billing_state(events: list[dict]) -> dict:
    customer_id = events[0]["data"]["object"]["customer"]
    customer = Customer.objects.filter(stripe_customer_id=customer_id).first()
    return {
        "customer": customer and (customer.tenant.schema_name, customer.user_id),
        "subscriptions": list(
            Subscription.objects.filter(customer__stripe_customer_id=customer_id).values_list(
                "plan__code",
                "status",
                "current_period_end",
                "cancel_at_period_end",
                "stripe_subscription_id",
                "stripe_updated",
                "stripe_event_id",
            )
        ),
        "invoices": list(
            Invoice.objects.filter(customer__stripe_customer_id=customer_id).values_list(
                "status", "payment_failed", "amount_paid_minor", "currency", "subscription__stripe_subscription_id"
            )
        ),
        "unsettled": WebhookEvent.objects.filter(event_id__in=[e["id"] for e in events])
        .exclude(outcome__in=["applied", "ignored"])
        .count(),
        "stored": WebhookEvent.objects.filter(event_id__in=[e["id"] for e in events]).count(),
    }


def expected_state(events: list[dict], user_id: int) -> dict:
    subscription_id = events[1]["data"]["object"]["id"]
    return {
        "customer": ("alpha", user_id),
        "subscriptions": [
            (
                "premium-monthly",
                "active",
                datetime.fromtimestamp(PERIOD_END, tz=UTC),
                True,
                subscription_id,
                events[-1]["created"],
                events[-1]["id"],
            )
        ],
        "invoices": [("paid", False, 1900, "USD", subscription_id)],
        "unsettled": 0,
        "stored": len(events),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("order_seed", ["forward", "reverse", 1, 2, 3])
def test_it_converges_on_one_state_whatever_the_order_and_however_often_delivered(
    cast, public_client, stripe_settings, prices, order_seed
) -> None:
    user_id = owner_id(cast)
    events = story(user_id)
    deliveries = events * 3
    if order_seed == "reverse":
        deliveries.reverse()
    elif order_seed != "forward":
        random.Random(order_seed).shuffle(deliveries)
    responses = [deliver(public_client, event) for event in deliveries]
    assert {response.status_code for response in responses} == {200}
    assert billing_state(events) == expected_state(events, user_id)


def test_it_applies_concurrent_duplicate_deliveries_once(cast, committed, stripe_settings) -> None:
    prices_attach()
    user_id = owner_id(cast)
    events = story(user_id)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            client = HttpClient(HTTP_HOST=PUBLIC_HOST)
            deliveries = events * 3
            random.Random(seed).shuffle(deliveries)
            statuses.extend(deliver(client, event).status_code for event in deliveries)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert statuses == [200] * (len(events) * 3 * len(threads))
        assert billing_state(events) == expected_state(events, user_id)
    finally:
        customer_id = events[0]["data"]["object"]["customer"]
        Invoice.objects.filter(customer__stripe_customer_id=customer_id).delete()
        Subscription.objects.filter(customer__stripe_customer_id=customer_id).delete()
        Customer.objects.filter(stripe_customer_id=customer_id).delete()
        WebhookEvent.objects.filter(event_id__in=[e["id"] for e in events]).delete()
        Plan.objects.filter(stripe_price_id__in=[MONTHLY_PRICE, YEARLY_PRICE]).update(stripe_price_id="")


def nothing_stored(event: dict) -> bool:
    return not WebhookEvent.objects.filter(event_id=event["id"]).exists() and not Customer.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_wrong_signature_without_storing_anything(cast, public_client, stripe_settings, prices) -> None:
    event = story(owner_id(cast))[0]
    response = deliver(public_client, event, secret="whsec_not_the_endpoint_secret")
    assert response.status_code == 400
    assert "signature" in response.json()["error"]
    assert nothing_stored(event)


@pytest.mark.django_db
def test_it_rejects_a_stale_timestamp_without_storing_anything(cast, public_client, stripe_settings, prices) -> None:
    event = story(owner_id(cast))[0]
    response = deliver(public_client, event, timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]
    assert nothing_stored(event)


@pytest.mark.django_db
def test_it_rejects_a_body_altered_after_signing(cast, public_client, stripe_settings, prices) -> None:
    event = story(owner_id(cast))[0]
    body, header = fakes.signed(event)
    tampered = body.replace('"alpha"', '"beta"')
    response = public_client.post(URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert nothing_stored(event)


@pytest.mark.django_db
def test_it_rejects_a_missing_signature_and_a_signed_non_event(public_client, stripe_settings) -> None:
    assert public_client.post(URL, data="{}", content_type="application/json").status_code == 400
    body, header = fakes.signed('{"id": "evt_SIMx", "type": 3}')
    response = public_client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert "'type'" in response.json()["error"]
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_it_refuses_every_delivery_while_no_secret_is_configured(cast, public_client, settings) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = story(owner_id(cast))[0]
    assert deliver(public_client, event).status_code == 503
    assert public_client.get(URL).status_code == 405
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_it_stores_an_unknown_event_type_as_ignored(public_client, stripe_settings) -> None:
    event = fakes.event("payment_intent.created", {"id": "pi_SIM1", "object": "payment_intent"}, created=1)
    response = deliver(public_client, event)
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    stored = WebhookEvent.objects.get(event_id=event["id"])
    assert (stored.type, stored.outcome, stored.payload) == ("payment_intent.created", "ignored", event)
    assert not Customer.objects.exists()
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_it_keeps_an_event_for_an_unknown_customer_as_failed_until_its_checkout_arrives(
    cast, public_client, stripe_settings, prices
) -> None:
    events = story(owner_id(cast))
    checkout, subscription_updated = events[0], events[4]

    response = deliver(public_client, subscription_updated)
    assert response.status_code == 200
    assert response.json()["outcome"] == "failed"
    assert "maps to no tenant" in response.json()["detail"]
    assert not Customer.objects.exists()
    assert not Subscription.objects.exists()

    assert deliver(public_client, checkout).json()["outcome"] == "applied"
    assert WebhookEvent.objects.get(event_id=subscription_updated["id"]).outcome == "applied"
    assert Subscription.objects.get().status == "active"


@pytest.mark.django_db
def test_it_fails_a_checkout_naming_a_tenant_or_user_that_does_not_exist(cast, public_client, stripe_settings) -> None:
    user_id = owner_id(cast)
    for metadata, reason in (
        ({"tenant": "nowhere", "user_id": user_id}, "tenant 'nowhere'"),
        ({"tenant": "public", "user_id": user_id}, "tenant 'public'"),
        ({"tenant": "alpha", "user_id": 987654}, "user 987654"),
        ({"tenant": "alpha", "user_id": "one"}, "user_id 'one'"),
    ):
        session = fakes.checkout_session_object(
            customer_id=fakes.stripe_id("cus"), subscription_id=fakes.stripe_id("sub"), metadata=metadata
        )
        response = deliver(public_client, fakes.event("checkout.session.completed", session, created=1))
        assert response.status_code == 200
        assert (response.json()["outcome"], reason in response.json()["detail"]) == ("failed", True)
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_it_fails_a_subscription_whose_price_no_plan_sells(cast, public_client, stripe_settings, prices) -> None:
    events = story(owner_id(cast))
    deliver(public_client, events[0])
    obj = events[4]["data"]["object"]
    obj["items"]["data"][0]["price"]["id"] = "price_SIMunknown"
    response = deliver(public_client, events[4])
    assert (response.status_code, response.json()["outcome"]) == (200, "failed")
    assert "price_SIMunknown" in response.json()["detail"]
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_it_cancels_on_deletion_and_ignores_an_older_update_arriving_later(
    cast, public_client, stripe_settings, prices
) -> None:
    events = story(owner_id(cast))
    sub = events[1]["data"]["object"]
    deleted = fakes.event(
        "customer.subscription.deleted", {**sub, "status": "canceled"}, created=events[-1]["created"] + 10
    )
    for event in (events[0], deleted, events[-1]):
        assert deliver(public_client, event).status_code == 200
    row = Subscription.objects.get()
    assert (row.status, row.stripe_event_id) == ("canceled", deleted["id"])
    assert WebhookEvent.objects.get(event_id=events[-1]["id"]).outcome == "ignored"
