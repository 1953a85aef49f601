"""The job seeker's website on tenant hosts (under /app/)."""

from django.urls import path  # noqa: F401 - filled in by the website views

app_name = "tracking"

urlpatterns: list = []
