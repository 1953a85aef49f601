"""Helpers of the members area's tests (tests/portal/test_invitations.py, tests/portal/test_people.py)."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from billing.seats import Seats, seats_for_current_tenant
from tests.billing.test_seats import contract  # gamma's contract in force today, with the seats given
from tests.conftest import ENTERPRISE_HOST, login

__all__ = ["OTHER_HOST", "OTHER_SCHEMA", "contract", "german", "gamma_seats", "signed_in"]

# A second organisation (tests/portal/conftest.py, ``other_enterprise``).
OTHER_SCHEMA = "nordhafen"
OTHER_HOST = "nordhafen.localhost"


def german(message: str, **values: object) -> str:
    """``message`` as gamma's German pages show it, filled in with ``values``."""
    with translation.override("de"):
        text = gettext(message)
    return text % values if values else text


def signed_in(email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert login(client, email).status_code == 302
    return client


def gamma_seats() -> Seats:
    with schema_context("gamma"):
        return seats_for_current_tenant()
