"""Everything CVPlus holds about one person in the current tenant, as a ZIP: ``data.json`` (every table), the same
tables as CSV files, and the CV files themselves. For every plan (the right of access and portability is not a
premium feature). One query per table whatever the number of rows.

Tables are built from the models' own columns, so a column added later is exported without anyone remembering to.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from analytics.pageviews_flush import page_views_flush_for_reading
from predictions.logbuffer import prediction_log_flush_for_reading
from predictions.models import ApplicationPrediction, PredictionLog
from privacy.models import ConsentRecord
from tenants.context import require_tenant_schema
from tenants.locale import member_language
from tracking.exports import cell_safe
from tracking.models import (
    Application,
    ApplicationEvent,
    CandidateProfile,
    Contact,
    CVCorrection,
    CVDocument,
    DomainEvent,
    Interview,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Task,
)
from tracking.views.cv import download_name

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 2  # 1 was tracking.exports' everything.json
ACCOUNT_COLUMNS = ("id", "email", "full_name", "language", "role", "date_joined", "last_login")


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[dict]


@dataclass(frozen=True)
class ExportSummary:
    tables: dict[str, int]  # rows per table
    files: int
    bytes_written: int


def _table(name: str, queryset: QuerySet, *, exclude: set[str] = frozenset(), extra=None) -> Table:
    """The queryset's rows, every concrete column except ``exclude`` (by field name), plus ``extra(row)``."""
    model: type[Model] = queryset.model
    fields = [f for f in model._meta.concrete_fields if f.name not in exclude]
    columns = [f.attname for f in fields]
    rows = []
    for obj in queryset:
        row = {f.attname: getattr(obj, f.attname) for f in fields}
        if extra is not None:
            row.update(extra(obj))
        rows.append(row)
    if extra is not None and rows:
        columns += [key for key in rows[0] if key not in columns]
    return Table(name, columns, rows)


def cv_archive_path(cv: CVDocument) -> str:
    return f"cv/v{cv.version}-{download_name(cv)}"


def export_tables(*, user: User) -> list[Table]:
    """Every row about ``user`` in this tenant, table by table (ids kept, so the tables join)."""
    require_tenant_schema()
    prediction_log_flush_for_reading(schema=connection.schema_name)  # the last seconds' rows, buffered in Redis
    page_views_flush_for_reading()  # and page views
    mine = {"application__owner": user}
    cvs = CVDocument.objects.filter(owner=user).order_by("version")
    return [
        Table("account", list(ACCOUNT_COLUMNS), [{column: getattr(user, column) for column in ACCOUNT_COLUMNS}]),
        _table("profile", CandidateProfile.objects.filter(user=user), exclude={"user"}),
        _table(
            "cv_versions",
            cvs,
            exclude={"owner", "file"},
            extra=lambda cv: {"file_in_archive": cv_archive_path(cv) if cv.file else ""},
        ),
        # What the user corrected on each version (tracking.cv_corrections).
        _table("cv_corrections", CVCorrection.objects.filter(cv__owner=user).order_by("cv__version")),
        _table("job_postings", JobPosting.objects.filter(owner=user).order_by("created_at", "pk"), exclude={"owner"}),
        _table("applications", Application.objects.filter(owner=user).order_by("created_at", "pk"), exclude={"owner"}),
        _table("application_events", ApplicationEvent.objects.filter(**mine).order_by("occurred_at", "pk")),
        _table("contacts", Contact.objects.filter(**mine).order_by("pk")),
        _table("notes", Note.objects.filter(**mine).order_by("created_at", "pk")),
        _table("tasks", Task.objects.filter(**mine).order_by("pk")),
        _table(
            "interviews",
            Interview.objects.filter(**mine).prefetch_related("contacts").order_by("starts_at", "pk"),
            extra=lambda interview: {"contact_ids": [contact.pk for contact in interview.contacts.all()]},
        ),
        _table("reminders", Reminder.objects.filter(owner=user).order_by("due_at", "pk"), exclude={"owner"}),
        _table("notifications", Notification.objects.filter(user=user).order_by("created_at", "pk"), exclude={"user"}),
        _table("consents", ConsentRecord.objects.filter(user=user).order_by("given_at", "pk"), exclude={"user"}),
        _table(
            "prediction_log", PredictionLog.objects.filter(user=user).order_by("created_at", "pk"), exclude={"user"}
        ),
        # What was predicted for each application (predictions/served.py), as the model monitor keeps it.
        _table("application_predictions", ApplicationPrediction.objects.filter(**mine).order_by("served_at", "pk")),
        _table("activity_events", DomainEvent.objects.filter(actor_id=user.pk).order_by("occurred_at", "pk")),
    ]


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict | list):
        return cell_safe(json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder))
    return cell_safe(value)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(row.get(column)) for column in table.columns])
    return out.getvalue()


def export_zip_write(*, user: User, out: BinaryIO) -> ExportSummary:
    """Writes the ZIP to ``out`` (a binary file object) and returns what it holds."""
    tables = export_tables(user=user)
    files = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with translation.override(member_language(user)):
            readme = render_to_string("privacy/export_readme.txt", {"tables": tables, "user": user})
        archive.writestr("README.txt", readme)
        document = {
            "format": "cvplus-export",
            "version": EXPORT_FORMAT_VERSION,
            "exported_at": timezone.now(),
            "tables": {table.name: table.rows for table in tables},
        }
        archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for table in tables:
            archive.writestr(f"csv/{table.name}.csv", table_csv(table))
        for cv in CVDocument.objects.filter(owner=user).exclude(file="").order_by("version"):
            try:
                with cv.file.open("rb") as stored:
                    archive.writestr(cv_archive_path(cv), stored.read())
            except FileNotFoundError:
                logger.warning("privacy: CV version %s has no file on disk; exported without it", cv.pk)
                continue
            files += 1
    return ExportSummary({table.name: len(table.rows) for table in tables}, files, out.tell())
