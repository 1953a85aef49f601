"""Portal pages: programme tools (issue 13, item 4) — board templates, goals, announcements, and a member's own
buttons for their tasks and goal check-ins."""

from django.urls import path

from portal.views import programme

urlpatterns = [
    path("templates/", programme.templates, name="templates"),
    path("templates/new/", programme.template_new, name="template_new"),
    path("templates/<int:pk>/", programme.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", programme.template_delete_view, name="template_delete"),
    path("templates/<int:pk>/apply/", programme.template_apply_view, name="template_apply"),
    path("goals/", programme.goals, name="goals"),
    path("goals/new/", programme.goal_new, name="goal_new"),
    path("goals/<int:pk>/", programme.goal, name="goal"),
    path("goals/<int:pk>/edit/", programme.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", programme.goal_delete_view, name="goal_delete"),
    path("goals/<int:pk>/enrol/", programme.goal_enrol_view, name="goal_enrol"),
    path("announcements/", programme.announcements, name="announcements"),
    path("announcements/<int:pk>/delete/", programme.announcement_delete_view, name="announcement_delete"),
    path("my/tasks/<int:pk>/done/", programme.my_task_done, name="my_task_done"),
    path("my/goals/<int:pk>/check-in/", programme.my_goal_check_in, name="my_goal_check_in"),
]
