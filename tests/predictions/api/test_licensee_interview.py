"""POST /api/v1/licensee/predictions/interview: the published prior of the input's channel, per stage transition,
with 80 % intervals and the basis; metered like every licensee call; a 400 naming the field; an unknown channel
refused by name; and isolation: a licensee's key reads nothing of any workspace (no outcome of any tenant counts)
and another licensee's calls never show in its usage. Expected figures come from base_rates.csv
(tests/predictions/interview/published.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing.api_keys import api_key_issue
from billing.metering import usage_flush
from billing.models import ApiUsage, Licensee
from tests.billing.licensees import licensee_create
from tests.conftest import HOST_A, PUBLIC_HOST
from tests.predictions.interview.published import expected_odds
from tests.tracking.factories import ApplicationFactory
from tracking.models import ApplicationEvent, Stage

INTERVIEW = "/api/v1/licensee/predictions/interview"
USAGE = "/api/v1/licensee/usage"


def post(secret: str, body: object, *, host: str = PUBLIC_HOST):
    return HttpClient().post(
        INTERVIEW, body, content_type="application/json", HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def used(licensee: Licensee) -> int:
    usage_flush()
    return sum(ApiUsage.objects.filter(licensee=licensee).values_list("calls", flat=True))


@pytest.fixture
def licensee(cast, db) -> Licensee:
    return licensee_create()


def assert_is_the_published_prior(answer: dict, channel: str = "") -> None:
    expected = expected_odds(channel)
    for name in ("interview", "offer_given_interview"):
        probability, (low, high) = expected[name]
        assert answer[f"{name}_probability"] == pytest.approx(probability, abs=1e-4)
        assert answer[f"{name}_probability_interval"] == pytest.approx([low, high], abs=1e-4)
    offer, (low, high) = expected["offer"]
    assert answer["offer_probability"] == pytest.approx(offer, abs=1e-4)
    assert answer["offer_probability_interval"] == pytest.approx([low, high], abs=0.003)  # a Monte Carlo each side
    assert answer["basis"] == {
        "published_rates": True,
        "seeker_outcomes": 0,
        "workspace_outcomes": 0,
        "text": "Based on published rates.",
    }


def test_it_answers_the_published_prior_per_channel_with_intervals_and_basis(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    referral = post(secret, {"channel": "referral", "match_score": 80})
    any_channel = post(secret, {})
    batch = post(secret, {"items": [{"channel": "job_board"}, {"channel": "agency"}]})

    assert referral.status_code == 200, referral.content
    assert_is_the_published_prior(referral.json(), "referral")
    assert referral.json()["interval_level"] == 0.8
    assert_is_the_published_prior(any_channel.json())
    assert batch.status_code == 200
    assert_is_the_published_prior(batch.json()["items"][0], "job_board")
    assert_is_the_published_prior(batch.json()["items"][1], "agency")
    assert referral["X-Quota-Remaining"] == "99"
    assert used(licensee) == 4  # a batch of two is two calls


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"match_score": "high"}, "match_score"),
        ({"match_score": 900}, "match_score"),
    ],
)
def test_it_answers_400_naming_the_field_and_counts_nothing(licensee, body, field) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, body)

    assert response.status_code == 400
    assert field in response.json()
    assert used(licensee) == 0


def test_no_workspaces_outcomes_reach_a_licensee_and_another_licensee_sees_nothing(licensee, cast) -> None:
    with schema_context("alpha"):  # outcomes in a workspace: a licensee's answer must not move
        owner = User.objects.get(email=cast.owner_email)
        for _ in range(5):
            sent = timezone.now() - timedelta(days=60)
            application = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=sent, applied_at=sent)
            ApplicationEvent.objects.create(
                application=application, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING, occurred_at=sent
            )
    other = licensee_create(name="Other Corp")
    _key, secret = api_key_issue(licensee=licensee)
    _other_key, other_secret = api_key_issue(licensee=other)

    mine = post(secret, {"channel": "job_board"})
    assert_is_the_published_prior(mine.json(), "job_board")
    theirs_usage = HttpClient().get(USAGE, HTTP_HOST=PUBLIC_HOST, HTTP_AUTHORIZATION=f"Bearer {other_secret}").json()
    assert theirs_usage["months"] == []
    assert post(secret, {"channel": "job_board"}, host=HOST_A).status_code == 404  # never on a tenant host
    assert used(other) == 0
