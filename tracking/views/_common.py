"""Helpers shared by the page modules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tracking.models import Application


def back(request: HttpRequest, application: Application | None = None) -> HttpResponse:
    """Where a form sends the user when it is done: one of a fixed list of pages, never a URL from the request."""
    return_to = request.POST.get("return_to") or request.GET.get("return_to")
    if return_to == "reminders":
        return redirect("tracking:reminders")
    if return_to == "board" or application is None:
        return redirect("tracking:board")
    return redirect("tracking:application", application.pk)
