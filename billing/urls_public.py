"""Billing URLs on the public host: Stripe calls one address for every tenant, and licensees call the prediction API
here (they are not tenants). `licensee_api_urlpatterns` is included at /api/v1/licensee/ and the licensee's own page
(`licensee_page_urlpatterns`) at /licensee/ by cvplus/urls_public.py."""

from django.urls import path

from billing import views_licensee
from billing.views_webhooks import stripe_webhook
from predictions.api.licensee import LicenseeMatchView, LicenseeSalaryView, LicenseeTimeToHireView, LicenseeUsageView

app_name = "billing_public"

urlpatterns = [
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]

licensee_api_urlpatterns = (
    [
        path("predictions/salary", LicenseeSalaryView.as_view(), name="salary"),
        path("predictions/time-to-hire", LicenseeTimeToHireView.as_view(), name="time-to-hire"),
        path("predictions/match", LicenseeMatchView.as_view(), name="match"),
        path("usage", LicenseeUsageView.as_view(), name="usage"),
    ],
    "licensee-api",
)

licensee_page_urlpatterns = (
    [
        path("", views_licensee.signin, name="signin"),
        path("usage/", views_licensee.usage, name="usage"),
        path("sign-out/", views_licensee.signout, name="signout"),
    ],
    "licensee",
)
