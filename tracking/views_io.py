"""Pages to import applications from a CSV file (upload, preview, confirm, then the job's progress) and to download
the user's data."""

from __future__ import annotations

import io as text_io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracking import exports, io
from tracking.io import queueing
from tracking.models import Stage


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("From a spreadsheet, Huntr or Teal. Up to 2 MB and 2,000 rows."),
    )
    date_order = forms.ChoiceField(
        label=gettext_lazy("Dates such as 03/05/2024 are"),
        choices=[
            (io.AUTO, gettext_lazy("detected from the file (or your language)")),
            ("dmy", gettext_lazy("day/month/year")),
            ("mdy", gettext_lazy("month/day/year")),
        ],
        initial=io.AUTO,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > io.MAX_IMPORT_BYTES:
                raise io.ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
            preview = io.import_preview(
                user=request.user,
                data=upload.read(io.MAX_IMPORT_BYTES + 1),
                language=request.LANGUAGE_CODE,
                currency=request.tenant.currency,
                date_order=form.cleaned_data["date_order"],
            )
        except io.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            context = {"preview": preview, "stage_choices": Stage.choices}
            return render(request, "tracking/io_import_preview.html", context)
    status = 400 if form.errors else 200
    return render(request, "tracking/io_import.html", {"form": form}, status=status)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Queues the import and answers at once with its page, which shows the progress (tracking/io/jobs.py)."""
    try:
        job = queueing.import_confirm(
            user=request.user,
            token=request.POST.get("token", ""),
            stage_choices=io.stage_choices_from(request.POST),
            fit=request.POST.get("fit") == "1",
        )
    except io.ImportNotFound:
        raise Http404 from None
    except io.ImportAlreadyConfirmed as already:
        messages.info(request, _("This file was already confirmed. Nothing was added again."))
        return redirect("tracking:io_import_job", already.job.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " " + _("Nothing was imported."))
        return render(request, "tracking/io_import.html", {"form": ImportUploadForm()}, status=400)
    return redirect("tracking:io_import_job", job.pk)


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its summary. htmx polls it while the job runs and gets the fragment alone."""
    job = io.import_job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404
    job = queueing.import_job_check(job=job)
    template = "tracking/_io_import_job.html" if request.htmx else "tracking/io_import_job.html"
    return render(request, template, {"job": job})


def _attachment(content: str, *, content_type: str, stem: str, extension: str) -> HttpResponse:
    """A download named ``cvplus-<stem>-<date>.<extension>``: the extension last, so the file opens in its program."""
    response = HttpResponse(content, content_type=content_type)
    name = f"cvplus-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Exports are for every plan: taking one's own data is a right (GDPR access and portability), not a premium feature.
@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    out = text_io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    exports.applications_csv_write(user=request.user, out=out)
    return _attachment(out.getvalue(), content_type="text/csv; charset=utf-8", stem="applications", extension="csv")


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    content = json.dumps(
        exports.export_everything(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    return _attachment(content, content_type="application/json; charset=utf-8", stem="everything", extension="json")
