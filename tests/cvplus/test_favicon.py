"""Browsers ask every host for /favicon.ico: it leads to the site's icon instead of a 404 page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_the_browser_to_the_sites_icon_on_every_host(public_client, client_a) -> None:
    for client in (public_client, client_a):
        response = client.get("/favicon.ico")

        assert response.status_code == 301
        assert response["Location"].endswith("img/favicon.svg")
