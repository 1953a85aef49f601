from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def unknown_host(request: HttpRequest) -> HttpResponse:
    """No tenant has this host name: a plain 404 page that says nothing about which tenants exist."""
    return render(request, "404.html", {"unknown_host": True}, status=404)
