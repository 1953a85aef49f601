"""Billing URLs on the public host: Stripe calls one address for every tenant."""

from django.urls import path

from billing.views_webhooks import stripe_webhook

app_name = "billing_public"

urlpatterns = [
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]
