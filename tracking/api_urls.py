"""The tenant API under /api/v1/, with its OpenAPI schema and docs pages (served from the sidecar's static files)."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from predictions.api.comparison import ApplicationComparisonView
from tracking.api.applications import ApplicationViewSet, ContactViewSet, EventViewSet, NoteViewSet, TaskViewSet
from tracking.api.base import RedocView
from tracking.api.cvs import CVViewSet
from tracking.api.postings import PostingViewSet
from tracking.api.profile import ProfileView
from tracking.api.progression import ProgressionView
from tracking.api.reminders import NotificationViewSet, ReminderViewSet

app_name = "api"

router = SimpleRouter()
router.register("cvs", CVViewSet, basename="cv")
router.register("postings", PostingViewSet, basename="posting")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("notifications", NotificationViewSet, basename="notification")

LIST_AND_ADD = {"get": "list", "post": "create"}

urlpatterns = [
    path("profile/", ProfileView.as_view(), name="profile"),
    path("progression/", ProgressionView.as_view(), name="progression"),
    path(
        "applications/<int:application_pk>/events/",
        EventViewSet.as_view({"get": "list"}),
        name="application-events",
    ),
    path(
        "applications/<int:application_pk>/contacts/",
        ContactViewSet.as_view(LIST_AND_ADD),
        name="application-contacts",
    ),
    path("applications/<int:application_pk>/notes/", NoteViewSet.as_view(LIST_AND_ADD), name="application-notes"),
    path("applications/<int:application_pk>/tasks/", TaskViewSet.as_view(LIST_AND_ADD), name="application-tasks"),
    path(
        "applications/<int:application_pk>/comparison/",
        ApplicationComparisonView.as_view(),
        name="application-comparison",
    ),
    path("tasks/<int:pk>/complete/", TaskViewSet.as_view({"post": "complete"}), name="task-complete"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: the CSP allows no inline
    # script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc (styled-components) writes inline styles and style attributes as it renders, and runs its search in a worker
    # made from a blob: this page alone allows both. Its scripts stay as strict as everywhere else (its logo, loaded
    # from Redocly's CDN, stays blocked; Redoc then hides it).
    path(
        "redoc/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            RedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    path("", include(router.urls)),
]
