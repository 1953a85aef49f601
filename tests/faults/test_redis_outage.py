"""A real server through a real Redis outage: its private Redis (cache, broker, metering) is killed while a licensee,
a seeker and staff use the site, then started again.

While Redis is down the licensee API answers 200 and meters in PostgreSQL (docs/architecture.md, "Degraded mode"), its
usage call and the usage page answer from PostgreSQL, the tenant pages and the tenant API work, a staff page that
queues a task saves its work and answers, and /healthz says 503 naming the cache and the broker. Once Redis is back
everything recovers, and every licensee call answered is billed exactly once. The CSV import preview is not checked
here: it keeps its preview in the cache, and moving it to PostgreSQL belongs to the import work of issue 11.
"""

from __future__ import annotations

import json
import os

from django.contrib.admin.models import LogEntry

from accounts.models import User
from billing.api_keys import api_key_issue
from billing.metering import usage_flush
from billing.models import ApiUsage, ApiUsageDay
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory
from tests.billing.licensees import licensee_create
from tests.billing.test_api_licensing import MATCH, MATCH_RAW, USAGE
from tests.conftest import HOST_A, PASSWORD, PUBLIC_HOST, wait_until
from tests.faults.processes import Visitor, process_env, request, web_server
from tests.faults.redis_server import point_redis_at


class Licensee:
    """The licensee's program: calls the API with its key and counts what was answered."""

    def __init__(self, port: int, secret: str) -> None:
        self.port, self.secret, self.answered = port, secret, 0

    def call(self) -> int:
        answer = request(
            self.port,
            "POST",
            MATCH,
            host=PUBLIC_HOST,
            headers={"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"},
            body=json.dumps(MATCH_RAW).encode(),
        )
        self.answered += answer.status == 200
        return answer.status

    def usage(self) -> dict:
        answer = request(self.port, "GET", USAGE, host=PUBLIC_HOST, headers={"Authorization": f"Bearer {self.secret}"})
        assert answer.status == 200, answer.body[:500]
        return answer.json()


def healthz(port: int) -> tuple[int, dict]:
    answer = request(port, "GET", "/healthz", host=PUBLIC_HOST)
    return answer.status, answer.json()["checks"]


def add_tenant_in_admin(staff: Visitor, schema: str) -> int:
    fields = {
        "name": "Outage Inc",
        "schema_name": schema,
        "kind": Client.Kind.ENTERPRISE,
        "region": "EU",
        "default_language": "en",
        "currency": "EUR",
        "retention_unreadable_upload_days": "30",
        "retention_prediction_log_days": "365",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-domain": f"{schema}.localhost",
        "domains-0-is_primary": "on",
        "_save": "Save",
    }
    return staff.submit("/admin/tenants/client/add/", fields).status


def test_it_serves_through_a_redis_outage_and_bills_each_licensee_call_once(
    committed, cast, settings, tmp_path, private_redis
) -> None:
    redis = private_redis
    licensee = licensee_create(quota=1000, name="Outage Ltd")
    _key, secret = api_key_issue(licensee=licensee)
    staff_user = StaffUserFactory(email=f"staff-{os.getpid()}@cvplus.example")
    schema = f"outage{os.getpid()}"
    env = process_env(redis_url=redis.url(0), cache_url=redis.url(1), TEST_QUEUE_PREFIX=f"fault-{os.getpid()}")
    try:
        with web_server(env, tmp_path / "server.log") as port:
            api = Licensee(port, secret)
            seeker = Visitor(port, HOST_A)
            portal = Visitor(port, PUBLIC_HOST)
            staff = Visitor(port, PUBLIC_HOST)
            assert seeker.submit("/accounts/login/", {"username": cast.owner_email, "password": PASSWORD}).status == 302
            assert portal.submit("/licensee/", {"api_key": secret}).status == 302
            login = {"username": staff_user.email, "password": PASSWORD, "next": "/admin/"}
            assert staff.submit("/admin/login/", login).status == 302

            assert [api.call() for _ in range(3)] == [200] * 3
            api.usage()  # flushes the calls counted in Redis into PostgreSQL

            redis.stop()

            assert [api.call() for _ in range(3)] == [200] * 3  # metered in PostgreSQL
            assert api.usage()["months"][0]["calls"] == 6
            assert portal.get("/licensee/usage/").status == 200
            assert seeker.get("/app/").status == 200
            assert seeker.get("/api/v1/applications/").status == 200
            assert add_tenant_in_admin(staff, schema) == 302  # its provisioning task could not be queued: logged
            status, checks = healthz(port)
            assert status == 503
            assert checks["cache"]["ok"] is False
            assert checks["broker"]["ok"] is False
            assert checks["database"]["ok"] is True

            redis.start()

            recovered = lambda: all(healthz(port)[1][name]["ok"] for name in ("cache", "broker"))  # noqa: E731
            assert wait_until(recovered, timeout_s=15)
            assert [api.call() for _ in range(3)] == [200] * 3
            assert api.usage()["months"][0]["calls"] == 9
            assert portal.get("/licensee/usage/").status == 200

        point_redis_at(settings, redis.url(1))
        usage_flush()  # what the server's Redis still holds: nothing, when its usage call flushed last
        assert api.answered == 9
        assert ApiUsage.objects.get(licensee=licensee).calls == 9  # none lost, none billed twice
        assert ApiUsageDay.objects.get(licensee=licensee).calls == 9
        assert Client.objects.get(schema_name=schema).is_ready is False  # saved; provisioning waits for a retry
    finally:
        Client.objects.filter(schema_name=schema).delete()
        plan = licensee.plan
        licensee.delete()
        plan.delete()
        LogEntry.objects.filter(user_id=staff_user.pk).delete()
        # A queryset's delete() would look for the user's rows in tenant-only tables, absent from public.
        User.objects.filter(pk=staff_user.pk)._raw_delete(User.objects.db)
