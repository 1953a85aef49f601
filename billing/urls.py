"""Billing pages on tenant hosts (the Stripe webhook lives on the public host)."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("pricing/", views.pricing, name="pricing"),
    path("checkout/<slug:plan_code>/", views.checkout, name="checkout"),
    path("waitlist/<slug:plan_code>/", views.waitlist, name="waitlist"),
    path("success/", views.success, name="success"),
    path("cancel/", views.cancel, name="cancel"),
    path("portal/", views.portal, name="portal"),
]
