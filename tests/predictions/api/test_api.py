# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""POST /api/v1/predictions/{salary,interview,time-to-hire,match}: single and batch, 400s naming the field, 404s that
carry nothing of another user's or another tenant's application, 503 without a model, and a prediction log row in the
caller's tenant schema with the version and input hash of every answer.

The salary champion is trained on SIMULATED rows (tests/predictions/serving_support.py): it proves the plumbing, its
numbers are never accuracy.
"""

from __future__ import annotations

import logging

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from predictions.kinds import KINDS
from predictions.models import PredictionLog
from predictions.registry import model_cache_clear, model_promote
from predictions.service import input_hash
from tests.conftest import login
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    owner_application,
    salary_champion,
    salary_reference,
    salary_run,
    salary_version_save,
)
from tests.predictions.time_to_hire.test_time_to_hire import (  # noqa: F401 - fixtures
    global_champion,
    reference_loaded,
    simulated_run,
)
from tests.tracking.conftest import member, owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, JobPostingFactory
from tracking.models import Application

pytestmark = pytest.mark.django_db

MARKER = "Zebracorn"
SALARY = {
    "title": "Data Scientist",
    "experience_level": "SE",
    "employment_type": "FT",
    "remote_ratio": 0,
    "company_size": "M",
    "company_country": "US",
}
MATCH_RAW = {
    "cv_text": "Data scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL",
    "posting_title": "Data Scientist",
    "posting_description": "Requirements:\n- Python\n- Terraform",
}


def logs(schema: str, **filters) -> list[PredictionLog]:
    with schema_context(schema):
        return list(PredictionLog.objects.filter(**filters).order_by("pk"))


def post(client, kind: str, body: object):
    return client.post(f"/api/v1/predictions/{kind}", body, content_type="application/json")


def foreign_application(owner_schema: str, email: str, *, other_schema: str = "alpha") -> Application:
    """An application of `email` in `owner_schema` whose id names no application in `other_schema`, so a 404 there
    proves isolation rather than a missing row."""
    for _attempt in range(20):
        with schema_context(owner_schema):
            user = User.objects.get(email=email)
            posting = JobPostingFactory(owner=user, title=f"{MARKER} Scientist", company=f"{MARKER} Ltd")
            application = ApplicationFactory(owner=user, posting=posting)
        with schema_context(other_schema):
            if not Application.objects.filter(pk=application.pk).exists():
                return application
    raise AssertionError("could not find an application id unused in the other schema")


# ---------------------------------------------------------------------------------------------------------------------
# Salary
# ---------------------------------------------------------------------------------------------------------------------


def test_it_predicts_a_salary_and_logs_the_version_and_input_hash_in_the_callers_tenant(
    owner, owner_client, salary_champion
) -> None:
    response = post(owner_client, "salary", {**SALARY, "company_country": "us"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["salary_p10_usd"] <= body["salary_p50_usd"] <= body["salary_p90_usd"]
    assert (body["model_version_id"], body["model_version"]) == (salary_champion.pk, salary_champion.version)
    assert isinstance(body["low_confidence"], bool)
    assert isinstance(body["low_confidence_reasons"], list)
    assert body["factors"]
    [row] = logs("alpha", kind="salary")
    assert (row.model_version_id, row.model_version, row.batch_size) == (salary_champion.pk, salary_champion.version, 1)
    assert row.input_hash == input_hash([SALARY])  # validated: the country upper-cased
    assert row.user_id == owner.pk
    assert row.source == "api"
    assert row.latency_ms > 0
    assert logs("public") == logs("beta") == []


def test_it_predicts_a_salary_batch_with_one_log_row_for_the_batch(owner, owner_client, salary_champion) -> None:
    items = [SALARY, {**SALARY, "experience_level": "EN"}, {**SALARY, "title": "Data Analyst", "company_country": "DE"}]

    response = post(owner_client, "salary", {"items": items})

    assert response.status_code == 200, response.content
    results = response.json()["items"]
    assert len(results) == 3
    assert {r["model_version"] for r in results} == {salary_champion.version}
    assert results[1]["salary_p50_usd"] < results[0]["salary_p50_usd"]  # entry level below senior
    [row] = logs("alpha", kind="salary")
    assert (row.batch_size, row.model_version_id) == (3, salary_champion.pk)
    assert row.input_hash == input_hash(items)


def test_it_answers_unknown_titles_and_currencies_with_low_confidence_and_the_reasons(
    owner, owner_client, salary_champion
) -> None:
    response = post(owner_client, "salary", {**SALARY, "title": "Zorblax wrangler", "currency": "XQZ"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["low_confidence"] is True
    codes = {reason["code"] for reason in body["low_confidence_reasons"]}
    assert {"unknown_title", "unknown_currency"} <= codes
    assert all(reason["message"] for reason in body["low_confidence_reasons"])
    [row] = logs("alpha", kind="salary")
    assert (row.low_confidence, row.low_confidence_count) == (True, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in SALARY.items() if k != "title"}, "title"),
        ({**SALARY, "experience_level": "guru"}, "experience_level"),
        ({**SALARY, "company_country": "USA"}, "company_country"),
        ({**SALARY, "remote_ratio": 150}, "remote_ratio"),
        ({**SALARY, "currency": "EURO"}, "currency"),
    ],
)
def test_it_refuses_a_malformed_salary_request_naming_the_field(owner, owner_client, body, field) -> None:
    response = post(owner_client, "salary", body)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert logs("alpha") == []


def test_it_reads_the_experience_level_from_the_titles_seniority_words_when_the_request_gives_none(
    owner, owner_client, salary_champion
) -> None:
    senior = {k: v for k, v in SALARY.items() if k != "experience_level"} | {"title": "Senior Data Scientist"}
    plain = senior | {"title": "Data Scientist"}

    response = post(owner_client, "salary", {"items": [senior, plain], "explain": True})
    stated = post(
        owner_client, "salary", {"items": [senior | {"experience_level": "SE"}, plain | {"experience_level": "MI"}]}
    )

    assert response.status_code == stated.status_code == 200, response.content
    from_title, assumed = response.json()["items"]
    as_senior, as_mid = stated.json()["items"]
    assert from_title["experience_level"] == "SE"
    assert from_title["salary_p50_usd"] == as_senior["salary_p50_usd"]
    assert [a["code"] for a in from_title["assumptions"]] == ["experience_level_from_title"]
    assert "“Senior”" in from_title["assumptions"][0]["message"]
    assert assumed["experience_level"] == "MI"
    assert assumed["salary_p50_usd"] == as_mid["salary_p50_usd"]
    assert [a["code"] for a in assumed["assumptions"]] == ["experience_level_assumed"]
    assert as_senior["assumptions"] == as_mid["assumptions"] == []  # a level the caller gave is never second-guessed


def test_it_answers_in_the_company_countrys_currency_when_the_request_names_none(
    owner, owner_client, salary_champion, salary_reference
) -> None:
    response = post(owner_client, "salary", {**SALARY, "company_country": "CA"})

    assert response.status_code == 200, response.content
    body = response.json()
    currency = salary_reference.country_currencies["CA"]
    rate, year = salary_reference.fx_per_usd[currency]
    assert (body["currency"], body["exchange_rate"], body["exchange_rate_year"]) == ("CAD", rate, year)
    assert body["salary_p50"] == pytest.approx(body["salary_p50_usd"] * rate, abs=100)


def test_it_names_the_item_and_field_of_a_malformed_batch_item_and_caps_the_batch(owner, owner_client) -> None:
    """Per item: the failing item by index, the valid one answered (here with no model: tests/predictions/api/
    test_bad_input.py has the answered side); the batch as a whole is a 400 when it is too large, empty or no list."""
    response = post(owner_client, "time-to-hire", {"items": [{"title": "Nurse"}, {"title": "Nurse", "country": 1}]})
    assert response.status_code == 503  # the valid item reaches the predictor, which has no model here

    response = post(owner_client, "salary", {"items": [{**SALARY, "remote_ratio": "half"}]})
    assert response.status_code == 200
    assert response.json()["items"][0]["index"] == 0
    assert list(response.json()["items"][0]["errors"]) == ["remote_ratio"]

    too_many = post(owner_client, "salary", {"items": [SALARY] * 10_001})
    assert too_many.status_code == 400
    assert "10000" in str(too_many.json()["items"]) or "10,000" in str(too_many.json()["items"])
    assert post(owner_client, "salary", {"items": []}).status_code == 400
    assert post(owner_client, "salary", [SALARY]).status_code == 400
    assert logs("alpha") == []


def test_it_returns_503_with_a_message_when_no_salary_model_exists(owner, owner_client, salary_reference) -> None:
    response = post(owner_client, "salary", SALARY)

    assert response.status_code == 503
    assert "not available yet" in response.json()["detail"]
    assert logs("alpha") == []


def test_it_refuses_anonymous_callers_and_serves_nothing_on_the_public_host(client_a, public_client) -> None:
    assert post(client_a, "salary", SALARY).status_code == 403
    assert post(public_client, "salary", SALARY).status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# A corrupt champion artifact
# ---------------------------------------------------------------------------------------------------------------------


def test_it_serves_the_previous_champion_when_the_champions_artifact_is_corrupt_then_503(
    owner, owner_client, salary_run, salary_reference, caplog
) -> None:
    first = salary_version_save(salary_run, mae=10_000)
    model_promote(candidate=first, metric=KINDS[first.kind].metric)
    second = salary_version_save(salary_run, mae=9_000, artifact='{"format": "cvplus-salary-v1", "models": ')
    assert model_promote(candidate=second, metric=KINDS[second.kind].metric).promoted
    model_cache_clear()

    with caplog.at_level(logging.WARNING, logger="predictions.registry"):
        response = post(owner_client, "salary", SALARY)

    assert response.status_code == 200, response.content
    assert (response.json()["model_version_id"], response.json()["model_version"]) == (first.pk, first.version)
    assert "cannot be loaded" in caplog.text
    [row] = logs("alpha", kind="salary")
    assert (row.model_version_id, row.model_version) == (first.pk, first.version)

    # The batch path (per item since issue 12) falls back the same way, for the items it answers.
    batch = post(owner_client, "salary", {"items": [SALARY, {**SALARY, "salry": 1}, SALARY]})
    assert batch.status_code == 200, batch.content
    assert [item.get("model_version_id") for item in batch.json()["items"]] == [first.pk, None, first.pk]
    assert batch.json()["failed"] == [1]
    assert logs("alpha", kind="salary")[-1].batch_size == 2
    logs_before_503 = len(logs("alpha", kind="salary"))

    with schema_context("public"):
        type(first).objects.filter(pk=first.pk).update(artifact="not a model")
    model_cache_clear()
    assert post(owner_client, "salary", SALARY).status_code == 503
    assert len(logs("alpha", kind="salary")) == logs_before_503


# ---------------------------------------------------------------------------------------------------------------------
# Match
# ---------------------------------------------------------------------------------------------------------------------


def test_it_matches_raw_text_deterministically_and_logs_the_scorer_version(owner, owner_client) -> None:
    first = post(owner_client, "match", MATCH_RAW)
    second = post(owner_client, "match", MATCH_RAW)

    assert first.status_code == 200, first.content
    assert first.json() == second.json()
    assert 0 <= first.json()["score"] <= 100
    assert first.json()["model_version"] == "match-4"
    rows = logs("alpha", kind="match")
    assert [(r.model_label, r.model_version, r.batch_size) for r in rows] == [("match-4", None, 1)] * 2
    assert rows[0].input_hash == rows[1].input_hash == input_hash([MATCH_RAW])


def test_it_matches_the_callers_own_applications_single_and_batch(owner, owner_client) -> None:
    one, two = owner_application(owner), owner_application(owner, title="Data Engineer")

    single = post(owner_client, "match", {"application_id": one.pk})
    batch = post(owner_client, "match", {"items": [{"application_id": two.pk}, {"application_id": one.pk}]})

    assert single.status_code == batch.status_code == 200
    assert single.json()["score"] is not None
    assert batch.json()["items"][1] == single.json()
    assert [r.batch_size for r in logs("alpha", kind="match")] == [1, 2]


def test_it_refuses_a_batch_mixing_application_ids_and_raw_inputs(owner, owner_client) -> None:
    application = owner_application(owner)

    response = post(owner_client, "match", {"items": [{"application_id": application.pk}, MATCH_RAW]})

    assert response.status_code == 400
    assert list(response.json()) == ["items"]


def test_it_names_the_missing_raw_match_field(owner, owner_client) -> None:
    response = post(owner_client, "match", {k: v for k, v in MATCH_RAW.items() if k != "posting_title"})

    assert response.status_code == 400
    assert list(response.json()) == ["posting_title"]


@pytest.mark.parametrize("kind", ["match", "interview"])
def test_it_returns_404_for_another_users_application_with_no_trace_of_it(cast, owner, member, client_a, kind) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=member, title=f"{MARKER} Scientist", company=f"{MARKER} Ltd")
        theirs = ApplicationFactory(owner=member, posting=posting)
    login(client_a, cast.owner_email)

    single = post(client_a, kind, {"application_id": theirs.pk})
    batch = post(client_a, kind, {"items": [{"application_id": theirs.pk}]})

    for response in (single, batch):
        assert response.status_code == 404
        assert MARKER not in response.content.decode()
        assert str(theirs.pk) not in response.content.decode()
    assert logs("alpha") == []


@pytest.mark.parametrize("kind", ["match", "interview"])
def test_it_returns_404_for_another_tenants_application_with_no_trace_of_it(cast, owner, owner_client, kind) -> None:
    theirs = foreign_application("beta", cast.stranger_email)

    response = post(owner_client, kind, {"application_id": theirs.pk})

    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    assert logs("alpha") == logs("beta") == logs("public") == []


def test_it_logs_in_the_schema_of_the_tenant_that_asked(cast, client_b) -> None:
    login(client_b, cast.stranger_email)

    assert post(client_b, "match", MATCH_RAW).status_code == 200

    [row] = logs("beta", kind="match")
    with schema_context("beta"):
        assert row.user_id == User.objects.get(email=cast.stranger_email).pk
    assert logs("alpha") == logs("public") == []


# ---------------------------------------------------------------------------------------------------------------------
# Interview (the prior until a model is trained) and time to hire
# ---------------------------------------------------------------------------------------------------------------------


def test_it_predicts_an_interview_for_an_own_application_and_for_raw_inputs(owner, owner_client) -> None:
    application = owner_application(owner)

    by_id = post(owner_client, "interview", {"application_id": application.pk})
    raw = post(owner_client, "interview", {"items": [{"match_score": 70, "channel": "referral"}, {}]})

    assert by_id.status_code == raw.status_code == 200, (by_id.content, raw.content)
    result = by_id.json()
    assert 0 <= result["interview_probability"] <= 1
    assert "model_version" in result
    assert isinstance(result["low_confidence_reasons"], list)
    assert len(raw.json()["items"]) == 2
    rows = logs("alpha", kind="interview")
    assert [r.batch_size for r in rows] == [1, 2]
    assert rows[0].input_hash == input_hash({"application_ids": [application.pk]})
    for row, answer in zip(rows, [result, raw.json()["items"][0]], strict=True):
        # No classifier here: the shrunk prior, logged under its label (it has no numbered version).
        assert (row.model_version, row.model_label) == (None, answer["model_version"]) == (None, "shrunk-prior-1")
        assert row.insufficient_data == answer["insufficient_data"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"match_score": "high"}, "match_score"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"match_score": 150}, "match_score"),
    ],
)
def test_it_refuses_malformed_raw_interview_inputs_naming_the_field(owner, owner_client, body, field) -> None:
    response = post(owner_client, "interview", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert logs("alpha") == []


def test_it_names_the_missing_time_to_hire_title(owner, owner_client) -> None:
    response = post(owner_client, "time-to-hire", {"country": "US"})

    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_it_returns_503_for_time_to_hire_without_a_model(owner, owner_client) -> None:
    model_cache_clear()

    response = post(owner_client, "time-to-hire", {"title": "Data Scientist", "country": "US"})

    assert response.status_code == 503
    assert logs("alpha") == []


def test_it_predicts_time_to_hire_single_and_batch_with_the_version(owner, owner_client, global_champion) -> None:
    """The real batch path (one feature matrix for the whole batch) against a real, SIMULATED-trained champion."""
    single = post(owner_client, "time-to-hire", {"title": "Software Developer", "country": "us"})
    batch = post(
        owner_client,
        "time-to-hire",
        {"items": [{"title": "Software Developer", "country": "US"}, {"title": "Civil Engineer", "country": "CA"}]},
    )

    assert single.status_code == batch.status_code == 200, (single.content, batch.content)
    days = ("days_p10", "days_p50", "days_p90")
    first, second = batch.json()["items"]
    assert [first[key] for key in days] == [single.json()[key] for key in days]  # a batch answers as single requests
    assert first["days_p10"] <= first["days_p50"] <= first["days_p90"]
    assert single.json()["model_version"] == global_champion.version
    assert [reason["code"] for reason in second["low_confidence_reasons"]] == ["outside_us"]
    rows = logs("alpha", kind="time_to_hire")
    assert [(r.model_version_id, r.model_version, r.scope, r.batch_size) for r in rows] == [
        (global_champion.pk, global_champion.version, "global", 1),
        (global_champion.pk, global_champion.version, "global", 2),
    ]
    assert rows[0].input_hash == input_hash([{"title": "Software Developer", "country": "US"}])
    assert (rows[0].low_confidence_count, rows[1].low_confidence_count) == (0, 1)
