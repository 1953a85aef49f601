"""The job seeker's website on tenant hosts (under /app/)."""

from django.urls import path

from tracking import urls_io
from tracking.views import applications, board, cv, edits, interviews, profile, reminders

app_name = "tracking"

urlpatterns = [
    path("", board.board, name="board"),
    path("postings/new/", applications.posting_new, name="posting_new"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:pk>/", applications.application_page, name="application"),
    path("applications/<int:pk>/move/", board.application_move, name="application_move"),
    path("applications/<int:pk>/not-ghosted/", board.application_ghosted_dismiss, name="application_ghosted_dismiss"),
    path("applications/<int:pk>/contacts/", applications.contact_add, name="contact_add"),
    path("applications/<int:pk>/notes/", applications.note_add, name="note_add"),
    path("applications/<int:pk>/tasks/", applications.task_add, name="task_add"),
    path("tasks/<int:pk>/done/", applications.task_complete, name="task_complete"),
    path("applications/<int:pk>/interviews/", interviews.interview_add, name="interview_add"),
    path("interviews/<int:pk>/", interviews.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/cancel/", interviews.interview_cancel, name="interview_cancel"),
    path("interviews/<int:pk>/calendar.ics", interviews.interview_calendar, name="interview_calendar"),
    path("postings/<int:pk>/edit/", edits.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/delete/", edits.posting_delete, name="posting_delete"),
    path("postings/<int:pk>/restore/", edits.posting_restore, name="posting_restore"),
    path("applications/<int:pk>/edit/", edits.application_edit, name="application_edit"),
    path("applications/<int:pk>/delete/", edits.application_delete, name="application_delete"),
    path("applications/<int:pk>/restore/", edits.application_restore, name="application_restore"),
    path("applications/<int:pk>/reopen/", edits.application_reopen, name="application_reopen"),
    path("contacts/<int:pk>/edit/", edits.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", edits.contact_delete, name="contact_delete"),
    path("notes/<int:pk>/edit/", edits.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", edits.note_delete, name="note_delete"),
    path("tasks/<int:pk>/edit/", edits.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", edits.task_delete, name="task_delete"),
    path("cv/", cv.cv_page, name="cv"),
    path("cv/upload/", cv.cv_upload, name="cv_upload"),
    path("cv/paste/", cv.cv_paste, name="cv_paste"),
    path("cv/<int:pk>/", cv.cv_version, name="cv_version"),
    path("cv/<int:pk>/file/", cv.cv_file, name="cv_file"),
    path("cv/<int:pk>/status/", cv.cv_status, name="cv_status"),
    path("cv/<int:pk>/corrections/", cv.cv_correct, name="cv_correct"),
    path("profile/", profile.profile_page, name="profile"),
    path("reminders/", reminders.reminders_page, name="reminders"),
    path("reminders/<int:pk>/snooze/", reminders.reminder_snooze, name="reminder_snooze"),
    path("reminders/<int:pk>/off/", reminders.reminder_turn_off, name="reminder_turn_off"),
    path("notifications/<int:pk>/read/", reminders.notification_read, name="notification_read"),
    path("notifications/read-all/", reminders.notifications_read_all, name="notifications_read_all"),
    *urls_io.urlpatterns,
]
