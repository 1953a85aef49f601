"""A tenant host: the consumer site or an enterprise portal. No staff admin here."""

from django.urls import include, path

from accounts.views import language_set
from cvplus import views
from cvplus.health import healthz

urlpatterns = [
    path("", views.tenant_home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("model-card/", views.model_card, name="model-card"),
    path("accounts/", include("accounts.urls_two_factor")),
    path("app/insights/", include("analytics.urls_seeker")),
    path("app/", include("tracking.urls")),
    path("portal/", include("portal.urls")),
    path("billing/", include("billing.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/v1/predictions/", include("predictions.api.urls")),
    path("api/v1/org/", include("portal.api.urls")),
    path("api/v1/", include("tracking.api_urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon),  # browsers ask for it whatever the page says (the admin has no icon link)
]
