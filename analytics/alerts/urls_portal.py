"""Portal pages: the organisation's alert rules (analytics/alerts/views.py), included by portal/urls.py."""

from django.urls import path

from analytics.alerts import views

urlpatterns: list = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/new/", views.alert_create, name="alert_create"),
    path("alerts/<int:pk>/edit/", views.alert_edit, name="alert_edit"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="alert_delete"),
]
