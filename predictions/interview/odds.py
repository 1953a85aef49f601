"""The answer when no classifier serves: the published prior shrunk toward the workspace's and the seeker's tracked
outcomes (predictions.interview.shrinkage), as a prediction result with 80 % credible intervals and its basis.

Every application of one seeker sent through one channel gets the same odds: the prior reads the channel and the
outcomes, never the application's fit, so each result says so (`low_confidence` with the code "published_prior").
Outside a tenant schema (the licensee API) there are no outcomes: the published prior alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _

from predictions.interview.features import InterviewInput
from predictions.interview.outcomes import interview_outcomes_collect
from predictions.interview.shrinkage import (
    APPLIED_INTERVIEW,
    INTERVAL,
    ApplicationOdds,
    Estimate,
    OutcomeTallies,
    application_odds,
    basis_text,
    outcome_tallies_collect,
    prior_for,
    priors_load,
)

METHOD = "shrunk_prior"
VERSION_LABEL = "shrunk-prior-1"  # what the prediction log records as the "model" (no ModelVersion row exists)
NO_OWNER = 0  # an owner id no user has: every outcome then counts as the workspace's


def _rounded(estimate: Estimate) -> tuple[float, list[float]]:
    low, high = estimate.interval
    return round(estimate.probability, 4), [round(low, 4), round(high, 4)]


def _basis(estimate: Estimate) -> dict[str, object]:
    return {
        "published_rates": True,
        "seeker_outcomes": estimate.seeker_outcomes,
        "workspace_outcomes": estimate.workspace_outcomes,
        "text": basis_text(estimate),
    }


def odds_result(odds: ApplicationOdds, *, channel: str | None, channel_sourced: bool) -> dict:
    """The result dict of interview_predict's contract for one application's shrunk odds."""
    interview, interview_interval = _rounded(odds.interview)
    offer, offer_interval = _rounded(odds.offer)
    given, given_interval = _rounded(odds.offer_given_interview)
    reasons = [
        {
            "code": "published_prior",
            "message": _(
                "Published rates refined by tracked outcomes: the same for every application sent this way, not a "
                "reading of this one."
            ),
        }
    ]
    if channel and not channel_sourced:
        reasons.append(
            {
                "code": "channel_without_source",
                "message": _("No published figure for this channel: the rate of all channels is used."),
            }
        )
    return {
        "interview_probability": interview,
        "interview_probability_interval": interview_interval,
        "offer_probability": offer,
        "offer_probability_interval": offer_interval,
        "offer_given_interview_probability": given,
        "offer_given_interview_probability_interval": given_interval,
        "interval_level": round(INTERVAL[1] - INTERVAL[0], 2),
        "channel": channel or None,
        "basis": _basis(odds.interview),
        "offer_given_interview_basis": _basis(odds.offer_given_interview),
        "method": METHOD,
        "insufficient_data": False,
        "labelled_outcomes": odds.interview.seeker_outcomes + odds.interview.workspace_outcomes,
        "model_version_id": None,
        "model_version": VERSION_LABEL,
        "scope": "prior",
        "low_confidence": True,
        "low_confidence_reasons": reasons,
        "factors": [],
        "prior_note": None,
    }


def shrunk_prior_results(inputs: Sequence[InterviewInput], *, owner_id: int | None, in_tenant: bool) -> list[dict]:
    """One result per input: the seeker `owner_id`'s odds through each input's channel. In a tenant schema the
    workspace's outcomes are read once (two queries); elsewhere the published prior alone."""
    tallies = outcome_tallies_collect(interview_outcomes_collect(with_inputs=False)) if in_tenant else OutcomeTallies()
    priors = priors_load()
    answers: dict[str, dict] = {}
    results = []
    for item in inputs:
        channel = item.channel or ""
        if channel not in answers:
            odds = application_odds(tallies, owner_id=owner_id or NO_OWNER, channel=channel or None, priors=priors)
            sourced = prior_for(APPLIED_INTERVIEW, channel or None, priors).sourced
            answers[channel] = odds_result(odds, channel=channel, channel_sourced=sourced)
        results.append({**answers[channel], "low_confidence_reasons": list(answers[channel]["low_confidence_reasons"])})
    return results


def shrunk_prior_results_as_of(items: Sequence[tuple[int, str | None, datetime]]) -> list[dict]:
    """For (owner id, channel, moment) triples in the current tenant: the shrunk prior as it was served at the start
    of that moment's day, from the outcomes labelled as of then (never one that came later, the application's own
    included). One collection of outcomes per distinct day. For replaying what a page showed in the past."""
    from tenants.context import require_tenant_schema

    require_tenant_schema()
    priors = priors_load()
    days = sorted({moment.replace(hour=0, minute=0, second=0, microsecond=0) for _owner, _channel, moment in items})
    tallies = {day: outcome_tallies_collect(interview_outcomes_collect(as_of=day, with_inputs=False)) for day in days}
    results = []
    for owner_id, channel, moment in items:
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        odds = application_odds(tallies[day], owner_id=owner_id or NO_OWNER, channel=channel or None, priors=priors)
        sourced = prior_for(APPLIED_INTERVIEW, channel or None, priors).sourced
        results.append(odds_result(odds, channel=channel or "", channel_sourced=sourced))
    return results
