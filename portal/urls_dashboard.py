"""Portal pages: the organisation dashboard (issue 14)."""

from django.urls import path

from portal.views import dashboard

urlpatterns = [
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/live/", dashboard.dashboard_live, name="dashboard_live"),
]
