"""The organisation API, under /api/v1/org/ on tenant hosts (included from cvplus/urls_tenants.py); a 404 on consumer
hosts. Documented in the tenant API's schema (/api/v1/schema/, /api/v1/docs/) on enterprise hosts."""

from __future__ import annotations

from django.urls import path

from portal.api.invitations import InvitationView
from portal.api.members import MemberApplicationListView, MemberDetailView, MemberListView
from portal.api.outcomes import FunnelView

app_name = "org-api"

urlpatterns = [
    path("members/", MemberListView.as_view(), name="members"),
    path("members/<int:pk>/", MemberDetailView.as_view(), name="member"),
    path("members/<int:pk>/applications/", MemberApplicationListView.as_view(), name="member-applications"),
    path("outcomes/funnel/", FunnelView.as_view(), name="funnel"),
    path("invitations/", InvitationView.as_view(), name="invitations"),
]
