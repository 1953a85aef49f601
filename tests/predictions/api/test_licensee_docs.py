"""The licensee API's own OpenAPI document and docs page on the public host: the document is valid OpenAPI, holds the
licensee paths only and explains keys, batches, quotas, errors and coded values; EVERY example it documents is sent
to the API with a real key and answered as documented (status, and the body exactly for errors, by shape for
predictions); the tenant hosts keep their own docs; unknown /api/ paths are a JSON 404; and isolation: the documented
usage call answers the caller's own licensee only.

The salary and time-to-hire models are trained on SIMULATED rows (tests/predictions/serving_support.py and
tests/predictions/time_to_hire): they prove the plumbing, not accuracy.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from openapi_spec_validator import validate

from billing import metering
from billing.api_keys import api_key_issue
from billing.licensee_api_examples import ERROR_ANSWERS, RATE_LIMITED
from billing.metering import meter, usage_flush
from billing.models import ApiUsage, Licensee
from tests.billing.licensees import licensee_create
from tests.conftest import HOST_A, PUBLIC_HOST
from tests.predictions.serving_support import salary_champion, salary_reference, salary_run  # noqa: F401 - fixtures
from tests.predictions.time_to_hire.test_time_to_hire import (  # noqa: F401 - fixtures
    global_champion,
    reference_loaded,
    simulated_run,
)

SCHEMA = "/api/v1/licensee/schema/"
DOCS = "/api/v1/docs/"
PREFIX = "/api/v1/licensee/"
PATHS = {
    f"{PREFIX}predictions/salary": "salary_champion",
    f"{PREFIX}predictions/time-to-hire": "global_champion",
    f"{PREFIX}predictions/interview": None,  # the published prior: no model to train
    f"{PREFIX}predictions/match": None,  # the scorer is rules, not a trained model
    f"{PREFIX}usage": None,
}
BAD_KEY = "cvp_live_nosuchke_" + "x" * 43


def document(**headers: str) -> dict[str, Any]:
    response = HttpClient().get(SCHEMA, HTTP_HOST=PUBLIC_HOST, **headers)
    assert response.status_code == 200
    return json.loads(response.content)


def call(method: str, path: str, body: object | None, secret: str | None) -> Any:
    headers = {"HTTP_HOST": PUBLIC_HOST, "HTTP_ACCEPT_LANGUAGE": "en"}
    if secret:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if method == "get":
        return HttpClient().get(path, **headers)
    return HttpClient().post(path, body, content_type="application/json", **headers)


def shape(value: Any) -> Any:
    """The keys of every object, nested, with a list's shape taken from its first element: what an answer must have
    whatever the model's figures (an empty list or a null says nothing about shape)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list) and value:
        return [shape(value[0])]
    return None


def assert_same_shape(documented: Any, answered: Any, where: str = "") -> None:
    if isinstance(documented, dict):
        assert isinstance(answered, dict), where
        assert set(documented) == set(answered), f"{where}: {sorted(set(documented) ^ set(answered))}"
        for key in documented:
            assert_same_shape(documented[key], answered[key], f"{where}.{key}")
    elif isinstance(documented, list) and documented and isinstance(answered, list) and answered:
        assert_same_shape(documented[0], answered[0], f"{where}[0]")


def examples_of(operation: dict) -> tuple[dict[str, Any], dict[str, tuple[int, Any]]]:
    """The operation's request examples by name, and its response examples by name with their status."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    requests = {name: example["value"] for name, example in body.get("examples", {}).items()}
    responses = {}
    for status, response in operation["responses"].items():
        for name, example in response.get("content", {}).get("application/json", {}).get("examples", {}).items():
            assert name not in responses, f"{name} is documented under two statuses"
            responses[name] = (int(status), example["value"])
    return requests, responses


@pytest.fixture
def acme(cast, db) -> tuple[Licensee, str]:
    licensee = licensee_create(quota=1000, name="Acme HR")
    _key, secret = api_key_issue(licensee=licensee)
    return licensee, secret


# ---------------------------------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------------------------------


def test_it_serves_a_valid_openapi_document_of_the_licensee_api_only(cast, db) -> None:
    doc = document()

    validate(doc)  # raises on anything that is not valid OpenAPI 3
    assert doc["info"]["title"] == "CVPlus prediction API for licensees"
    assert set(doc["paths"]) == set(PATHS)
    assert doc["components"]["securitySchemes"]["licenseeApiKey"]["scheme"] == "bearer"
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"licenseeApiKey": []}], (path, method)
            assert operation["summary"], (path, method)
            assert operation["description"], (path, method)
            assert {"200", "401", "403"} <= set(operation["responses"]), (path, method)
            if method == "post":
                assert {"400", "429", "503"} <= set(operation["responses"]), path
                assert list(operation["requestBody"]["content"]) == ["application/json"]
                single, batch = operation["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
                assert batch["properties"]["items"]["items"] == single


def test_it_explains_keys_batches_quotas_and_errors_in_its_introduction(cast, db) -> None:
    intro = document()["info"]["description"]

    for words in (
        "Authorization: Bearer cvp_live_",
        "X-API-Key",
        "Each answered item counts as one call",
        "A batch is answered per item, not all or nothing",
        '{"index": i, "errors": {"field": ["message"]}}',
        "The rate counts requests, so a batch is one request",
        "Test keys (cvp_test_…) are answered like live keys but use none of your quota and are never billed.",
        "The old key keeps working for 24 hours",
        '{"detail": "…", "code": "…"}',
        "| 429 | quota_exceeded |",
        "| 404 | not_found |",
    ):
        assert words in intro, words


def test_it_explains_every_coded_value_in_words(cast, db) -> None:
    schemas = document()["components"]["schemas"]
    enums = {name: schema for name, schema in schemas.items() if schema.get("enum") and name != "BlankEnum"}

    assert "* `SE` - senior" in schemas["ExperienceLevelEnum"]["description"]
    assert "* `CT` - fixed-term contract" in schemas["SalaryEmploymentTypeEnum"]["description"]
    assert "* `S` - small (under 50 people)" in schemas["CompanySizeEnum"]["description"]
    assert "* `referral` - referred by someone at the company" in schemas["ChannelEnum"]["description"]
    for name, schema in enums.items():
        for value in schema["enum"]:
            if value not in ("", None):
                line = next(line for line in schema["description"].splitlines() if line.startswith(f"* `{value}` - "))
                assert line.split(" - ", 1)[1] != value, f"{name}.{value} is not explained"
    interview = schemas["InterviewRawInput"]["properties"]
    assert all(prop.get("description") for prop in interview.values())


# ---------------------------------------------------------------------------------------------------------------------
# Every documented example, executed
# ---------------------------------------------------------------------------------------------------------------------


def provoke(name: str, method: str, path: str, body: object | None, acme_secret: str, monkeypatch) -> Any:
    """Sends `body` so that the API answers the documented error `name`."""
    if name == "MissingKey":
        return call(method, path, body, None)
    if name == "InvalidKey":
        return call(method, path, body, BAD_KEY)
    if name == "InactiveLicence":
        _key, secret = api_key_issue(licensee=licensee_create(name="Lapsed Ltd", is_active=False))
        return call(method, path, body, secret)
    if name == "QuotaExceeded":
        spent = licensee_create(quota=1, name="Spent Ltd")
        meter(spent, 1)
        _key, secret = api_key_issue(licensee=spent)
        return call(method, path, body, secret)
    if name == RATE_LIMITED:
        busy = licensee_create(quota=1000, rate=1, name="Busy Ltd")
        _key, secret = api_key_issue(licensee=busy)
        monkeypatch.setattr(metering, "clock", lambda: 2_000_010.0)  # one rate window
        assert call(method, path, body, secret).status_code == 200
        return call(method, path, body, secret)
    raise AssertionError(f"no way to provoke the documented example {name}: document only what a test executes")


@pytest.mark.parametrize("path", list(PATHS))
def test_every_documented_example_is_answered_as_documented(acme, request, monkeypatch, path) -> None:
    if PATHS[path]:
        request.getfixturevalue(PATHS[path])
    _licensee, secret = acme
    [(method, operation)] = document()["paths"][path].items()
    requests, responses = examples_of(operation)
    executed = set()

    for name, body in requests.items():
        status, documented = responses[name]  # every request example has its answer documented
        answered = call(method, path, body, secret)
        assert answered.status_code == status, (name, answered.content)
        if status == 200:
            assert_same_shape(documented, answered.json(), name)
            for index in documented.get("failed", []):  # a batch's refused items: reported by index, exactly
                assert answered.json()["failed"] == documented["failed"], name
                assert answered.json()["items"][index] == documented["items"][index], name
        else:
            assert answered.json() == documented, name
        executed.add(name)
    if method == "get":
        status, documented = responses["Usage"]
        answered = call(method, path, None, secret)
        assert answered.status_code == status
        assert_same_shape(documented, answered.json(), "Usage")
        executed.add("Usage")

    first_body = next(iter(requests.values()), None)
    for name in set(responses) - executed:
        status, documented = responses[name]
        assert (status, documented) == ERROR_ANSWERS[name][0::2]
        answered = provoke(name, method, path, first_body, secret, monkeypatch)
        assert answered.status_code == status, (name, answered.content)
        body = answered.json()
        assert set(body) == set(documented), name
        assert body["code"] == documented["code"], name
        if name == RATE_LIMITED:
            assert re.fullmatch(r"Too many requests this minute\. Please retry after \d+ seconds\.", body["detail"])
        else:
            assert body["detail"] == documented["detail"], name
        if status == 429:
            assert answered["Retry-After"] == str(body["retry_after"])
        executed.add(name)

    assert executed == set(responses)


def test_the_documented_usage_call_answers_the_callers_own_licensee_only(acme) -> None:
    licensee, secret = acme
    other = licensee_create(name="Globex Staffing")
    meter(other, 17)
    meter(licensee, 3)

    body = call("get", f"{PREFIX}usage", None, secret).json()

    assert body["licensee"] == "Acme HR"
    assert [month["calls"] for month in body["months"]] == [3]
    assert "Globex" not in json.dumps(body)
    usage_flush()
    assert ApiUsage.objects.get(licensee=other).calls == 17


# ---------------------------------------------------------------------------------------------------------------------
# The docs page, the tenant docs, the JSON 404
# ---------------------------------------------------------------------------------------------------------------------


def test_the_public_hosts_docs_page_is_the_licensee_docs_served_without_a_cdn(cast, db) -> None:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    page = client.get(DOCS)
    html = page.content.decode()

    assert page.status_code == 200
    assert "<title>CVPlus prediction API for licensees</title>" in html
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    assert all(address.startswith("/") and not address.startswith("//") for address in addresses), addresses
    script = client.get(DOCS, {"script": ""}).content.decode()
    assert SCHEMA in script


def test_the_tenant_hosts_keep_the_seeker_apis_docs(cast, db) -> None:
    tenant = HttpClient(HTTP_HOST=HOST_A)
    schema = json.loads(tenant.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content)

    assert schema["info"]["title"] == "CVPlus API"
    assert not any(path.startswith(PREFIX) for path in schema["paths"])
    assert "/api/v1/applications/" in schema["paths"]
    assert tenant.get(SCHEMA).status_code == 404  # the licensee document is the public host's only


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nothing"),
        ("post", "/api/v2/predictions/salary"),
        ("post", f"{PREFIX}predictions/salary/"),  # a trailing slash names no endpoint either
        ("get", f"{PREFIX}predictions/salry"),
        ("delete", "/api/"),
    ],
)
def test_an_unknown_api_path_on_the_public_host_is_a_json_404(cast, db, method, path) -> None:
    response = getattr(HttpClient(HTTP_HOST=PUBLIC_HOST), method)(path, HTTP_AUTHORIZATION=f"Bearer {BAD_KEY}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": f"No API endpoint at {path}. See /api/v1/docs/ for the endpoints.",
        "code": "not_found",
    }


def test_other_unknown_paths_keep_the_html_404(cast, db) -> None:
    response = HttpClient(HTTP_HOST=PUBLIC_HOST).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_405_in_the_documented_error_format(acme) -> None:
    _licensee, secret = acme

    response = call("get", f"{PREFIX}predictions/salary", None, secret)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.', "code": "method_not_allowed"}
