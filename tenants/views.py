from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation


def unknown_host(request: HttpRequest) -> HttpResponse:
    """No tenant has this host name: a plain 404 page that says nothing about which tenants exist.

    Runs inside the routing middleware, before the locale middleware: it picks the visitor's language itself, or the
    page would inherit the language the thread's previous request activated.
    """
    translation.activate(translation.get_language_from_request(request, check_path=False))
    return render(request, "404.html", {"unknown_host": True}, status=404)
