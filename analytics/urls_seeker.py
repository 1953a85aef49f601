"""The seeker's dashboard on tenant hosts, under /app/insights/."""

from django.urls import path

from analytics import views_seeker

app_name = "insights"

urlpatterns = [
    path("", views_seeker.insights_page, name="page"),
    path("predicted/", views_seeker.insights_predicted, name="predicted"),
]
