"""The public host: landing page, data sources, staff admin, health. Stripe webhooks, the licensee API with its own
OpenAPI document and docs page, and the licensee's usage page. Any other path under /api/ is a JSON 404."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path

from accounts.views import language_set
from accounts.views_two_factor import StaffLoginView
from analytics.admin_monitor import monitor_view
from billing.urls_public import licensee_page_urlpatterns, licensee_usage_urlpatterns
from cvplus import views
from cvplus.health import healthz
from market.views import data_sources
from predictions.api import urls_licensee
from predictions.api.licensee_docs import LicenseeDocsView, LicenseeSchemaView

urlpatterns = [
    path("", views.landing, name="landing"),
    path("data-sources/", data_sources, name="data-sources"),
    path("model-card/", views.model_card, name="model-card"),
    # Before admin's own URLs: its login asks for a second factor after the password (accounts/views_two_factor.py).
    path("admin/login/", StaffLoginView.as_view(), name="staff-login"),
    # LOGOUT_REDIRECT_URL names the tenants' login page, which the public host does not have.
    path("admin/logout/", LogoutView.as_view(next_page="admin:login"), name="staff-logout"),
    path("admin/", include("accounts.urls_two_factor")),
    # A staff page that is not a model's (analytics/admin.py); the admin site checks the staff login.
    path("admin/analytics/monitor/", admin.site.admin_view(monitor_view), name="analytics-monitor"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon),  # browsers ask for it whatever the page says (the admin has no icon link)
    path("billing/", include("billing.urls_public")),
    # One "licensee-api" namespace for the prediction endpoints (predictions) and the usage endpoint (billing).
    path(
        "api/v1/licensee/",
        include(
            (
                [
                    *urls_licensee.urlpatterns,
                    *licensee_usage_urlpatterns,
                    path("schema/", LicenseeSchemaView.as_view(), name="schema"),
                ],
                "licensee-api",
            )
        ),
    ),
    # The public host's API docs are the licensee API's; the tenant hosts' /api/v1/docs/ stay the seeker API's.
    path("api/v1/docs/", LicenseeDocsView.as_view(), name="licensee-docs"),
    re_path(r"^api/(?P<unknown_path>.*)$", views.api_not_found, name="api-not-found"),
    path("licensee/", include(licensee_page_urlpatterns)),
]
