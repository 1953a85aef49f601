"""Revoked API keys are refused everywhere within a second: a process that holds a key in memory forgets it when the
revocation is published through Redis, and a process that does not hear Redis reads PostgreSQL on every request.
Keys are still kept in memory while Redis is heard (the lookup is the costliest part of a licensee call)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

from billing import api_keys
from billing.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from billing.models import ApiKey
from tests.billing.licensees import licensee_create
from tests.billing.test_degraded_mode import redis_down  # noqa: F401 - a fixture
from tests.conftest import wait_until
from tests.faults.processes import ROOT, process_env, stop, wait_for_sessions_to_end

REVOKED_WITHIN_S = 1.0  # the issue's bound: the other process must refuse the key before this deadline


@contextmanager
def other_process(settings) -> Iterator[Callable[[str], str]]:
    """A second process on the same database and Redis; yields ``ask(secret) -> 'accepted heard'`` and the like."""
    env = process_env(redis_url=settings.TEST_REDIS_URL, cache_url=settings.CACHES["default"]["LOCATION"])
    checker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "tests.billing.key_checker"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def ask(secret: str) -> str:
        checker.stdin.write(secret + "\n")
        checker.stdin.flush()
        return checker.stdout.readline().strip()

    try:
        yield ask
    finally:
        checker.stdin.close()
        stop(checker)
        wait_for_sessions_to_end()


def test_it_refuses_a_key_revoked_in_another_process_within_a_second(committed, cast, settings) -> None:
    licensee = licensee_create(name="Two Processes Ltd")
    key, secret = api_key_issue(licensee=licensee)
    try:
        with other_process(settings) as ask:
            # The other process holds the key in memory and hears Redis (a checkout without revocations: n/a).
            assert wait_until(lambda: ask(secret) in ("accepted heard", "accepted n/a"), timeout_s=30)

            api_key_revoke(key=key)
            deadline = time.monotonic() + REVOKED_WITHIN_S
            answer = ask(secret)
            while not answer.startswith("refused") and time.monotonic() < deadline:
                answer = ask(secret)

            assert answer.startswith("refused"), answer
    finally:
        plan = licensee.plan
        licensee.delete()
        plan.delete()


def test_it_reads_postgresql_on_every_request_while_redis_is_down(cast, db, redis_down) -> None:  # noqa: F811
    licensee = licensee_create()
    key, secret = api_key_issue(licensee=licensee)
    assert api_key_authenticate(secret) == key

    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())  # no signal: nothing tells this process

    assert api_key_authenticate(secret) is None


def test_it_keeps_keys_in_memory_while_it_hears_redis(cast, db, django_assert_num_queries) -> None:
    licensee = licensee_create()
    key, secret = api_key_issue(licensee=licensee)
    from billing.api_key_revocations import api_key_changes_heard

    assert wait_until(lambda: api_key_changes_heard(api_keys._cache_forget), timeout_s=10)
    assert api_key_authenticate(secret) == key  # read once, and last use written

    with django_assert_num_queries(0):
        assert api_key_authenticate(secret) == key
