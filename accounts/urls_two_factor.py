"""Two-factor pages, included under ``accounts/`` on tenant hosts and ``admin/`` on the public host (staff)."""

from django.urls import path

from accounts import views_two_factor

app_name = "two_factor"

urlpatterns = [
    path("login/code/", views_two_factor.login_code, name="code"),
    path("two-factor/", views_two_factor.setup, name="setup"),
    path("two-factor/recovery-codes/", views_two_factor.recovery_codes, name="recovery_codes"),
    path("two-factor/off/", views_two_factor.disable, name="disable"),
]
