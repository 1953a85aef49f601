# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Bad input to the prediction API (issue 12, "Bad input"): an unknown field, a wrong JSON type or a value out of
range is a 400 naming the field, in the request's language (English and German here); a batch is answered per item,
each failing item reported by index, and only the answered items are logged.

Expected messages are rendered in the test from DRF's own field messages under ``translation.override``, never
copied from the implementation; for DRF's messages German is asserted to differ from English, so a message rendered in
the wrong language fails. "Unknown field." is new in this change: its German text arrives with the catalogue update
(the test checks it is rendered in the request's language, whatever the catalogue holds).
"""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from rest_framework import serializers

from predictions.api.inputs import UNKNOWN_FIELD
from predictions.interview.features import CHANNELS
from predictions.service import input_hash
from tests.predictions.api.test_api import MATCH_RAW, SALARY, logs
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    owner_application,
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import member, owner, owner_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "de"]


def post(client, kind: str, body: object, *, language: str = "en"):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"/api/v1/predictions/{kind}", text, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


def message(field: serializers.Field, key: str, language: str, **params) -> str:
    """DRF's own message for ``key`` of a field like the endpoint's, in ``language``."""
    with translation.override(language):
        return str(field.error_messages[key]).format(**params)


def in_language(text, language: str) -> str:
    with translation.override(language):
        return str(text)


def test_drfs_messages_used_below_are_translated_into_german() -> None:
    """Otherwise the German cases below would prove nothing."""
    for field, key in [(serializers.IntegerField(), "invalid"), (serializers.CharField(), "invalid")]:
        assert message(field, key, "de") != message(field, key, "en")
    assert message(serializers.IntegerField(max_value=100), "max_value", "de", max_value=100) != message(
        serializers.IntegerField(max_value=100), "max_value", "en", max_value=100
    )


# ---------------------------------------------------------------------------------------------------------------------
# Unknown fields
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("salary", {**SALARY, "salry": 90_000}),
        ("time-to-hire", {"title": "Data Scientist", "salry": 1}),
        ("interview", {"match_score": 70, "salry": 1}),
        ("match", {**MATCH_RAW, "salry": 1}),
    ],
)
def test_it_refuses_an_unknown_field_naming_it_in_the_requests_language(
    owner, owner_client, kind, body, language
) -> None:
    response = post(owner_client, kind, body, language=language)

    assert response.status_code == 400, response.content
    assert response.json() == {"salry": [in_language(UNKNOWN_FIELD, language)]}
    assert response["Content-Language"] == language
    assert logs("alpha") == []


def test_it_reports_unknown_fields_together_with_the_other_fields_errors(owner, owner_client) -> None:
    body = {**SALARY, "remote_ratio": 150, "salry": 1, "bonus": 2}

    response = post(owner_client, "salary", body)

    assert response.status_code == 400
    assert set(response.json()) == {"remote_ratio", "salry", "bonus"}


def test_it_refuses_raw_fields_beside_an_application_id(owner, owner_client) -> None:
    application = owner_application(owner)

    response = post(owner_client, "interview", {"application_id": application.pk, "match_score": 70, "salry": 1})

    assert response.status_code == 400
    assert set(response.json()) == {"match_score", "salry"}
    assert response.json()["salry"] == [str(UNKNOWN_FIELD)]
    assert logs("alpha") == []


# ---------------------------------------------------------------------------------------------------------------------
# Wrong JSON types
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("kind", "body", "field", "drf_field", "key"),
    [
        ("salary", {**SALARY, "remote_ratio": True}, "remote_ratio", serializers.IntegerField(), "invalid"),
        ("salary", {**SALARY, "remote_ratio": "50"}, "remote_ratio", serializers.IntegerField(), "invalid"),
        ("salary", {**SALARY, "remote_ratio": 50.5}, "remote_ratio", serializers.IntegerField(), "invalid"),
        ("salary", {**SALARY, "work_year": "2023"}, "work_year", serializers.IntegerField(), "invalid"),
        ("salary", {**SALARY, "title": 123}, "title", serializers.CharField(), "invalid"),
        ("salary", {**SALARY, "company_country": ["US"]}, "company_country", serializers.CharField(), "invalid"),
        ("interview", {"match_score": True}, "match_score", serializers.FloatField(), "invalid"),
        ("interview", {"match_score": "70"}, "match_score", serializers.FloatField(), "invalid"),
        ("interview", {"match_score": "NaN"}, "match_score", serializers.FloatField(), "invalid"),
        ("interview", {"applied_weekday": 2.5}, "applied_weekday", serializers.IntegerField(), "invalid"),
        (
            "time-to-hire",
            {"title": "Nurse", "application_count": "12"},
            "application_count",
            serializers.IntegerField(),
            "invalid",
        ),
        ("match", {**MATCH_RAW, "must_have": ["Python", 3]}, "must_have", serializers.CharField(), "invalid"),
    ],
)
def test_it_refuses_a_value_of_the_wrong_json_type_naming_the_field(
    owner, owner_client, kind, body, field, drf_field, key, language
) -> None:
    response = post(owner_client, kind, body, language=language)

    assert response.status_code == 400, response.content
    assert response.json() == {field: [message(drf_field, key, language)]}
    assert logs("alpha") == []


def test_it_refuses_a_number_outside_what_a_float_holds(owner, owner_client) -> None:
    """1e400 is valid JSON that parses to infinity; a 400-digit integer overflows float() (a 500 before)."""
    infinite = post(owner_client, "interview", '{"match_score": 1e400}')
    huge = post(owner_client, "interview", '{"days_saved_to_applied": 1' + "0" * 400 + "}")
    count = post(owner_client, "time-to-hire", '{"title": "Nurse", "application_count": 1' + "0" * 400 + "}")

    assert (infinite.status_code, list(infinite.json())) == (400, ["match_score"])
    assert (huge.status_code, list(huge.json())) == (400, ["days_saved_to_applied"])
    assert (count.status_code, list(count.json())) == (400, ["application_count"])
    assert logs("alpha") == []


def test_it_refuses_a_non_boolean_explain(owner, owner_client) -> None:
    response = post(owner_client, "salary", {"items": [SALARY], "explain": "yes"})

    assert response.status_code == 400
    assert response.json() == {"explain": [message(serializers.BooleanField(), "invalid", "en")]}


# ---------------------------------------------------------------------------------------------------------------------
# Values out of range or not among the choices
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("salary", {**SALARY, "remote_ratio": -1}, "remote_ratio"),
        ("salary", {**SALARY, "remote_ratio": 101}, "remote_ratio"),
        ("salary", {**SALARY, "work_year": 1999}, "work_year"),
        ("salary", {**SALARY, "employment_type": "full-time"}, "employment_type"),
        ("salary", {**SALARY, "company_size": "XL"}, "company_size"),
        ("salary", {**SALARY, "experience_level": ""}, "experience_level"),
        ("salary", {**SALARY, "title": "x" * 201}, "title"),
        ("salary", {**SALARY, "title": "   "}, "title"),
        ("salary", {**SALARY, "company_country": "U1"}, "company_country"),
        ("salary", {**SALARY, "residence_country": "DEU"}, "residence_country"),
        ("salary", {**SALARY, "industry": "underwater basket weaving"}, "industry"),
        ("interview", {"experience_gap_years": -61}, "experience_gap_years"),
        ("interview", {"experience_gap_years": 61}, "experience_gap_years"),
        ("interview", {"must_have_coverage": 1.5}, "must_have_coverage"),
        ("interview", {"applied_weekday": 7}, "applied_weekday"),
        ("interview", {"days_saved_to_applied": -1}, "days_saved_to_applied"),
        ("interview", {"employment_type": "gig"}, "employment_type"),
        ("interview", {"seniority": "guru"}, "seniority"),
        ("interview", {"remote": "moon"}, "remote"),
        ("interview", {"industry": "piracy"}, "industry"),
        ("time-to-hire", {"title": "Nurse", "posting_open_days": 366}, "posting_open_days"),
        ("time-to-hire", {"title": "Nurse", "application_count": -1}, "application_count"),
        ("time-to-hire", {"title": "Nurse", "application_count": 1_000_001}, "application_count"),
    ],
)
def test_it_refuses_a_value_out_of_range_naming_the_field(owner, owner_client, kind, body, field) -> None:
    response = post(owner_client, kind, body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert all(isinstance(text, str) and text for text in response.json()[field])
    assert logs("alpha") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_the_range_in_the_requests_language(owner, owner_client, language) -> None:
    salary = post(owner_client, "salary", {**SALARY, "remote_ratio": 101}, language=language)
    interview = post(owner_client, "interview", {"experience_gap_years": 61}, language=language)
    channel = post(owner_client, "interview", {"channel": "pigeon"}, language=language)

    assert salary.json() == {
        "remote_ratio": [message(serializers.IntegerField(), "max_value", language, max_value=100)]
    }
    assert interview.json() == {
        "experience_gap_years": [message(serializers.FloatField(), "max_value", language, max_value=60)]
    }
    assert channel.json() == {
        "channel": [message(serializers.ChoiceField(choices=CHANNELS), "invalid_choice", language, input="pigeon")]
    }


# ---------------------------------------------------------------------------------------------------------------------
# Batches: per item
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_answers_the_valid_items_of_a_batch_and_reports_the_others_by_index(
    owner, owner_client, salary_champion, language
) -> None:
    valid = [SALARY, {**SALARY, "title": "Data Analyst", "company_country": "DE"}]
    items = [valid[0], {**SALARY, "remote_ratio": True}, valid[1], {**SALARY, "salry": 1}]

    response = post(owner_client, "salary", {"items": items}, language=language)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == [1, 3]
    assert len(body["items"]) == len(items)
    assert body["items"][1] == {
        "index": 1,
        "errors": {"remote_ratio": [message(serializers.IntegerField(), "invalid", language)]},
    }
    assert body["items"][3] == {"index": 3, "errors": {"salry": [in_language(UNKNOWN_FIELD, language)]}}
    single = [post(owner_client, "salary", item).json() for item in valid]
    for answered, alone in zip([body["items"][0], body["items"][2]], single, strict=True):
        assert answered["salary_p50_usd"] == alone["salary_p50_usd"]
        assert answered["model_version_id"] == salary_champion.pk
    batch_row = logs("alpha", kind="salary")[0]
    assert (batch_row.batch_size, batch_row.input_hash) == (2, input_hash(valid))  # the answered items only


def test_it_answers_a_batch_whose_every_item_fails_with_200_and_every_error(owner, owner_client) -> None:
    """No model is needed: nothing is predicted, so nothing can be unavailable."""
    items = [{**SALARY, "remote_ratio": 101}, "not an object", None]

    response = post(owner_client, "salary", {"items": items})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == [0, 1, 2]
    assert [entry["index"] for entry in body["items"]] == [0, 1, 2]
    assert list(body["items"][0]["errors"]) == ["remote_ratio"]
    assert list(body["items"][1]["errors"]) == list(body["items"][2]["errors"]) == ["non_field_errors"]
    assert logs("alpha") == []


def test_it_answers_an_interview_batch_per_item_by_application_id(owner, owner_client) -> None:
    application = owner_application(owner)

    response = post(
        owner_client, "interview", {"items": [{"application_id": "seven"}, {"application_id": application.pk}]}
    )

    assert response.status_code == 200, response.content
    first, second = response.json()["items"]
    assert first == {"index": 0, "errors": {"application_id": [message(serializers.IntegerField(), "invalid", "en")]}}
    assert 0 <= second["interview_probability"] <= 1
    assert [row.batch_size for row in logs("alpha", kind="interview")] == [1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": "all of them"}, "items"),
        ({"items": []}, "items"),
        ({"items": [SALARY] * 10_001}, "items"),
        ({"items": [SALARY], "explian": True}, "explian"),
    ],
)
def test_it_refuses_what_concerns_the_batch_as_a_whole_with_400(owner, owner_client, body, field) -> None:
    response = post(owner_client, "salary", body)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert logs("alpha") == []
