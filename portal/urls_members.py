"""Portal pages: members (issue 13) — people, invitations and the invitation link, cohorts, the organisation's
settings, and a member's own sharing choices."""

from django.urls import path

from portal.views import members, members_invitations

urlpatterns = [
    path("people/", members.people_list, name="people"),
    path("people/assign/", members.people_bulk_assign, name="people_assign"),
    path("people/<int:pk>/", members.person_detail, name="person"),
    path("people/<int:pk>/role/", members.person_role, name="person_role"),
    path("people/<int:pk>/assign/", members.person_assign, name="person_assign"),
    path("people/<int:pk>/deactivate/", members.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", members.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/remove/", members.person_remove, name="person_remove"),
    path("invitations/", members_invitations.invitation_list, name="invitations"),
    path("invitations/new/", members_invitations.invitation_new, name="invitation_new"),
    path("invitations/csv/", members_invitations.invitation_csv, name="invitation_csv"),
    path("invitations/csv/send/", members_invitations.invitation_csv_confirm, name="invitation_csv_send"),
    path("invitations/<int:pk>/resend/", members_invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", members_invitations.invitation_withdraw, name="invitation_withdraw"),
    path("join/<str:token>/", members_invitations.join, name="join"),
    path("cohorts/", members.cohort_list, name="cohorts"),
    path("cohorts/<int:pk>/", members.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/delete/", members.cohort_delete, name="cohort_delete"),
    path("settings/", members.organisation_settings, name="settings"),
    path("sharing/", members.sharing, name="sharing"),
]
