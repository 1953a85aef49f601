"""The interview model card's "published prior plus shrinkage" section: its priors are base_rates.csv's (derived here
from the file by tests/predictions/interview/published.py, not from the module under test), and its SIMULATED
calibration figures are the run's (the raw workspace rate and the prior alone are recomputed here from the simulator's
draws: a constant prediction falls in one ECE bin, so its ECE is |rate - observed rate|)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from predictions.interview.calibration import HELD_OUT_SEED_OFFSET, shrinkage_evaluate
from predictions.interview.card import interview_model_card
from predictions.interview.simulator import simulate_outcomes
from tests.predictions.interview.published import CSV, published_prior

HELD_OUT = 2_000
SEED = 1  # shrinkage_evaluate runs seeds 1..seeds


@pytest.fixture(scope="module")
def report() -> dict:
    return shrinkage_evaluate(seeds=1, held_out=HELD_OUT)


@pytest.fixture(scope="module")
def card(report) -> str:
    return interview_model_card({"shrinkage": report})


def test_each_published_prior_is_in_the_card_with_its_strength_and_sources(card) -> None:
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    channels = sorted({r["channel"] for r in rows if r["transition"] == "applied_interview" and r["channel"]})
    assert channels  # the file has channel priors for the first stage
    for transition, name, channel in [
        ("applied_interview", "applied → interview", ""),
        ("interview_offer", "interview → offer", ""),
        *(("applied_interview", "applied → interview", channel) for channel in channels),
    ]:
        a, b = published_prior(transition, channel)
        row = f"| {name} | {channel or 'all channels'} | {a / (a + b) * 100:.1f} % | {a + b:.0f} |"
        assert row in card, row
        line = next(text for text in card.splitlines() if text.startswith(row))
        for source in {r["source_key"] for r in rows if r["transition"] == transition and r["channel"] == channel}:
            assert f"`{source}`" in line
    # no channel has an offer-stage figure in the file, and the card says they use the all-channel prior
    assert not any(r["channel"] for r in rows if r["transition"] == "interview_offer")
    assert "interview → offer: referral, company_site, job_board, recruiter, agency" in card


def test_the_simulated_calibration_figures_are_the_runs(report, card) -> None:
    assert "### Interview and offer odds: published prior plus shrinkage" in card
    assert "mean ± standard deviation over 1 seeds" in card
    for size in (20, 200, 2000):
        _, _, train_labels = simulate_outcomes(size, SEED)
        test_inputs, test_probability, test_labels = simulate_outcomes(HELD_OUT, SEED + HELD_OUT_SEED_OFFSET)
        raw = train_labels.mean()
        raw_ece, raw_brier = abs(raw - test_labels.mean()), np.mean((raw - test_labels) ** 2)
        assert f"| {size:,} | raw workspace rate | {raw_ece:.4f} ± 0.0000 | {raw_brier:.4f} ± 0.0000 |" in card
        prior = np.asarray([(lambda ab: ab[0] / sum(ab))(published_prior("applied_interview", i.channel))
                            for i in test_inputs])  # fmt: skip
        assert f"| {size:,} | prior alone | " in card
        assert f"{np.mean((prior - test_labels) ** 2):.4f} ± 0.0000 |" in card
        summary = report["calibration"]["by_size"][size]
        shrunk = summary["shrunk"]
        assert f"| {size:,} | prior + shrinkage | {shrunk['ece']['mean']:.4f} ± 0.0000 |" in card
        assert f"| {size:,} | {summary['cells']:,} | {summary['coverage'] * 100:.1f} % |" in card
        assert summary["true_rate"] == pytest.approx(test_probability.mean())
    # the caveat quotes the simulator's rate and the published one, both from the run
    a, b = published_prior("applied_interview")
    assert f"against the published all-channel prior's {a / (a + b) * 100:.1f} %" in card
    assert "Only the applied → interview stage is simulated" in card


def test_the_tracked_outcome_text_describes_the_shrunk_prior_not_the_old_beta_one() -> None:
    card = interview_model_card({"outcomes": {"tenants": 3, "outcomes": 40, "labelled": 12}})
    assert "3 workspaces hold 40 sent applications, 12 of them labelled" in card
    assert "published prior of its channel shrunk toward" in card
    assert "Beta(1, 1)" not in card
    assert "[0.05, 0.95]" not in card
