"""The prediction endpoints, under /api/v1/predictions/ on tenant hosts (included from cvplus/urls_tenants.py)."""

from __future__ import annotations

from django.urls import path

from predictions.api.views import InterviewView, MatchView, SalaryView, TimeToHireView

app_name = "predictions-api"

urlpatterns = [
    path("salary", SalaryView.as_view(), name="salary"),
    path("interview", InterviewView.as_view(), name="interview"),
    path("time-to-hire", TimeToHireView.as_view(), name="time-to-hire"),
    path("match", MatchView.as_view(), name="match"),
]
