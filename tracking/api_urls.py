"""The tenant API under /api/v1/."""

from django.urls import path  # noqa: F401 - filled in by tracking/api.py

app_name = "api"

urlpatterns: list = []
