"""JSON bodies: a nesting limit and only storable text, answered 400 on every JSON endpoint (tenant API, licensee
API, the Stripe webhook), never a 500. Before the bounded parser, ``[`` × 100,000 raised RecursionError and a lone
surrogate reached the database or the renderer."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from billing.api_keys import api_key_issue
from billing.models import WebhookEvent
from cvplus.json_input import MAX_JSON_DEPTH, JSONInputError, json_depth, json_input_loads
from tests.billing import stripe_fakes as fakes
from tests.billing.licensees import licensee_create
from tests.conftest import PUBLIC_HOST

TENANT_JSON_ENDPOINTS = [
    "/api/v1/postings/",
    "/api/v1/cvs/",
    "/api/v1/profile/",
    "/api/v1/progression/",
    "/api/v1/predictions/match",
    "/api/v1/predictions/salary",
    "/api/v1/predictions/interview",
]
DEEP = "[" * 100_000


@pytest.fixture
def licensee_secret(cast, db) -> str:
    return api_key_issue(licensee=licensee_create())[1]


def nested(depth: int) -> str:
    return "[" * (depth - 1) + '{"a": 1}' + "]" * (depth - 1)


@pytest.mark.parametrize("path", TENANT_JSON_ENDPOINTS)
def test_it_answers_400_to_deep_nesting_on_the_tenant_api(signed_in, path):
    method = signed_in.patch if path == "/api/v1/profile/" else signed_in.post
    response = method(path, DEEP, content_type="application/json")

    assert response.status_code == 400
    assert str(MAX_JSON_DEPTH) in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/licensee/predictions/match", "/api/v1/licensee/predictions/salary"])
def test_it_answers_400_to_deep_nesting_on_the_licensee_api(licensee_secret, path):
    response = HttpClient().post(
        path, DEEP, content_type="application/json", HTTP_HOST=PUBLIC_HOST, HTTP_X_API_KEY=licensee_secret
    )

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_it_accepts_the_deepest_allowed_body_and_refuses_one_level_more(signed_in):
    allowed = signed_in.post("/api/v1/progression/", nested(MAX_JSON_DEPTH), content_type="application/json")
    deeper = signed_in.post("/api/v1/progression/", nested(MAX_JSON_DEPTH + 1), content_type="application/json")

    assert allowed.status_code == 400  # the serializer's own answer: a list is not an object
    assert "nested" not in json.dumps(allowed.json())
    assert deeper.status_code == 400
    assert "nested" in deeper.json()["detail"]


def test_it_answers_400_naming_where_a_lone_surrogate_is(signed_in):
    body = '{"titles": ["Data analyst", "\\ud800"]}'

    response = signed_in.post("/api/v1/progression/", body, content_type="application/json")

    assert response.status_code == 400
    assert "titles[1]" in response.json()["detail"]


def test_it_names_where_a_nul_character_is_in_a_batch_item(signed_in):
    # Already a 400 before (DRF refuses NUL in its CharField); now refused at the parser for every field, by path.
    body = '{"items": [{"title": "Data\\u0000 engineer", "country": "US"}]}'

    response = signed_in.post("/api/v1/predictions/time-to-hire", body, content_type="application/json")

    assert response.status_code == 400
    assert "items[0].title" in response.json()["detail"]


def test_it_answers_400_to_a_deeply_nested_webhook_even_when_signed(public_client, stripe_settings):
    body, header = fakes.signed('{"id": "evt_deep", "type": "x", "created": 1, "data": ' + DEEP + "}")

    response = public_client.post(
        "/billing/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    assert response.status_code == 400
    assert "nested" in response.json()["error"]
    assert not WebhookEvent.objects.exists()


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = fakes.SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = fakes.WEBHOOK_SECRET
    return settings


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"\xff\xfe{}", "UTF-8"),
        ('{"a": NaN}', "NaN"),
        ('{"a": 1', "not valid JSON"),
        ('{"\\ud800": 1}', "'\\ud800'"),
    ],
)
def test_it_refuses_bodies_that_are_not_storable_json(body, fragment):
    with pytest.raises(JSONInputError) as refused:
        json_input_loads(body)

    assert fragment.casefold() in str(refused.value).casefold()


def test_it_keeps_paired_surrogates_and_escaped_backslashes():
    assert json_input_loads('{"emoji": "\\ud83d\\ude00", "text": "\\\\u0000"}') == {"emoji": "😀", "text": "\\u0000"}


def test_it_measures_depth_outside_strings_only():
    assert json_depth('{"a": "[[[[[[", "b": [[1], {"c": "]]]"}]}') == 3
    assert json_depth('"[[["') == 0
