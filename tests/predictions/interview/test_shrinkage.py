"""Interview and offer odds from the first day: the published priors, beta-binomial shrinkage toward the workspace's
and the seeker's outcomes, intervals, the basis sentence, outcome counting and the Brier baseline.

Expected values are derived here from the published numbers as quoted in
data/reference/job_search_base_rates/SOURCE.md and from the Beta posterior written out by hand, not read from the
module's constants.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone
from django.utils.translation import override
from django_tenants.utils import schema_context
from scipy.stats import beta

from accounts.models import User
from market.base_rates import BASE_RATES_CSV, published_rates_load
from market.catalogue import SOURCES
from market.readers import ReferenceDataError
from predictions.interview.features import outcome_labels
from predictions.interview.outcomes import OutcomeRow, interview_outcomes_collect
from predictions.interview.shrinkage import (
    BetaPrior,
    Counts,
    Estimate,
    OutcomeTallies,
    application_odds,
    basis_text,
    offer_estimate,
    outcome_tallies,
    outcome_tallies_collect,
    prior_for,
    priors_load,
    seeker_concentration_estimate,
    shrunk_estimate,
    shrunk_prior_brier,
)
from tests.tracking.factories import ApplicationFactory
from tracking.models import ApplicationEvent, Stage

# Jobvite 2014 via Together Abroad: "Out of 59 applicants on average seven (12%) are invited for an interview."
APPLIED_INTERVIEW_MEAN = 7 / 59
APPLICANTS_PER_REQUISITION = 59
# TalentWorks: "we could only interview 13 people (3% of applicant pool)" of 426 applicants.
TALENTWORKS_INTERVIEWED = 13 / 426
# Jobvite 2018 report: "climbed from 17 percent in 2015 to 20 in 2016 and to 28 last year".
INTERVIEW_OFFER_MEAN = (0.17 + 0.20 + 0.28) / 3
INTERVIEWS_PER_REQUISITION = 7
# Jobvite 2014: referrals "5 times more effective"; Lever: 1 in 16 against 1 in 100; HCI: "3-4 times".
REFERRAL_RATIOS = (5.0, 100 / 16, 3.0, 4.0)


def covers(mean: float, strength: float, low: float, high: float) -> bool:
    lower, upper = beta.ppf([0.1, 0.9], mean * strength, (1 - mean) * strength)
    return lower <= low and upper >= high


# ---------------------------------------------------------------------------------------------------------------------
# The reference data and the priors built from it
# ---------------------------------------------------------------------------------------------------------------------
def test_it_loads_every_published_figure_with_a_credited_source() -> None:
    rates = published_rates_load()
    source_keys = {source.key for source in SOURCES if source.folder == "job_search_base_rates"}

    assert len(rates) == 19
    assert {rate.source_key for rate in rates} == source_keys
    jobvite = next(r for r in rates if r.transition == "applied_interview" and not r.channel and r.role == "centre")
    assert (jobvite.numerator, jobvite.denominator) == (7, 59)
    assert "Out of 59 applicants on average seven (12%)" in jobvite.quote


def test_it_names_the_file_and_line_of_a_malformed_figure(tmp_path: Path) -> None:
    broken = tmp_path / "base_rates.csv"
    lines = BASE_RATES_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",13,426,", ",13,0,")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as error:
        published_rates_load(broken)

    assert error.value.line == 4
    assert "denominator" in error.value.problem


def test_it_centres_the_overall_priors_on_the_published_rates() -> None:
    priors = priors_load()

    assert priors["applied_interview", ""].mean == pytest.approx(APPLIED_INTERVIEW_MEAN)
    assert priors["interview_offer", ""].mean == pytest.approx(INTERVIEW_OFFER_MEAN)


def test_it_makes_each_prior_as_strong_as_the_published_spread_and_one_requisition_allow() -> None:
    priors = priors_load()

    interview = priors["applied_interview", ""]
    low, high = TALENTWORKS_INTERVIEWED, APPLIED_INTERVIEW_MEAN
    assert covers(interview.mean, interview.strength, low, high)
    assert interview.strength == APPLICANTS_PER_REQUISITION or not covers(
        interview.mean, interview.strength + 1, low, high
    )
    # Interview → offer: the published figures (15.4 % to 28 %) allow a stronger prior than one requisition's
    # seven interviews, so the requisition limit decides.
    offer = priors["interview_offer", ""]
    assert covers(offer.mean, INTERVIEWS_PER_REQUISITION + 1, 2 / 13, 0.28)
    assert offer.strength == INTERVIEWS_PER_REQUISITION


def test_it_scales_a_channel_prior_by_its_published_ratio_and_never_makes_it_stronger_than_the_overall_one() -> None:
    priors = priors_load()
    referral = priors["applied_interview", "referral"]
    figures = [APPLIED_INTERVIEW_MEAN * ratio for ratio in REFERRAL_RATIOS]

    assert referral.mean == pytest.approx(APPLIED_INTERVIEW_MEAN * 5)
    assert covers(referral.mean, referral.strength, min(figures), max(figures))
    assert not covers(referral.mean, referral.strength + 1, min(figures), max(figures))
    assert priors["applied_interview", "job_board"].mean == pytest.approx(APPLIED_INTERVIEW_MEAN * 17 / 43)
    assert priors["applied_interview", "agency"].mean == pytest.approx(APPLIED_INTERVIEW_MEAN * 100 / 22)
    overall = priors["applied_interview", ""].strength
    assert all(p.strength <= overall for (t, _c), p in priors.items() if t == "applied_interview")


def test_it_falls_back_to_the_overall_prior_where_no_source_covers_the_channel() -> None:
    priors = priors_load()

    offer_by_referral = prior_for("interview_offer", "referral", priors)

    assert ("interview_offer", "referral") not in priors
    assert offer_by_referral.sourced is False
    assert (offer_by_referral.mean, offer_by_referral.strength) == (
        priors["interview_offer", ""].mean,
        priors["interview_offer", ""].strength,
    )
    assert prior_for("applied_interview", None, priors) == priors["applied_interview", ""]


# ---------------------------------------------------------------------------------------------------------------------
# Shrinkage
# ---------------------------------------------------------------------------------------------------------------------
PRIOR = BetaPrior("applied_interview", "", mean=0.2, strength=10)  # Beta(2, 8)


def test_it_gives_the_prior_mean_and_interval_with_no_outcomes() -> None:
    estimate = shrunk_estimate(PRIOR)

    assert estimate.probability == pytest.approx(2 / 10)
    assert estimate.interval == pytest.approx(tuple(beta.ppf([0.1, 0.9], 2, 8)))
    assert (estimate.seeker_outcomes, estimate.workspace_outcomes) == (0, 0)


@pytest.mark.parametrize(("k", "n"), [(3, 10), (30, 100), (300, 1000)])
def test_it_moves_the_workspace_estimate_to_a_plus_k_over_a_plus_b_plus_n(k: int, n: int) -> None:
    estimate = shrunk_estimate(PRIOR, workspace=Counts(k, n))

    assert estimate.probability == pytest.approx((2 + k) / (10 + n))


def test_it_moves_toward_the_data_as_outcomes_grow() -> None:
    observed_rate = 0.5
    distances = [
        abs(shrunk_estimate(PRIOR, workspace=Counts(n // 2, n)).probability - observed_rate) for n in (0, 10, 100, 1000)
    ]

    assert distances == sorted(distances, reverse=True)
    assert distances[0] == pytest.approx(0.3)
    assert distances[-1] == pytest.approx(abs((2 + 500) / 1010 - 0.5))


def test_it_keeps_the_mean_inside_an_interval_that_narrows_with_outcomes() -> None:
    widths = []
    for n in (0, 10, 100, 1000):
        estimate = shrunk_estimate(PRIOR, seeker=Counts(n // 4, n), concentration=10)
        low, high = estimate.interval
        assert low < estimate.probability < high
        widths.append(high - low)

    assert widths == sorted(widths, reverse=True)
    assert widths[-1] < widths[0] / 5


def test_it_weighs_the_workspace_at_most_as_much_as_the_concentration_for_a_seeker() -> None:
    """Workspace 40 of 200 on Beta(2, 8): Beta(42, 168), mean 0.2, strength 210, capped at 20 → Beta(4, 16); the
    seeker's 6 of 10 then give Beta(10, 20)."""
    estimate = shrunk_estimate(PRIOR, workspace=Counts(40, 200), seeker=Counts(6, 10), concentration=20)

    assert estimate.probability == pytest.approx(10 / 30)
    assert estimate.interval == pytest.approx(tuple(beta.ppf([0.1, 0.9], 10, 20)))
    assert (estimate.seeker_outcomes, estimate.workspace_outcomes) == (10, 200)


def test_it_multiplies_interview_and_offer_odds_with_an_interval_from_both() -> None:
    interview = shrunk_estimate(PRIOR, workspace=Counts(20, 100))
    offer_given = shrunk_estimate(BetaPrior("interview_offer", "", 0.25, 8), workspace=Counts(5, 20))

    offer = offer_estimate(interview, offer_given)

    assert offer.probability == pytest.approx(interview.probability * offer_given.probability)
    rng = np.random.default_rng(1)
    product = rng.beta(interview.a, interview.b, 200_000) * rng.beta(offer_given.a, offer_given.b, 200_000)
    assert offer.interval == pytest.approx(tuple(np.quantile(product, [0.1, 0.9])), abs=0.004)
    assert offer_estimate(interview, offer_given) == offer  # a fixed seed: the same answer every time


def test_it_estimates_how_alike_seekers_are() -> None:
    alike = [Counts(5, 25)] * 10  # every seeker at 20 %: no spread beyond noise
    apart = [Counts(1, 20), Counts(19, 20)] * 5

    assert seeker_concentration_estimate(alike, default=7) == 1000
    assert seeker_concentration_estimate(apart, default=7) < 2.5
    assert seeker_concentration_estimate(alike[:3], default=7) == 7


# ---------------------------------------------------------------------------------------------------------------------
# The basis sentence
# ---------------------------------------------------------------------------------------------------------------------
def test_it_says_what_the_probability_rests_on() -> None:
    with override("en"):
        assert basis_text(Estimate(0.2, (0.1, 0.3), 14, 230)) == (
            "Based on published rates + 14 of your outcomes + 230 from others in this workspace."
        )
        assert basis_text(Estimate(0.2, (0.1, 0.3), 0, 1234)) == (
            "Based on published rates + 1,234 from others in this workspace."
        )
        assert basis_text(Estimate(0.2, (0.1, 0.3), 0, 0)) == "Based on published rates."


# ---------------------------------------------------------------------------------------------------------------------
# Counting outcomes and the Brier baseline
# ---------------------------------------------------------------------------------------------------------------------
def row(application_id: int, owner_id: int, interview: int | None, offer: int | None, channel: str = "job_board"):
    from datetime import UTC, datetime

    from predictions.interview.features import InterviewInput, OutcomeLabels

    item = InterviewInput(channel=channel)
    sent = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=application_id)
    return OutcomeRow(application_id, owner_id, sent, OutcomeLabels(interview, offer, "", ""), item)


def test_it_counts_each_transition_per_channel_and_owner_without_censored_outcomes() -> None:
    rows = [
        row(1, 1, 1, 1, "referral"),
        row(2, 1, 1, 0, "referral"),
        row(3, 1, 0, 0, "job_board"),
        row(4, 2, 1, None, "job_board"),  # offer still censored
        row(5, 2, None, None, "job_board"),  # too recent
    ]

    tallies = outcome_tallies(rows)

    assert tallies.seeker("applied_interview", "referral", 1) == Counts(2, 2)
    assert tallies.seeker("applied_interview", "", 1) == Counts(2, 3)
    assert tallies.workspace("applied_interview", "") == Counts(3, 4)
    assert tallies.workspace("interview_offer", "") == Counts(1, 2)
    assert tallies.workspace("interview_offer", "job_board") == Counts()


def test_it_gives_a_brand_new_seeker_the_published_prior_and_pools_offer_outcomes_across_channels() -> None:
    priors = priors_load()
    tallies = outcome_tallies([row(1, 1, 1, 1, "referral"), row(2, 1, 1, 0, "job_board")])

    newcomer = application_odds(OutcomeTallies(), owner_id=9, channel="referral", priors=priors)
    other = application_odds(tallies, owner_id=9, channel="agency", priors=priors)

    assert newcomer.interview.probability == pytest.approx(APPLIED_INTERVIEW_MEAN * 5)
    assert newcomer.offer.probability == pytest.approx(APPLIED_INTERVIEW_MEAN * 5 * INTERVIEW_OFFER_MEAN)
    offer_prior = priors["interview_offer", ""]
    assert other.offer_given_interview.probability == pytest.approx((offer_prior.a + 1) / (offer_prior.strength + 2))
    assert other.interview.workspace_outcomes == 0  # no agency outcomes: agency has its own prior and counts


def test_it_scores_the_shrunk_prior_on_held_out_rows_by_brier() -> None:
    priors = priors_load()
    train = [row(i, i % 3, int(i % 4 == 0), None) for i in range(1, 41)]
    test = [row(100 + i, i % 3, int(i % 2 == 0), None) for i in range(6)] + [row(200, 1, None, None)]

    brier = shrunk_prior_brier(train, test)

    tallies = outcome_tallies(train)
    expected = []
    for item in test[:6]:
        probability = application_odds(tallies, owner_id=item.owner_id, channel="job_board", priors=priors)
        expected.append((probability.interview.probability - item.interview_label) ** 2)
    assert brier == pytest.approx(sum(expected) / 6)
    assert 0 < brier < 1


@pytest.fixture
def owner(cast, db):
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


def sent_application(owner: User, channel: str, *later: str):
    sent = timezone.now() - timedelta(days=90)
    application = ApplicationFactory(owner=owner, channel=channel, stage="applied", stage_changed_at=sent)
    previous = "applied"
    for days, stage in enumerate(later, start=1):
        at = sent + timedelta(days=days)
        ApplicationEvent.objects.create(application=application, from_stage=previous, to_stage=stage, occurred_at=at)
        application.stage, application.stage_changed_at, previous = stage, at, stage
    application.save()
    return application


def test_it_counts_the_workspace_outcomes_with_their_channels_from_tracking(owner, cast) -> None:
    member = User.objects.get(email=cast.member_email)
    sent_application(owner, "referral", Stage.SCREENING, Stage.OFFER)
    sent_application(owner, "job_board", Stage.REJECTED)
    sent_application(member, "referral", Stage.INTERVIEWING, Stage.REJECTED)

    tallies = outcome_tallies_collect(interview_outcomes_collect(with_inputs=False))

    assert tallies.seeker("applied_interview", "referral", owner.pk) == Counts(1, 1)
    assert tallies.seeker("applied_interview", "", owner.pk) == Counts(1, 2)
    assert tallies.workspace("applied_interview", "referral") == Counts(2, 2)
    assert tallies.workspace("interview_offer", "") == Counts(1, 2)
    odds = application_odds(tallies, owner_id=owner.pk, channel="referral")
    assert (odds.interview.seeker_outcomes, odds.interview.workspace_outcomes) == (1, 1)


def test_the_counts_use_the_one_censoring_rule_of_the_outcome_labels() -> None:
    """A guard on the contract outcome_tallies relies on: an application that reached an interview but is younger
    than the offer horizon has no offer label, so it is not counted at interview → offer."""
    now = timezone.now()
    labels = outcome_labels(
        stages=[("applied", now - timedelta(days=40)), ("interviewing", now - timedelta(days=35))],
        applied_at=now - timedelta(days=40),
        as_of=now,
    )
    assert (labels.interview, labels.offer) == (1, None)
