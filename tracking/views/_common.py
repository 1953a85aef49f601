"""Helpers shared by the page modules."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracking.models import Application


def back(request: HttpRequest, application: Application | None = None) -> HttpResponse:
    """Where a form sends the user when it is done: one of a fixed list of pages, never a URL from the request."""
    return_to = request.POST.get("return_to") or request.GET.get("return_to")
    if return_to == "reminders":
        return redirect("tracking:reminders")
    if return_to == "board" or application is None:
        return redirect("tracking:board")
    return redirect("tracking:application", application.pk)


def bad_query(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """A 400 page naming each query parameter that ``form`` refused (a NUL byte, "²" for a number...)."""
    return render(request, "400.html", {"errors": form.errors}, status=400)
