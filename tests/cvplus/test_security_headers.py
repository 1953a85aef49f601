"""Hardening headers on every answer: a Content-Security-Policy without inline scripts, Permissions-Policy with the
features CVPlus never uses turned off, Referrer-Policy, nosniff and COOP."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient

pytestmark = pytest.mark.django_db

OFF_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(
    ("host", "path"),
    [("localhost", "/"), ("alpha.localhost", "/accounts/login/"), ("nobody.localhost", "/")],
)
def test_it_sends_a_content_security_policy_without_inline_scripts(cast, host, path) -> None:
    response = HttpClient(HTTP_HOST=host).get(path)
    directives = _directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]


def test_it_sends_the_other_hardening_headers(client_a) -> None:
    response = client_a.get("/accounts/login/")
    permissions = response["Permissions-Policy"]
    for feature in OFF_FEATURES:
        assert re.search(rf"(^|, ){feature}=\(\)(,|$)", permissions), permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_it_has_no_inline_script_or_handler_in_the_page_layout(client_a) -> None:
    html = client_a.get("/accounts/login/").content.decode()
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "an inline <script>"
    assert "data-submit-on-change" in html  # the language switcher's behaviour lives in static/js/cvplus.js
