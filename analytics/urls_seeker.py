"""The seeker's dashboard on tenant hosts, under /app/insights/, and the beta programme's seeker pages
(analytics/views_beta.py)."""

from django.urls import path

from analytics import views_beta, views_seeker

app_name = "insights"

urlpatterns = [
    path("", views_seeker.insights_page, name="page"),
    path("predicted/", views_seeker.insights_predicted, name="predicted"),
    path("feedback/", views_beta.feedback_send, name="feedback_send"),
    path("feedback/mine/", views_beta.feedback_mine, name="feedback_mine"),
    path("feedback/<int:pk>/", views_beta.feedback_detail, name="feedback_detail"),
    path("nps/", views_beta.nps_answer, name="nps_answer"),
    path("beta/join/", views_beta.beta_join, name="beta_join"),
]
