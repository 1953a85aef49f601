"""The privacy pages of a tenant site: the notice, the export, and erasures confirmed with the password.

Objects are looked up through their owner (tracking.selectors.owned): another user's or tenant's CV version or
application is a 404 that confirms nothing.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from privacy import erasure, erasure_requests, selectors
from privacy.export import export_zip_write
from privacy.forms import PasswordConfirmForm
from privacy.models import AuditEntry
from privacy.notice import notice_context
from privacy.services import audit_record
from tracking.models import Application, CVDocument
from tracking.selectors import owned

EXPORT_IN_MEMORY_BYTES = 16 * 1024 * 1024  # larger exports spill to a temporary file


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice.html", notice_context(request.tenant))


def export_response(*, user: User, by: User, name: str) -> FileResponse:
    """The ZIP of ``user``'s data as a download, recorded in the audit log."""
    out = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY_BYTES)  # noqa: SIM115 - FileResponse closes it
    summary = export_zip_write(user=user, out=out)
    audit_record(
        action=AuditEntry.Action.DATA_EXPORTED,
        actor=by,
        subject_email=user.email,
        detail={"files": summary.files, "bytes": summary.bytes_written, **summary.tables},
    )
    out.seek(0)
    response = FileResponse(
        out,
        as_attachment=True,
        filename=f"cvplus-{name}-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return export_response(user=request.user, by=request.user, name="my-data")


def _confirmed(request: HttpRequest) -> tuple[PasswordConfirmForm, bool]:
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    return form, request.method == "POST" and form.is_valid()


@login_required
@require_http_methods(["GET", "POST"])
def account_erase(request: HttpRequest) -> HttpResponse:
    form, confirmed = _confirmed(request)
    if confirmed:
        erasure_requests.account_erasure_request(user=request.user, by=request.user)
        logout(request)
        return redirect("privacy:account_erased")
    context = {"form": form, "preview": selectors.account_erasure_preview(user=request.user), "subject": request.user}
    return render(request, "privacy/erase_account.html", context, status=400 if form.errors else 200)


@require_GET
def account_erased(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/account_erased.html", notice_context(request.tenant))


@login_required
@require_http_methods(["GET", "POST"])
def cv_erase(request: HttpRequest, pk: int) -> HttpResponse:
    cv = owned(CVDocument, user=request.user, pk=pk, queryset=CVDocument.objects.defer("text", "parsed"))
    form, confirmed = _confirmed(request)
    if confirmed:
        erasure.cv_erase(cv=cv, by=request.user)
        messages.success(request, _("Version %(version)s and its file are erased.") % {"version": cv.version})
        return redirect("tracking:cv")
    context = {"form": form, "cv": cv, "preview": selectors.cv_erasure_preview(cv=cv)}
    return render(request, "privacy/erase_cv.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_erase(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk, queryset=Application.objects.select_related("posting"))
    form, confirmed = _confirmed(request)
    if confirmed:
        erasure.application_erase(application=application, by=request.user)
        messages.success(request, _("The application and everything recorded with it are erased."))
        return redirect("tracking:board")
    context = {
        "form": form,
        "application": application,
        "preview": selectors.application_erasure_preview(application=application),
    }
    return render(request, "privacy/erase_application.html", context, status=400 if form.errors else 200)
