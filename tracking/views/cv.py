"""The CV page: upload or paste a version, see what was read from it, download the original file.

An upload is stored at once and read by a worker (tracking/cv/reading.py): the page shows "reading your CV" and
polls the version's status with htmx until it is read, then reloads. The upload services live in
tracking/cv/services.py; they are imported when called so the rest of the site works while that module is missing.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from market.cv_rules import cv_rule_country_choices
from tracking.cv.conventions import cv_conventions
from tracking.cv.labels import parsed_for_display
from tracking.cv_corrections import cv_correction_initial, cv_correction_save, cv_parsed
from tracking.forms import CVCorrectionForm, CVPasteForm, CVUploadForm, form_errors_from
from tracking.models import CVDocument
from tracking.progression import progression_for_cv
from tracking.selectors import cv_versions, owned

# The types a CV file may be served as; anything else goes out as opaque bytes.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}
UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()]+")


def download_name(cv: CVDocument) -> str:
    """The user's file name without any folder, control or quoting characters; else a name made from the version."""
    name = PureWindowsPath(PurePosixPath(cv.original_name or "").name).name
    name = UNSAFE_NAME_CHARS.sub("_", name).strip(" ._")[:120]
    return name or f"cv-v{cv.version}{EXTENSIONS.get(cv.content_type, '')}"


def _conventions_context(request: HttpRequest, shown: CVDocument | None) -> dict:
    """The "Conventions for <country>" panel: the country picked with ?country=, else the default target."""
    error = ""
    try:
        report = cv_conventions(user=request.user, cv=shown, country=request.GET.get("country", "").strip()[:10])
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
        report = cv_conventions(user=request.user, cv=shown)
    return {"conventions": report, "conventions_error": error, "convention_choices": cv_rule_country_choices()}


def _reading_checked(cv: CVDocument) -> CVDocument:
    from tracking.cv.services import cv_reading_check

    return cv_reading_check(cv=cv)


def _render_cv(
    request: HttpRequest,
    *,
    shown: CVDocument | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **bound: forms.Form,
) -> HttpResponse:
    versions = list(cv_versions(user=request.user))
    # The latest is the newest version not unreadable: an unreadable upload never replaces the CV that counts.
    latest = next((cv for cv in versions if cv.status != CVDocument.Status.UNREADABLE), None)
    if shown is None and versions:
        shown = CVDocument.objects.get(pk=(latest or versions[0]).pk)
    if shown is not None:
        shown = _reading_checked(shown)
    context = {
        "versions": versions,
        "shown": shown,
        "is_latest": shown is not None and latest is not None and shown.pk == latest.pk,
        "upload_form": CVUploadForm(),
        "paste_form": CVPasteForm(),
        "parsed": parsed_for_display(cv_parsed(shown)) if shown is not None else {},
        "unreadable": CVDocument.Status.UNREADABLE,
        "reading": CVDocument.Status.READING,
        "progression": progression_for_cv(user=request.user, cv=shown) if shown is not None else None,
        "correction_form": (
            CVCorrectionForm(cv=shown, initial=cv_correction_initial(shown))
            if shown is not None and shown.status == CVDocument.Status.PARSED
            else None
        ),
        **_conventions_context(request, shown),
    }
    context.update(bound)
    response = render(request, "tracking/cv.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@login_required
@require_GET
def cv_page(request: HttpRequest) -> HttpResponse:
    return _render_cv(request)


@login_required
@require_GET
def cv_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_cv(request, shown=owned(CVDocument, user=request.user, pk=pk))


@login_required
@require_GET
def cv_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the page while a version is being read: the "reading" notice again, or (htmx) a reload once read."""
    cv = _reading_checked(owned(CVDocument, user=request.user, pk=pk))
    if cv.status == CVDocument.Status.READING:
        return render(request, "tracking/_cv_reading.html", {"shown": cv})
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("tracking:cv_version", cv.pk)


def _saved(request: HttpRequest, cv: CVDocument) -> HttpResponse:
    cv.refresh_from_db(fields=["status"])  # read already when tasks run inline
    if cv.status == CVDocument.Status.READING:
        messages.info(request, _("Version %(version)s saved. We are reading it now.") % {"version": cv.version})
    elif cv.status == CVDocument.Status.UNREADABLE:
        from tracking.cv.services import cv_latest

        previous = cv_latest(owner=request.user)
        if previous is not None:
            text = _("We kept version %(version)s, but could not read it: your latest CV is still version %(latest)s.")
        else:
            text = _("We kept version %(version)s, but could not read it.")
        messages.warning(request, text % {"version": cv.version, "latest": getattr(previous, "version", "")})
    else:
        messages.success(request, _("Version %(version)s saved and read.") % {"version": cv.version})
    return redirect("tracking:cv_version", cv.pk)


def _refused(request: HttpRequest, error: ValidationError, **bound: forms.Form) -> HttpResponse:
    """The upload budget's refusal is a 429 with Retry-After when waiting helps; any other refusal is a 400."""
    (form,) = bound.values()
    form_errors_from(form, error)
    retry_after_s = getattr(error, "retry_after_s", None)
    if retry_after_s is not None:
        return _render_cv(request, status=429, headers={"Retry-After": str(retry_after_s)}, **bound)
    return _render_cv(request, status=400, **bound)


@login_required
@require_POST
def cv_upload(request: HttpRequest) -> HttpResponse:
    from tracking.cv import services as cv_services

    form = CVUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            cv = cv_services.cv_upload(owner=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            return _refused(request, error, upload_form=form)
        return _saved(request, cv)
    return _render_cv(request, status=400, upload_form=form)


@login_required
@require_POST
def cv_paste(request: HttpRequest) -> HttpResponse:
    from tracking.cv import services as cv_services

    form = CVPasteForm(request.POST)
    if form.is_valid():
        try:
            cv = cv_services.cv_paste(owner=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            return _refused(request, error, paste_form=form)
        return _saved(request, cv)
    return _render_cv(request, status=400, paste_form=form)


@login_required
@require_POST
def cv_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Saves the seeker's corrections to one of their read versions; a refusal re-renders the page with the error
    beside its field (400) and stores nothing."""
    cv = owned(CVDocument, user=request.user, pk=pk)
    form = CVCorrectionForm(request.POST, cv=cv)
    if form.is_valid():
        try:
            cv_correction_save(user=request.user, cv=cv, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            if cv.status != CVDocument.Status.PARSED:  # no form on the page to show it beside
                for message in error.messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Corrections saved. Your match scores and predictions now use them."))
            return redirect("tracking:cv_version", cv.pk)
    return _render_cv(request, shown=cv, status=400, correction_form=form)


def cv_file_response(cv: CVDocument) -> FileResponse:
    """The version's original file, always as a download (never rendered by the browser); Http404 when it has none.
    Callers have checked that the viewer may have it."""
    if not cv.file:
        raise Http404
    try:
        handle = cv.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = cv.content_type if cv.content_type in EXTENSIONS else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=download_name(cv), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def cv_file(request: HttpRequest, pk: int) -> FileResponse:
    """Streams the original file to its owner only."""
    return cv_file_response(owned(CVDocument, user=request.user, pk=pk))
