"""Portal pages: outcomes (issue 13)."""

from django.urls import path

from portal.views import outcomes

urlpatterns = [
    path("outcomes/", outcomes.outcomes_page, name="outcomes"),
    path("outcomes/<slug:table>.csv", outcomes.outcomes_csv, name="outcomes_csv"),
]
