"""The trivial view the routing benchmark serves. It never touches the database."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ok", ok, name="bench_ok")]
