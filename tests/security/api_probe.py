"""The API probe: schemathesis cases from the OpenAPI schemas, sent through Django's full stack as two users of two
tenants (the tenant API) and as two licensees (the licensee API on the public host), each seeded with a marker the
other must never see. Used by tests/security/test_api_probe.py (small, in CI) and bench/security_input.py (5,000
cases, reporting the slowest request).

A finding is a 5xx or a response holding the other caller's marker. Cases are drawn by Hypothesis: positive and
negative (schema-violating) inputs, with integer path parameters often replaced by an id of the caller's own objects
or of the other caller's, so that cross-user and cross-tenant lookups are tried on every operation.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import schemathesis
from django.test import Client as HttpClient
from django_tenants.utils import schema_context
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from tests.conftest import HOST_A, HOST_B, PUBLIC_HOST

MARKERS = {"alpha": "zqMARKERalpha7f3a", "beta": "zqMARKERbeta2c9e"}
LICENSEE_MARKERS = {"one": "zqMARKERlicone51d", "two": "zqMARKERlictwo8b0"}
TENANT_PATH_PREFIXES = ("/api/v1/",)
SKIPPED_PATHS = ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/")


@dataclass
class Caller:
    """One side of the probe: how to reach the API as this caller, its own ids, and the marker only it may see."""

    name: str
    client: HttpClient
    host: str
    marker: str
    headers: dict[str, str] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)


@dataclass
class Finding:
    caller: str
    method: str
    path: str
    status: int
    problem: str
    request: str

    def __str__(self) -> str:
        return f"{self.problem}: {self.method} {self.path} as {self.caller} -> {self.status}\n  {self.request[:500]}"


@dataclass
class Exchange:
    """One request sent and what came back."""

    caller: str
    method: str
    path: str
    status: int
    seconds: float
    finding: Finding | None


# ---------------------------------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------------------------------
def tenant_user_seed(*, schema: str, email: str, marker: str) -> list[int]:
    """A posting, a CV version, an application with a contact, a note and a task, all carrying ``marker``; returns
    their ids (the pool the probe draws path parameters from)."""
    from accounts.models import User
    from tracking import services
    from tracking.cv.services import cv_paste
    from tracking.models import Stage

    with schema_context(schema):
        user = User.objects.get(email=email)
        services.profile_update(user=user, headline=f"Headline {marker}")
        posting = services.posting_create(
            owner=user, title=f"Data Engineer {marker}", company=f"Company {marker}", description=f"Python {marker}"
        )
        cv = cv_paste(owner=user, text=f"Sam Seeker {marker}\nExperience\nData engineer\nSkills\nPython, SQL")
        application = services.application_create(owner=user, posting=posting, cv=cv, stage=Stage.APPLIED)
        contact = services.contact_add(application=application, name=f"Contact {marker}")
        note = services.note_add(application=application, body=f"Note {marker}")
        task = services.task_add(application=application, title=f"Task {marker}")
        return [posting.pk, cv.pk, application.pk, contact.pk, note.pk, task.pk]


def tenant_callers(cast) -> list[Caller]:
    """The owner of tenant A and the stranger of tenant B, signed in, premium, each with seeded data."""
    from tests.billing.grants import cast_premium_grant

    cast_premium_grant(cast)
    callers = []
    for schema, host, email in (("alpha", HOST_A, cast.owner_email), ("beta", HOST_B, cast.stranger_email)):
        client = HttpClient(HTTP_HOST=host, raise_request_exception=False)
        with schema_context(schema):
            from accounts.models import User

            client.force_login(User.objects.get(email=email))
        ids = tenant_user_seed(schema=schema, email=email, marker=MARKERS[schema])
        callers.append(Caller(name=schema, client=client, host=host, marker=MARKERS[schema], ids=ids))
    return callers


def licensee_callers() -> list[Caller]:
    """Two licensees on plans without quota or rate limits, named with their markers (the usage call shows it)."""
    from billing.api_keys import api_key_issue
    from tests.billing.licensees import licensee_create

    callers = []
    for name, marker in LICENSEE_MARKERS.items():
        secret = api_key_issue(licensee=licensee_create(quota=None, name=f"Licensee {marker}"))[1]
        client = HttpClient(HTTP_HOST=PUBLIC_HOST, raise_request_exception=False)
        callers.append(Caller(name=name, client=client, host=PUBLIC_HOST, marker=marker, headers={"X-API-Key": secret}))
    return callers


# ---------------------------------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------------------------------
def tenant_schema(caller: Caller) -> schemathesis.BaseSchema:
    response = caller.client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200, response.status_code
    document = json.loads(response.content)
    document["paths"] = {
        path: item
        for path, item in document["paths"].items()
        if path.startswith(TENANT_PATH_PREFIXES) and not path.startswith(SKIPPED_PATHS)
    }
    return schemathesis.openapi.from_dict(document)


def licensee_schema() -> schemathesis.BaseSchema:
    """The public host serves no schema document: it is generated from the public URLconf, licensee paths only."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator(urlconf="cvplus.urls_public").get_schema(request=None, public=True)
    document = json.loads(json.dumps(document, default=str))
    document["paths"] = {path: item for path, item in document["paths"].items() if "/licensee/" in path}
    return schemathesis.openapi.from_dict(document)


def cases(schema: schemathesis.BaseSchema) -> st.SearchStrategy:
    """Every operation, positive and negative inputs."""
    return schema.as_strategy(generation_mode=GenerationMode.POSITIVE) | schema.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )


# ---------------------------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------------------------
def _swap_ids(case, data: st.DataObject, callers: list[Caller]) -> None:
    pool = [pk for caller in callers for pk in caller.ids]
    for name, value in list((case.path_parameters or {}).items()):
        if isinstance(value, int) and data.draw(st.booleans(), label=f"swap {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(pool), label=name)


def _documented_unavailable(case, status: int) -> bool:
    """A 503 the operation documents (a prediction with no trained model yet) is an answer, not a failure."""
    responses = case.operation.definition.raw.get("responses", {})
    return status == 503 and "503" in responses


def send(case, caller: Caller, other: Caller, *, raw_body: bytes | None = None, query: dict | None = None) -> Exchange:
    """Sends ``case`` as ``caller`` through the test client (``raw_body``, as JSON, and ``query`` in place of the
    case's); a finding for a 5xx or ``other``'s marker."""
    kwargs = case.as_transport_kwargs(base_url=f"http://{caller.host}")
    if query is not None:
        kwargs["params"] = query
    headers = {**kwargs.pop("headers", {}), **caller.headers}
    kwargs.pop("cookies", None)
    prepared = requests.Request(headers=headers, **kwargs).prepare()
    url = urlsplit(prepared.url)
    path = url.path + (f"?{url.query}" if url.query else "")
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    content_type = prepared.headers.pop("Content-Type", "application/octet-stream")
    if raw_body is not None:
        body, content_type = raw_body, "application/json"
    meta = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in prepared.headers.items()
        if name.lower() not in ("content-length", "host", "cookie")
    }
    started = time.perf_counter()
    response = caller.client.generic(case.method, path, data=body, content_type=content_type, **meta)
    seconds = time.perf_counter() - started
    content = response.content.decode("utf-8", "replace")
    finding = None
    if response.status_code >= 500 and not _documented_unavailable(case, response.status_code):
        finding = "server error"
    elif other.marker in content:
        finding = "the other caller's data"
    return Exchange(
        caller=caller.name,
        method=case.method,
        path=path,
        status=response.status_code,
        seconds=seconds,
        finding=Finding(caller.name, case.method, path, response.status_code, finding, repr(body[:400]))
        if finding
        else None,
    )


# What the outside probe sent beyond the schema's own values: NUL, unpaired surrogates, digits int() refuses or reads
# oddly, huge numbers, long runs that were quadratic for the text readers, and characters NFKC expands 18 times.
HOSTILE_STRINGS = (
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "²",
    "١٢",
    "9" * 40,
    "-1",
    " " * 5000,
    "a" * 20_000,
    "a@" * 5000,
    "\ufdfa" * 500,
    "%00",
)
QUERY_UNSAFE = ("\ud800", "x\udfff")  # only a JSON escape can carry these: they have no UTF-8 encoding
DEEP_BODY = b"[" * 100_000


def _hostile_leaves(value, data: st.DataObject, choices: tuple[str, ...]):
    if isinstance(value, str):
        return data.draw(st.sampled_from(choices), label="hostile")
    if isinstance(value, dict):
        return {key: _hostile_leaves(item, data, choices) for key, item in value.items()}
    if isinstance(value, list):
        return [_hostile_leaves(item, data, choices) for item in value]
    return value


def _as_text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def probe_step(data: st.DataObject, strategy: st.SearchStrategy, callers: list[Caller]) -> Exchange:
    """One drawn case, sent as one of the two callers (drawn too): as generated (7 in 10), with every string made
    hostile (2 in 10), or with a ``[`` × 100,000 JSON body (1 in 10, where the operation takes a body)."""
    case = data.draw(strategy, label="case")
    index = data.draw(st.integers(0, 1), label="caller")
    _swap_ids(case, data, callers)
    mode = data.draw(st.integers(0, 9), label="mode")
    raw_body, query = None, None
    # The hostile values go around the case (schemathesis re-validates a changed case, and cannot encode surrogates).
    if mode in (7, 8):
        safe = tuple(value for value in HOSTILE_STRINGS if value not in QUERY_UNSAFE)
        if not isinstance(case.body, NotSet) and "json" in (case.media_type or ""):
            body = _hostile_leaves(case.body, data, HOSTILE_STRINGS)  # JSON carries a surrogate as a \u escape
            raw_body = json.dumps(body, default=_as_text).encode("ascii")
        if case.query:
            query = _hostile_leaves(dict(case.query), data, safe)
    elif mode == 9 and not isinstance(case.body, NotSet):
        raw_body = DEEP_BODY
    return send(case, callers[index], callers[1 - index], raw_body=raw_body, query=query)


def warm_up() -> None:
    """Imports the prediction modules first (LightGBM, pandas: seconds, once per process), so the slowest request
    measured is an answer's cost, not the process's first import."""
    import predictions.interview.model  # noqa: F401
    import predictions.salary.model  # noqa: F401
    import predictions.time_to_hire.serving  # noqa: F401
