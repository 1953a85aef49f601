"""Malformed query strings on the pages: a 400 naming the parameter (a form reads each one), never a 500. Found: a NUL
byte in ``/app/?show=`` reached PostgreSQL, and ``/app/applications/new/?posting=²`` passed ``str.isdigit`` and broke
``int()``. The sweep sends the same hostile values, in every parameter name a page reads, to every page without
arguments."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HOSTILE_VALUES = ["%00", "%C2%B2", "%ED%A0%80", "9" * 40, "-1", "%EF%BC%91"]  # NUL, ², a surrogate's bytes, ١-like
PARAMETER_NAMES = ("show", "posting", "country", "return_to", "page", "next", "stage", "days", "token", "cv")


def test_it_answers_400_naming_a_nul_in_the_board_query(signed_in):
    response = signed_in.get("/app/?show=%00")

    assert response.status_code == 400
    assert "<code>show</code>" in response.content.decode()


def test_it_answers_400_naming_a_non_ascii_digit_as_posting(signed_in):
    response = signed_in.get("/app/applications/new/?posting=%C2%B2")

    assert response.status_code == 400
    assert "<code>posting</code>" in response.content.decode()


def test_it_answers_404_for_a_posting_id_out_of_any_range(signed_in):
    assert signed_in.get("/app/applications/new/?posting=" + "9" * 40).status_code == 404


def test_it_still_shows_a_whole_column_and_preselects_a_posting(signed_in):
    assert signed_in.get("/app/?show=applied").status_code == 200
    assert signed_in.get("/app/applications/new/?posting=").status_code == 200


def _pages_without_arguments(patterns, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _pages_without_arguments(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
            found.append("/" + prefix + route)
    return found


TENANT_PAGES = sorted(
    path
    for path in _pages_without_arguments(get_resolver("cvplus.urls_tenants").url_patterns)
    if not path.startswith(("/api/", "/accounts/logout", "/static/", "/media/", "/i18n/", "/healthz"))
)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_it_never_answers_500_to_hostile_query_values_on_any_page(signed_in, value):
    query = "&".join(f"{name}={value}" for name in PARAMETER_NAMES)
    failures = {}
    for path in TENANT_PAGES:
        response = signed_in.get(f"{path}?{query}")
        if response.status_code >= 500:
            failures[path] = response.status_code

    assert len(TENANT_PAGES) > 10
    assert failures == {}
