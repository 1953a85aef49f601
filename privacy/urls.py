"""The privacy pages on tenant hosts, under /privacy/."""

from django.urls import path

from privacy import views, views_members

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("export/", views.export, name="export"),
    path("erase/account/", views.account_erase, name="account_erase"),
    path("erase/account/done/", views.account_erased, name="account_erased"),
    path("erase/cv/<int:pk>/", views.cv_erase, name="cv_erase"),
    path("erase/application/<int:pk>/", views.application_erase, name="application_erase"),
    path("members/", views_members.members, name="members"),
    path("members/<int:pk>/export/", views_members.member_export, name="member_export"),
    path("members/<int:pk>/erase/", views_members.member_erase, name="member_erase"),
]
