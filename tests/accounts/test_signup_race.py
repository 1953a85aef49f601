"""A double-clicked sign-up, for real: two requests with the same address at the same moment, on committed data.
Before sign-up was atomic, the loser of the race hit the unique constraint and answered 500."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import connections
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import PendingSignup, User
from privacy.models import ConsentRecord
from tests.conftest import HOST_A

EMAIL = "racing.clicks@example.com"
PASSWORD = "a-long-racing-passphrase"


CLICKS = 4  # before the fix, four simultaneous sign-ups reliably gave two IntegrityError 500s


def _together(action, count: int = CLICKS) -> list[int]:
    """Runs ``action()`` in ``count`` threads released at once; returns their status codes."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            statuses.append(action())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def _browser() -> HttpClient:
    """A client that answers a server error with its 500 page, as a browser sees it, instead of raising."""
    return HttpClient(HTTP_HOST=HOST_A, raise_request_exception=False)


@pytest.fixture
def cleanup(committed):
    yield
    with schema_context("alpha"):
        ConsentRecord.objects.filter(user__email=EMAIL).delete()
        User.objects.filter(email=EMAIL).delete()
        PendingSignup.objects.filter(email=EMAIL).delete()


def test_it_never_answers_500_to_a_double_clicked_sign_up_or_confirmation(cast, cleanup, settings) -> None:
    settings.SIGNUPS_PER_EMAIL_PER_HOUR = CLICKS  # the race, not the throttle (tests/accounts/test_throttles.py)
    data = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "consent": "on", "notice_version": "1"}

    signed_up = _together(lambda: _browser().post("/accounts/signup/", data).status_code)

    assert signed_up == [302] * CLICKS
    with schema_context("alpha"):
        assert PendingSignup.objects.filter(email=EMAIL).count() == 1
    link = re.search(r"http://alpha\.localhost(/accounts/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)

    confirmed = _together(lambda: _browser().post(link).status_code)

    assert confirmed == [302] + [404] * (CLICKS - 1)
    with schema_context("alpha"):
        assert User.objects.filter(email=EMAIL).count() == 1
