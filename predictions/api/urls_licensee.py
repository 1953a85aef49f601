"""The licensee prediction endpoints, under /api/v1/licensee/ on the public host, in the "licensee-api" namespace
beside billing's usage endpoint (both assembled in cvplus/urls_public.py)."""

from __future__ import annotations

from django.urls import path

from predictions.api.licensee import (
    LicenseeInterviewView,
    LicenseeMatchView,
    LicenseeSalaryView,
    LicenseeTimeToHireView,
)

urlpatterns = [
    path("predictions/salary", LicenseeSalaryView.as_view(), name="salary"),
    path("predictions/time-to-hire", LicenseeTimeToHireView.as_view(), name="time-to-hire"),
    path("predictions/interview", LicenseeInterviewView.as_view(), name="interview"),
    path("predictions/match", LicenseeMatchView.as_view(), name="match"),
]
