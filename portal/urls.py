"""The enterprise portal on an organisation's host, under /portal/. Each area keeps its own URL module."""

from django.urls import include, path

from analytics.alerts import urls_portal as urls_alerts
from portal import urls_coach, urls_dashboard, urls_integrations, urls_members, urls_outcomes, urls_programme
from portal.views import home

app_name = "portal"

urlpatterns = [
    path("", home.portal_home, name="home"),
    path("", include(urls_members)),
    path("", include(urls_coach)),
    path("", include(urls_programme)),
    path("", include(urls_outcomes)),
    path("", include(urls_dashboard)),
    path("", include(urls_integrations)),
    path("", include(urls_alerts)),
]
