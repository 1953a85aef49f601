"""Portal pages: integrations (issue 13)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
