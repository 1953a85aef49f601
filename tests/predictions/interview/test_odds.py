# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Interview and offer odds from the first day: the application page shows the published prior shrunk toward the
workspace's and the seeker's outcomes, with 80 % intervals and the basis, for a brand-new seeker in a brand-new
workspace; the odds change with the stage; another workspace's outcomes never count; a classifier is promoted only
when it beats the shrunk prior on the same held-out outcomes. Expected figures come from base_rates.csv
(tests/predictions/interview/published.py), not from the module under test."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from predictions.interview.features import InterviewInput
from predictions.interview.odds import shrunk_prior_results
from predictions.models import ModelVersion, PredictionLog
from predictions.registry import model_promote, model_save
from tenants.provisioning import tenant_provision
from tenants.services import tenant_create
from tests.billing.grants import plan_grant
from tests.conftest import PASSWORD, login
from tests.predictions.interview.published import expected_odds
from tests.predictions.serving_support import owner_application
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory
from tracking.models import ApplicationEvent, Stage

pytestmark = pytest.mark.django_db
NEW_HOST = "odds-new.localhost"


def percent(value: float, decimal_separator: str = ".") -> str:
    """How the page shows a probability: one decimal below 10 % (in the language's separator), whole from 10 % up."""
    points = value * 100
    return f"{points:.1f}".replace(".", decimal_separator) if points < 9.95 else f"{points:.0f}"


def offer_interval_shown(section: str, decimal_separator: str = ".") -> tuple[float, float]:
    """The offer odds' interval as shown, in percent. It comes from a Monte Carlo on both sides (the page and
    expected_odds), so tests compare it with a tolerance of a few tenths of a point."""
    number = r"(\d+(?:" + re.escape(decimal_separator) + r"\d)?) %"
    offer = section.index("chance of an offer" if decimal_separator == "." else "Chance auf ein Angebot")
    shown = re.findall(number, section[offer:])
    assert shown[:1] == ["80"], section[offer:]  # "80 % likely between low % and high %"
    assert len(shown) >= 3, section[offer:]
    low, high = (float(g.replace(decimal_separator, ".")) for g in shown[1:3])
    return low, high


def section_of(page: str) -> str:
    start = page.index('id="prediction-interview"')
    return page[start : page.index("</article>", start)]


def page_of(client: HttpClient, application) -> str:
    response = client.get(f"/app/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def new_workspace(cast):
    """A consumer workspace created for this test, with one brand-new premium seeker and no outcomes at all."""
    client = tenant_create(
        name="Odds New",
        schema_name="odds_new",
        domain=NEW_HOST,
        kind="consumer",
        region="NA",
        language="en",
        currency="USD",
        provision=False,
    )
    tenant_provision(client_id=client.pk)
    with schema_context("odds_new"):
        user_ensure(email="new.seeker@example.com", password=PASSWORD, full_name="Nina New")
    plan_grant(schema="odds_new", email="new.seeker@example.com")
    http = HttpClient(HTTP_HOST=NEW_HOST)
    login(http, "new.seeker@example.com")
    with schema_context("odds_new"):
        seeker = User.objects.get(email="new.seeker@example.com")
    return http, seeker


def test_a_brand_new_seeker_in_a_brand_new_workspace_sees_both_odds_with_intervals(new_workspace) -> None:
    http, seeker = new_workspace
    with schema_context("odds_new"):
        application = ApplicationFactory(owner=seeker, stage=Stage.APPLIED, channel="job_board")
    expected = expected_odds("job_board")

    section = section_of(page_of(http, application))

    interview, (low, high) = expected["interview"]
    assert f"{percent(interview)} % chance of an interview" in section
    assert f"80 % likely between {percent(low)} % and {percent(high)} %" in section
    offer, (offer_low, offer_high) = expected["offer"]
    assert f"{percent(offer)} % chance of an offer" in section
    assert offer_interval_shown(section) == pytest.approx((offer_low * 100, offer_high * 100), abs=0.3)
    assert "Based on published rates." in section
    assert "/data-sources/#source-base_rates_jobvite_2014" in section
    assert "Not enough tracked outcomes yet" not in section
    with schema_context("odds_new"):
        [log] = PredictionLog.objects.filter(kind="interview")
    assert (log.model_label, log.insufficient_data) == ("shrunk-prior-1", False)


def test_small_odds_keep_one_decimal_in_the_seekers_language(new_workspace) -> None:
    """A job-board application's offer odds are about 1 %: whole percents showed "1 %, between 0 % and 3 %"."""
    http, seeker = new_workspace
    with schema_context("odds_new"):
        application = ApplicationFactory(owner=seeker, stage=Stage.APPLIED, channel="job_board")
    offer, (offer_low, offer_high) = expected_odds("job_board")["offer"]
    assert offer * 100 < 9.95  # the case this test is about: below 10 %, so a decimal is shown

    english = section_of(page_of(http, application))
    assert f"{percent(offer)} % chance of an offer" in english
    low, high = offer_interval_shown(english)
    assert (low, high) == pytest.approx((offer_low * 100, offer_high * 100), abs=0.3)
    assert low != round(low) or high != round(high)  # a decimal shown where whole percents showed "0 % and 3 %"

    with schema_context("odds_new"):
        type(seeker).objects.filter(pk=seeker.pk).update(language="de")
    response = http.get(f"/app/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    german = section_of(response.content.decode())
    assert f"{percent(offer, ',')} % Chance auf ein Angebot" in german
    assert offer_interval_shown(german, ",") == pytest.approx((offer_low * 100, offer_high * 100), abs=0.3)
    assert f"{percent(offer)} %" not in german  # no English decimal point


def test_it_shows_the_offer_odds_after_an_interview_and_the_outcome_once_known(owner, owner_client) -> None:
    expected = expected_odds("job_board")
    application = owner_application(owner)
    with schema_context("alpha"):
        type(application).objects.filter(pk=application.pk).update(stage=Stage.INTERVIEWING, channel="job_board")
    section = section_of(page_of(owner_client, application))
    given, (low, high) = expected["offer_given_interview"]
    assert f"{percent(given)} % chance of an offer after an interview" in section
    assert f"80 % likely between {percent(low)} % and {percent(high)} %" in section
    assert "chance of an interview" not in section

    with schema_context("alpha"):
        type(application).objects.filter(pk=application.pk).update(stage=Stage.REJECTED)
        PredictionLog.objects.all().delete()
    section = section_of(page_of(owner_client, application))
    assert "Outcome: Rejected" in section
    assert "chance of" not in section
    with schema_context("alpha"):
        assert not PredictionLog.objects.filter(kind="interview").exists()  # no odds computed for a known outcome


def test_a_free_seeker_sees_the_upsell_and_no_odds(cast, owner, client_a) -> None:
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")
    application = owner_application(owner)
    login(client_a, cast.owner_email)
    section = section_of(page_of(client_a, application))
    assert "See plans to unlock it" in section
    assert "chance of" not in section
    with schema_context("alpha"):
        assert not PredictionLog.objects.filter(kind="interview").exists()


def _outcome(owner, *, reached: bool) -> None:
    sent = timezone.now() - timedelta(days=60)
    application = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=sent, applied_at=sent)
    if reached:
        ApplicationEvent.objects.create(
            application=application, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING, occurred_at=sent
        )


def test_another_workspaces_outcomes_never_count(cast) -> None:
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
        for _ in range(5):
            _outcome(stranger, reached=True)
        [theirs] = shrunk_prior_results([InterviewInput()], owner_id=stranger.pk, in_tenant=True)
    assert theirs["basis"]["seeker_outcomes"] == 5
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        [ours] = shrunk_prior_results([InterviewInput()], owner_id=owner.pk, in_tenant=True)
    assert ours["basis"]["seeker_outcomes"] == ours["basis"]["workspace_outcomes"] == 0
    assert ours["interview_probability"] == pytest.approx(expected_odds()["interview"][0], abs=1e-4)
    with pytest.raises(Exception, match="tenant"):  # in the public schema nothing is read: it fails closed
        shrunk_prior_results([InterviewInput()], owner_id=owner.pk, in_tenant=True)


def _candidate(*, brier: float, prior_brier: float) -> ModelVersion:
    return model_save(
        kind="interview",
        artifact="{}",
        metrics={
            "test": {"brier": brier},
            "baselines": {"shrunk_prior": {"brier": prior_brier}},
            "must_beat": ["shrunk_prior"],
            "test_fingerprint": "same",
        },
        params={},
        feature_names=[],
        data_fingerprint="x",
        training_seconds=1.0,
    )


def test_a_classifier_worse_than_the_shrunk_prior_is_not_promoted(cast) -> None:
    worse = _candidate(brier=0.20, prior_brier=0.18)
    result = model_promote(candidate=worse, metric="brier")
    assert not result.promoted
    assert "does not beat the shrunk prior brier 0.18" in result.reason
    worse.refresh_from_db()
    assert worse.status == ModelVersion.Status.CANDIDATE


def test_a_classifier_better_than_the_shrunk_prior_is_promoted(cast) -> None:
    better = _candidate(brier=0.15, prior_brier=0.18)
    assert model_promote(candidate=better, metric="brier").promoted
    better.refresh_from_db()
    assert better.status == ModelVersion.Status.CHAMPION
