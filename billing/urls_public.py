"""Billing URLs on the public host: Stripe calls one address for every tenant, and licensees read their usage here
(they are not tenants). `licensee_usage_urlpatterns` is included at /api/v1/licensee/ beside the licensee prediction
endpoints (predictions/api/urls_licensee.py), and the licensee's own page (`licensee_page_urlpatterns`) at /licensee/,
by cvplus/urls_public.py."""

from django.urls import path

from billing import views_licensee
from billing.api_usage import LicenseeUsageView
from billing.views_webhooks import stripe_webhook

app_name = "billing_public"

urlpatterns = [
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]

licensee_usage_urlpatterns = [
    path("usage", LicenseeUsageView.as_view(), name="usage"),
]

licensee_page_urlpatterns = (
    [
        path("", views_licensee.signin, name="signin"),
        path("usage/", views_licensee.usage, name="usage"),
        path("keys/<int:key_id>/rotate/", views_licensee.key_rotate, name="key-rotate"),
        path("keys/test/", views_licensee.test_key_create, name="test-key-create"),
        path("sign-out/", views_licensee.signout, name="signout"),
    ],
    "licensee",
)
