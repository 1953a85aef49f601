"""Import and export pages, included by tracking/urls.py into the ``tracking`` namespace under /app/."""

from django.urls import path

from tracking import views_io

urlpatterns = [
    path("import/", views_io.import_page, name="io_import"),
    path("import/confirm/", views_io.import_confirm, name="io_import_confirm"),
    path("import/jobs/<int:pk>/", views_io.import_job, name="io_import_job"),
    path("export/applications.csv", views_io.export_csv, name="io_export_csv"),
    path("export/everything.json", views_io.export_json, name="io_export_json"),
]
