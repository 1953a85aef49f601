"""Portal pages: the coach's workspace (issue 13, item 3). Every URL is a 404 for analysts and members, except
``task_done``, which a member uses on their own tasks."""

from django.urls import path

from portal.views import coach, coach_actions

urlpatterns = [
    path("members/", coach.member_list, name="members"),
    path("members/<int:pk>/", coach.member_page, name="member"),
    path("members/<int:pk>/applications/", coach.member_board, name="member_board"),
    path("members/<int:pk>/applications/<int:app_pk>/", coach.member_application, name="member_application"),
    path("members/<int:pk>/cv/file/", coach.member_cv_file, name="member_cv_file"),
    path("members/<int:pk>/notes/", coach.member_notes, name="member_notes"),
    path("members/<int:pk>/coach-notes/", coach_actions.coach_note_add_view, name="coach_note_add"),
    path(
        "members/<int:pk>/coach-notes/<int:note_pk>/edit/", coach_actions.coach_note_edit_view, name="coach_note_edit"
    ),
    path(
        "members/<int:pk>/coach-notes/<int:note_pk>/delete/",
        coach_actions.coach_note_delete_view,
        name="coach_note_delete",
    ),
    path("members/<int:pk>/tasks/", coach_actions.coach_task_add_view, name="coach_task_add"),
    path("members/<int:pk>/assign/", coach_actions.member_assign, name="member_assign"),
    path("tasks/<int:task_pk>/done/", coach_actions.task_done, name="task_done"),
]
