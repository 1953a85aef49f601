"""The pipeline board and the moves made from it. With htmx a move answers with the board partial; without
JavaScript the same forms post and redirect (or re-render with the refusal next to the card)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracking import services
from tracking.deletion import UNDO_SESSION_KEY, recently_deleted
from tracking.forms import (
    BoardQueryForm,
    MoveForm,
    PostingForm,
    form_errors_from,
    moment_from_date,
    stage_choices_after,
)
from tracking.models import Application, Stage
from tracking.selectors import board_for, owned
from tracking.views import applications as application_views
from tracking.views._common import back, bad_query


def _board_context(request: HttpRequest, *, errors: dict[int, str] | None = None, status: str = "") -> dict:
    query = BoardQueryForm(request.GET)
    show_all = query.cleaned_data["show"] if query.is_valid() else ""
    board = board_for(user=request.user, show_all=show_all)
    errors = errors or {}
    for column in board.columns + board.closed + board.other:
        for application in column.applications:
            application.move_choices = stage_choices_after(application.stage)
            application.move_error = errors.get(application.pk, "")
    return {
        "board": board,
        "board_status": status,
        "board_open_other": any(column.stage == show_all for column in board.other),
        "quick_form": PostingForm(owner=request.user, auto_id="quick-%s"),
    }


def _render_board(request: HttpRequest, **kwargs) -> HttpResponse:
    if request.htmx:
        return render(request, "tracking/_board.html", _board_context(request, **kwargs))
    context = _board_context(request, **kwargs)
    # The undo list costs its queries only for a while after a delete (tracking.views.edits marks the session).
    if request.session.get(UNDO_SESSION_KEY, 0) > time.time():
        context["deleted_applications"], context["deleted_postings"] = recently_deleted(user=request.user)
    return render(request, "tracking/board.html", context)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    query = BoardQueryForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    return _render_board(request)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk)
    form = MoveForm(request.POST, application=application)
    from_board = request.POST.get("return_to") == "board"
    if form.is_valid():
        try:
            event = services.application_move(
                application=application,
                to_stage=form.cleaned_data["to_stage"],
                by=request.user,
                at=moment_from_date(form.cleaned_data["on"]),
                offer_amount=form.cleaned_data["offer_amount"],
                offer_currency=form.cleaned_data["offer_currency"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            done = _("Moved “%(job)s” to %(stage)s.") % {
                "job": application.posting.title,
                "stage": Stage(event.to_stage).label,
            }
            if request.htmx and from_board:
                return _render_board(request, status=done)
            messages.success(request, done)
            return back(request, application)
    if from_board:
        refusal = " ".join(message for messages_ in form.errors.values() for message in messages_)
        return _render_board(request, errors={application.pk: refusal})
    return application_views.render_application(request, application.pk, move_form=form)


@login_required
@require_POST
def application_ghosted_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk)
    services.application_ghosted_dismiss(application=application)
    done = _("Kept “%(job)s” as still waiting for a reply.") % {"job": application.posting.title}
    if request.htmx and request.POST.get("return_to") == "board":
        return _render_board(request, status=done)
    messages.success(request, done)
    return back(request, application)
