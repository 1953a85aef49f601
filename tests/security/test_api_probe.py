"""The probe that found issue 11's input findings, kept in the suite: schemathesis over the tenant API (two users of
two tenants) and the licensee API (two licensees), asserting no 5xx and no response holding the other caller's
marker (tests/security/api_probe.py says how cases are drawn and sent).

Deterministic (Hypothesis derandomized: the same cases every run, no example database, no shrinking) and small for
CI; ``CVPLUS_PROBE_EXAMPLES`` raises the count, and ``CVPLUS_PROBE_REPORT`` names a JSON file that receives the
request count, the status codes and the slowest request (bench/security_input.py runs 5,000 cases this way;
``CVPLUS_PROBE_LICENSEE_EXAMPLES`` sets the licensee API's count).
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.api_probe import (
    Exchange,
    cases,
    licensee_callers,
    licensee_schema,
    probe_step,
    tenant_callers,
    tenant_schema,
    warm_up,
)

TENANT_EXAMPLES = int(os.environ.get("CVPLUS_PROBE_EXAMPLES", "0")) or 200
LICENSEE_EXAMPLES = int(os.environ.get("CVPLUS_PROBE_LICENSEE_EXAMPLES", "0")) or 60


def _run(strategy, callers, examples: int) -> list[Exchange]:
    warm_up()
    exchanges: list[Exchange] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def step(data: st.DataObject) -> None:
        exchanges.append(probe_step(data, strategy, callers))

    step()
    return exchanges


def _report(name: str, exchanges: list[Exchange]) -> None:
    path = os.environ.get("CVPLUS_PROBE_REPORT")
    if not path:
        return
    slowest = max(exchanges, key=lambda exchange: exchange.seconds)
    report = json.loads(open(path).read()) if os.path.exists(path) else {}  # noqa: SIM115
    report[name] = {
        "requests": len(exchanges),
        "statuses": dict(sorted(Counter(exchange.status for exchange in exchanges).items())),
        "findings": sum(1 for exchange in exchanges if exchange.finding),
        "first_findings": [str(exchange.finding)[:300] for exchange in exchanges if exchange.finding][:40],
        "slowest": {
            "seconds": slowest.seconds,
            "method": slowest.method,
            "path": slowest.path[:200],
            "status": slowest.status,
        },
    }
    with open(path, "w") as handle:
        json.dump(report, handle, indent=2)


def test_it_answers_every_tenant_api_case_without_a_5xx_or_the_other_users_data(cast, db):
    callers = tenant_callers(cast)

    exchanges = _run(cases(tenant_schema(callers[0])), callers, TENANT_EXAMPLES)

    _report("tenant", exchanges)
    assert len(exchanges) == TENANT_EXAMPLES
    assert [str(exchange.finding) for exchange in exchanges if exchange.finding] == []


def test_it_answers_every_licensee_api_case_without_a_5xx_or_the_other_licensees_data(cast, db):
    callers = licensee_callers()

    exchanges = _run(cases(licensee_schema()), callers, LICENSEE_EXAMPLES)

    _report("licensee", exchanges)
    assert len(exchanges) == LICENSEE_EXAMPLES
    assert [str(exchange.finding) for exchange in exchanges if exchange.finding] == []


@pytest.mark.parametrize("name", ["tenant", "licensee"])
def test_it_reaches_more_than_one_operation(cast, db, name):
    """The probe is only worth its time if it spreads over the API: its first cases already touch several paths."""
    callers = tenant_callers(cast) if name == "tenant" else licensee_callers()
    schema = tenant_schema(callers[0]) if name == "tenant" else licensee_schema()

    exchanges = _run(cases(schema), callers, 40)

    assert len({exchange.path.split("?")[0].rstrip("0123456789/") for exchange in exchanges}) >= 3
