"""Sign-in lockout, measured: `.venv/bin/python bench/security_auth.py [--seconds 30] [--keep-db]`.

For each sign-in (a tenant's /accounts/login/, the public host's /admin/login/, the licensee key sign-in at
/licensee/), real requests through Django's full stack (test client, in process, Argon2 hashing as configured) on a
database of its own (``cvplus_auth_bench``, dropped and recreated, with a consumer tenant of its own). Each sign-in
is driven as fast as one client can for ``--seconds`` with wrong secrets for one account, from one address, then the
right secret once; the same again with lockout turned off (AXES_ENABLED=False), the state the outside probe found.
Printed per sign-in: requests sent, guesses the server checked (answers other than 429), the checked guesses per
minute, and whether the right secret then got in.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_auth_bench")

from bench.tenants import bench_env, consumer_tenant_provision, database_drop, database_recreate  # noqa: E402

HOST = "bench-auth.localhost"
SEEKER_EMAIL, STAFF_EMAIL = "seeker@bench-auth.example", "staff@bench-auth.example"
PASSWORD = "bench-correct-horse-battery"  # noqa: S105 - a throwaway user this script creates and deletes
LOCKED = 429


@dataclass
class Run:
    sent: int
    checked: int  # guesses whose secret the server checked
    checked_by_s: float  # when the last of them was answered, from the start of the run
    seconds: float
    right_status: int
    right_got_in: bool


def drive(post_wrong: Callable[[int], int], post_right: Callable[[], tuple[int, bool]], seconds: float) -> Run:
    """Wrong secrets as fast as one client can for ``seconds``, then the right one. The request that reaches the
    limit is checked and answered 429; the ones after it are refused unchecked."""
    sent = checked = 0
    checked_by_s = 0.0
    locked = False
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        status = post_wrong(sent)
        sent += 1
        if not locked:
            checked += 1
            checked_by_s = time.perf_counter() - start
            locked = status == LOCKED
    elapsed = time.perf_counter() - start
    right_status, got_in = post_right()
    return Run(sent, checked, checked_by_s, elapsed, right_status, got_in)


def _address() -> str:
    """A fresh address per run, so one run's per-address count never meets another's."""
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    return address


def tenant_login(host: str, email: str, seconds: float) -> Run:
    from django.test import Client as HttpClient

    client = HttpClient(HTTP_HOST=host, REMOTE_ADDR=_address())

    def wrong(i: int) -> int:
        return client.post("/accounts/login/", {"username": email, "password": f"wrong-{i}"}).status_code

    def right() -> tuple[int, bool]:
        status = client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        return status, client.get("/accounts/").status_code == 200

    return drive(wrong, right, seconds)


def admin_login(email: str, seconds: float) -> Run:
    from django.test import Client as HttpClient

    client = HttpClient(HTTP_HOST="localhost", REMOTE_ADDR=_address())
    login = "/admin/login/?next=/admin/"

    def wrong(i: int) -> int:
        return client.post(login, {"username": email, "password": f"wrong-{i}"}).status_code

    def right() -> tuple[int, bool]:
        status = client.post(login, {"username": email, "password": PASSWORD}).status_code
        return status, client.get("/admin/").status_code == 200

    return drive(wrong, right, seconds)


def licensee_signin(prefix: str, secret: str, seconds: float) -> Run:
    from django.test import Client as HttpClient

    client = HttpClient(HTTP_HOST="localhost", REMOTE_ADDR=_address())

    def wrong(i: int) -> int:
        return client.post("/licensee/", {"api_key": f"{prefix}_{uuid.uuid4().hex}{i}"}).status_code

    def right() -> tuple[int, bool]:
        status = client.post("/licensee/", {"api_key": secret}).status_code
        return status, client.get("/licensee/usage/").status_code == 200

    return drive(wrong, right, seconds)


def report(label: str, locked: Run, unlocked: Run) -> None:
    print(f"== {label}")
    for name, run in (("with lockout", locked), ("lockout off (as probed)", unlocked)):
        print(
            f"  {name:<24} {run.sent:>5} requests in {run.seconds:5.1f} s, {run.checked:>4} guesses checked "
            f"(the last after {run.checked_by_s:5.1f} s); the right secret then: HTTP {run.right_status}, "
            f"{'signed in' if run.right_got_in else 'refused'}"
        )
    print(
        f"  guesses checked per minute per account: {locked.checked} with lockout (then none until it ends); "
        f"{unlocked.checked / unlocked.seconds * 60:.1f} without (its {unlocked.checked} in {unlocked.seconds:.1f} s "
        "scaled to a minute)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each sign-in is driven (5..120)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args(sys.argv[1:])
    if not 5 <= options.seconds <= 120:
        parser.error("keep --seconds in 5..120")
    os.environ.update(bench_env(DEBUG="false", LOG_LEVEL="WARNING"))
    print(f"CVPlus sign-in lockout, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    for noisy in ("django.request", "axes"):  # not one line per refusal or failure
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings, setup_test_environment
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.api_keys import api_key_issue
    from billing.catalogue import plans_ensure
    from billing.models import Licensee, Plan
    from tenants.services import public_tenant_ensure

    setup_test_environment()  # the test client's hosts and a locmem mailbox: nothing leaves this process
    try:
        public_tenant_ensure(domain="localhost")
        consumer_tenant_provision(name="Bench lockout", schema="bench_auth", host=HOST)
        plans_ensure()
        print(
            f"settings: {settings.LOGIN_FAILURES_PER_ACCOUNT} failures per account, {settings.LOGIN_FAILURES_PER_IP} "
            f"per address, locked {settings.LOGIN_LOCKOUT_MINUTES} min; each sign-in driven for {options.seconds:.0f} s"
        )
        with schema_context("bench_auth"):
            user_create(email=SEEKER_EMAIL, password=PASSWORD)
        user_create(email=STAFF_EMAIL, password=PASSWORD, is_staff=True)
        plan = Plan.objects.filter(kind=Plan.Kind.API).order_by("pk").first()
        licensee = Licensee.objects.create(name="Bench lockout", contact_email="bench@example.com", plan=plan)
        key, secret = api_key_issue(licensee=licensee)
        runs = {}
        for enabled in (True, False):
            with override_settings(AXES_ENABLED=enabled):
                runs[enabled] = (
                    tenant_login(HOST, SEEKER_EMAIL, options.seconds),
                    admin_login(STAFF_EMAIL, options.seconds),
                    licensee_signin(key.prefix, secret, options.seconds),
                )
        labels = (f"tenant login ({HOST}/accounts/login/)", "admin login (/admin/login/)", "licensee key sign-in")
        for index, label in enumerate(labels):
            report(label, runs[True][index], runs[False][index])
        print(
            f"steady state with lockout: at most {settings.LOGIN_FAILURES_PER_ACCOUNT} guesses per account every "
            f"{settings.LOGIN_LOCKOUT_MINUTES} min = "
            f"{settings.LOGIN_FAILURES_PER_ACCOUNT / settings.LOGIN_LOCKOUT_MINUTES:.2f} per minute"
        )
    finally:
        connections.close_all()
        if not options.keep_db:
            database_drop()


if __name__ == "__main__":
    main()
