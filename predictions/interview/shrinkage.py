"""Interview and offer odds from the first day: a published prior per stage transition, shrunk toward the workspace's
outcomes and then the seeker's own (beta-binomial, hierarchical). Pure except `outcome_tallies_collect`.

Prior (data/reference/job_search_base_rates, read by market.base_rates): a Beta per transition, applied → interview
(screening or beyond) and interview → offer, and per channel where a source has one.
- Mean: the mean of the transition's "centre" figures; a channel's is the overall mean times the channel's published
  relative rate (every channel figure on disk is an end-to-end candidate → hire ratio; the product puts it on the
  first stage, see SOURCE.md).
- Strength (pseudo-outcomes a + b), the weaker of two limits: (1) the largest whole number whose 80 % interval still
  covers every published figure for that transition and channel (the spread between employers, years and sources
  stands in for the spread between workspaces); (2) the source's average requisition (59 applicants at the first
  stage, 7 interviews at the second, Jobvite 2014): a new workspace is one more employer-sized funnel, so the
  published rates never count for more than one. A channel prior is never stronger than the overall one.
- A channel without a figure, and every channel at interview → offer, use the overall prior, and their outcomes are
  pooled across channels: the shrinkage path has a channel effect only where a source has one.

Shrinkage, for one seeker and one transition, with counts (successes k, trials n):
1. workspace: Beta(a0 + k_others, b0 + n_others - k_others) from the other seekers' outcomes; mean m_w, strength s_w;
2. seeker: their own outcomes update Beta(m_w * s, (1 - m_w) * s) with s = min(s_w, concentration): seekers differ,
   so the workspace never counts for more than `concentration` outcomes of this seeker's. The concentration is
   estimated from the workspace (method of moments across seekers, `seeker_concentration_estimate`, on each seeker's
   outcomes of every channel: per channel few seekers have enough) and defaults to the transition's overall prior
   strength when too few seekers have outcomes.
The result is the posterior mean with its central 80 % Beta interval; offer odds at the applied stage are
P(interview) * P(offer | interview), its interval by Monte Carlo over both posteriors (fixed seed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.stats import beta

from market.base_rates import (
    APPLIED_INTERVIEW,
    BASE_RATES_CSV,
    CAP,
    CENTRE,
    CHANNELS,
    INTERVIEW_OFFER,
    RATE,
    RELATIVE_RATE,
    TRANSITIONS,
    PublishedRate,
    published_rates_load,
)

INTERVAL = (0.1, 0.9)  # the central 80 % credible interval
MIN_STRENGTH = 2  # a + b: Beta(1, 1) at a mean of 0.5; weaker priors put their mass on 0 and 1
OFFER_DRAWS = 20_000  # Monte Carlo draws for the product of two posteriors: interval bounds to about ±0.003
OFFER_SEED = 20240604
# Method-of-moments concentration across seekers: only seekers with this many outcomes count, and at least this many
# of them; below that the default (the prior's strength) is used. The estimate is kept within [MIN_STRENGTH, 1000].
CONCENTRATION_MIN_OUTCOMES = 5
CONCENTRATION_MIN_SEEKERS = 5
CONCENTRATION_MAX = 1000.0


# ---------------------------------------------------------------------------------------------------------------------
# Priors
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BetaPrior:
    transition: str
    channel: str  # "" for the all-channel prior
    mean: float
    strength: float  # a + b, in pseudo-outcomes
    sourced: bool = True  # False: the channel has no figure and this is the all-channel prior
    figures: tuple[float, ...] = ()  # the published figures its interval covers

    @property
    def a(self) -> float:
        return self.mean * self.strength

    @property
    def b(self) -> float:
        return (1.0 - self.mean) * self.strength


def beta_interval(a: float, b: float) -> tuple[float, float]:
    low, high = beta.ppf(INTERVAL, a, b)
    return float(low), float(high)


def prior_strength(mean: float, figures: Iterable[float], cap: float) -> int:
    """The largest whole strength n in [MIN_STRENGTH, cap] whose Beta(mean * n, (1 - mean) * n) central 80 % interval
    covers every figure; MIN_STRENGTH when even that does not. The interval narrows as n grows, so the first n that
    fails ends the search."""
    low, high = min(figures, default=mean), max(figures, default=mean)
    best = MIN_STRENGTH
    for n in range(MIN_STRENGTH, int(cap) + 1):
        lower, upper = beta_interval(mean * n, (1.0 - mean) * n)
        if lower > low or upper < high:
            break
        best = n
    return best


def priors_build(rates: Sequence[PublishedRate]) -> dict[tuple[str, str], BetaPrior]:
    """The sourced priors keyed by (transition, channel), channel "" for all channels (see the module docstring)."""
    priors: dict[tuple[str, str], BetaPrior] = {}
    for transition in TRANSITIONS:
        rows = [r for r in rates if r.transition == transition]
        overall = [r for r in rows if not r.channel]
        centre = [r.value for r in overall if r.role == CENTRE and r.measure == RATE]
        mean = sum(centre) / len(centre)
        figures = tuple(r.value for r in overall if r.measure == RATE)
        cap = min((r.value for r in overall if r.role == CAP), default=math.inf)
        cap = cap if math.isfinite(cap) else 10_000
        strength = prior_strength(mean, figures, cap)
        priors[transition, ""] = BetaPrior(transition, "", mean, strength, figures=figures)
        for channel in CHANNELS:
            ratios = [r for r in rows if r.channel == channel and r.measure == RELATIVE_RATE]
            centre_ratios = [r.value for r in ratios if r.role == CENTRE]
            if not centre_ratios:
                continue
            channel_mean = mean * sum(centre_ratios) / len(centre_ratios)
            if not 0 < channel_mean < 1:
                raise ValueError(f"{transition} {channel}: a prior mean of {channel_mean:.3f} is not a probability")
            channel_figures = tuple(mean * r.value for r in ratios)
            channel_strength = prior_strength(channel_mean, channel_figures, strength)
            priors[transition, channel] = BetaPrior(
                transition, channel, channel_mean, channel_strength, figures=channel_figures
            )
    return priors


def priors_load(path: Path = BASE_RATES_CSV) -> dict[tuple[str, str], BetaPrior]:
    return priors_build(published_rates_load(path))


def prior_for(
    transition: str, channel: str | None, priors: Mapping[tuple[str, str], BetaPrior] | None = None
) -> BetaPrior:
    """The channel's prior where a source has one, else the all-channel prior (marked sourced=False for a channel)."""
    priors = priors if priors is not None else priors_load()
    if channel and (transition, channel) in priors:
        return priors[transition, channel]
    overall = priors[transition, ""]
    return overall if not channel else BetaPrior(transition, channel, overall.mean, overall.strength, sourced=False)


def counts_channel(transition: str, channel: str | None, priors: Mapping[tuple[str, str], BetaPrior]) -> str:
    """The channel whose outcomes refine this prior: its own where the prior is the channel's, else "" (pooled)."""
    return channel if channel and (transition, channel) in priors else ""


# ---------------------------------------------------------------------------------------------------------------------
# Shrinkage
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Counts:
    successes: int = 0
    trials: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.successes <= self.trials:
            raise ValueError(f"counts: {self.successes} successes out of {self.trials} trials")

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.successes + other.successes, self.trials + other.trials)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.successes - other.successes, self.trials - other.trials)


@dataclass(frozen=True)
class Estimate:
    probability: float  # the posterior mean
    interval: tuple[float, float]  # central 80 % credible interval
    seeker_outcomes: int  # the seeker's own outcomes used
    workspace_outcomes: int  # the other seekers' outcomes in the workspace used
    a: float = field(default=math.nan, repr=False)  # the posterior Beta, NaN for a product of two
    b: float = field(default=math.nan, repr=False)


def beta_update(a: float, b: float, counts: Counts) -> tuple[float, float]:
    """The beta-binomial posterior: Beta(a + k, b + n - k)."""
    return a + counts.successes, b + counts.trials - counts.successes


def shrunk_estimate(
    prior: BetaPrior,
    *,
    workspace: Counts = Counts(),  # noqa: B008 - a frozen value
    seeker: Counts = Counts(),  # noqa: B008
    concentration: float | None = None,
) -> Estimate:
    """The seeker's probability for one transition: prior → the other seekers' outcomes (`workspace`, which must not
    include the seeker's) → the seeker's own (`seeker`). `concentration` (default: the prior's strength) caps how many
    of the seeker's outcomes the workspace counts for; see the module docstring."""
    concentration = prior.strength if concentration is None else concentration
    a_w, b_w = beta_update(prior.a, prior.b, workspace)
    strength = min(a_w + b_w, max(concentration, MIN_STRENGTH))
    mean_w = a_w / (a_w + b_w)
    a, b = beta_update(mean_w * strength, (1.0 - mean_w) * strength, seeker)
    return Estimate(a / (a + b), beta_interval(a, b), seeker.trials, workspace.trials, a, b)


def offer_estimate(
    interview: Estimate, offer_given_interview: Estimate, *, draws: int = OFFER_DRAWS, seed: int = OFFER_SEED
) -> Estimate:
    """P(offer) for an application at the applied stage = P(interview) * P(offer | interview). The two posteriors are
    independent (different outcomes), so the mean is the product of the means, exactly; the 80 % interval is taken
    from `draws` Monte Carlo products with a fixed seed (the same answer on every call). The basis counts are the
    interview stage's: every application outcome counted there."""
    rng = np.random.default_rng(seed)
    product = rng.beta(interview.a, interview.b, draws) * rng.beta(
        offer_given_interview.a, offer_given_interview.b, draws
    )
    low, high = np.quantile(product, INTERVAL)
    return Estimate(
        interview.probability * offer_given_interview.probability,
        (float(low), float(high)),
        interview.seeker_outcomes,
        interview.workspace_outcomes,
    )


def seeker_concentration_estimate(per_seeker: Iterable[Counts], *, default: float) -> float:
    """How alike the workspace's seekers are, as a Beta concentration κ (seekers' rates ~ Beta(m κ, (1 - m) κ)), by the
    method of moments over seekers with at least CONCENTRATION_MIN_OUTCOMES outcomes: the spread of their rates beyond
    what binomial noise explains. `default` with fewer than CONCENTRATION_MIN_SEEKERS such seekers; CONCENTRATION_MAX
    when the rates vary no more than noise does (seekers alike: the workspace rate is everyone's)."""
    usable = [c for c in per_seeker if c.trials >= CONCENTRATION_MIN_OUTCOMES]
    if len(usable) < CONCENTRATION_MIN_SEEKERS:
        return default
    trials = np.asarray([c.trials for c in usable], dtype=np.float64)
    rates = np.asarray([c.successes for c in usable], dtype=np.float64) / trials
    mean = float(np.average(rates, weights=trials))
    if mean <= 0.0 or mean >= 1.0:
        return CONCENTRATION_MAX
    observed = float(np.average((rates - mean) ** 2, weights=trials))
    noise = mean * (1.0 - mean) * float(np.mean(1.0 / trials))
    between = observed - noise
    if between <= 0.0:
        return CONCENTRATION_MAX
    return float(min(max(mean * (1.0 - mean) / between - 1.0, MIN_STRENGTH), CONCENTRATION_MAX))


def basis_text(estimate: Estimate) -> str:
    """What the probability rests on, in the active language: "Based on published rates + 14 of your outcomes + 230
    from others in this workspace." Parts with no outcomes are left out."""
    parts = [_("published rates")]
    if estimate.seeker_outcomes:
        parts.append(
            ngettext("%(count)s of your outcomes", "%(count)s of your outcomes", estimate.seeker_outcomes)
            % {"count": formats.number_format(estimate.seeker_outcomes, force_grouping=True)}
        )
    if estimate.workspace_outcomes:
        parts.append(
            ngettext(
                "%(count)s from others in this workspace",
                "%(count)s from others in this workspace",
                estimate.workspace_outcomes,
            )
            % {"count": formats.number_format(estimate.workspace_outcomes, force_grouping=True)}
        )
    return _("Based on %(parts)s.") % {"parts": " + ".join(parts)}


# ---------------------------------------------------------------------------------------------------------------------
# Counting outcomes
# ---------------------------------------------------------------------------------------------------------------------
TallyKey = tuple[str, str, int]  # (transition, channel or "", owner id)


@dataclass
class OutcomeTallies:
    """Outcome counts of a workspace per (transition, channel, owner); channel "" holds every channel's outcomes."""

    by_owner: dict[TallyKey, Counts] = field(default_factory=dict)

    def add(self, transition: str, channel: str, owner_id: int, success: bool) -> None:
        one = Counts(int(success), 1)
        for key in {(transition, channel, owner_id), (transition, "", owner_id)}:
            self.by_owner[key] = self.by_owner.get(key, Counts()) + one

    def seeker(self, transition: str, channel: str, owner_id: int) -> Counts:
        return self.by_owner.get((transition, channel, owner_id), Counts())

    def workspace(self, transition: str, channel: str) -> Counts:
        total = Counts()
        for (t, c, _owner), counts in self.by_owner.items():
            if t == transition and c == channel:
                total += counts
        return total

    def per_seeker(self, transition: str, channel: str) -> list[Counts]:
        return [counts for (t, c, _owner), counts in self.by_owner.items() if t == transition and c == channel]


def _channel_of(row: object, channels: Mapping[int, str] | None) -> str:
    if channels is not None:
        return channels.get(row.application_id, "") or ""
    return getattr(row, "channel", None) or getattr(getattr(row, "input", None), "channel", None) or ""


def outcome_tallies(rows: Iterable[object], *, channels: Mapping[int, str] | None = None) -> OutcomeTallies:
    """Counts per transition, channel and owner from outcome rows (predictions.interview.outcomes.OutcomeRow or any
    object with application_id, owner_id, interview_label, offer_label and a channel via `channels`, `.channel` or
    `.input.channel`). Applied → interview counts every row with an interview label; interview → offer counts the rows
    that reached an interview (label 1) and have an offer label. Censored labels (None) are not counted."""
    tallies = OutcomeTallies()
    for row in rows:
        channel = _channel_of(row, channels)
        if row.interview_label is not None:
            tallies.add(APPLIED_INTERVIEW, channel, row.owner_id, row.interview_label == 1)
        if row.interview_label == 1 and row.offer_label is not None:
            tallies.add(INTERVIEW_OFFER, channel, row.owner_id, row.offer_label == 1)
    return tallies


def outcome_tallies_collect(rows: Sequence[object]) -> OutcomeTallies:
    """The tallies of the current tenant's outcome rows (from predictions.interview.outcomes.interview_outcomes_collect,
    which labels them with the one censoring rule), each application's channel read from tracking in one query."""
    from tenants.context import require_tenant_schema
    from tracking.models import Application

    require_tenant_schema()
    ids = [row.application_id for row in rows]
    channels = dict(Application.objects.filter(pk__in=ids).values_list("pk", "channel"))
    return outcome_tallies(rows, channels=channels)


@dataclass(frozen=True)
class ApplicationOdds:
    interview: Estimate  # applied → interview
    offer_given_interview: Estimate  # interview → offer
    offer: Estimate  # applied → offer, the product of the two


def application_odds(
    tallies: OutcomeTallies,
    *,
    owner_id: int,
    channel: str | None,
    priors: Mapping[tuple[str, str], BetaPrior] | None = None,
) -> ApplicationOdds:
    """The interview, offer-given-interview and offer estimates of one seeker's application sent through `channel`."""
    priors = priors if priors is not None else priors_load()
    estimates = {}
    for transition in TRANSITIONS:
        prior = prior_for(transition, channel, priors)
        key = counts_channel(transition, channel, priors)
        seeker = tallies.seeker(transition, key, owner_id)
        concentration = seeker_concentration_estimate(
            tallies.per_seeker(transition, ""), default=priors[transition, ""].strength
        )
        estimates[transition] = shrunk_estimate(
            prior, workspace=tallies.workspace(transition, key) - seeker, seeker=seeker, concentration=concentration
        )
    interview, offer_given = estimates[APPLIED_INTERVIEW], estimates[INTERVIEW_OFFER]
    return ApplicationOdds(interview, offer_given, offer_estimate(interview, offer_given))


# ---------------------------------------------------------------------------------------------------------------------
# The baseline the classifier must beat
# ---------------------------------------------------------------------------------------------------------------------
def shrunk_prior_predict(
    train_outcomes: Sequence[object],
    test_outcomes: Sequence[object],
    *,
    priors: Mapping[tuple[str, str], BetaPrior] | None = None,
) -> np.ndarray:
    """The shrunk prior's interview probability for each test row with an interview label, learnt from the training
    rows only (each test row's owner is "the seeker", the other owners are the workspace)."""
    priors = priors if priors is not None else priors_load()
    tallies = outcome_tallies(train_outcomes)
    cache: dict[tuple[int, str], float] = {}
    predicted = []
    for row in test_outcomes:
        if row.interview_label is None:
            continue
        key = (row.owner_id, _channel_of(row, None))
        if key not in cache:
            odds = application_odds(tallies, owner_id=key[0], channel=key[1] or None, priors=priors)
            cache[key] = odds.interview.probability
        predicted.append(cache[key])
    return np.asarray(predicted, dtype=np.float64)


def shrunk_prior_brier(train_outcomes: Sequence[object], test_outcomes: Sequence[object]) -> float:
    """The Brier score of the shrunk prior's interview probability on the test rows' interview labels, learnt from the
    training rows: the same time split the classifier uses (predictions.interview.InterviewSplit.train / .test).
    A classifier should serve only when its test Brier score is below this."""
    actual = np.asarray([r.interview_label for r in test_outcomes if r.interview_label is not None], dtype=np.float64)
    if actual.size == 0:
        raise ValueError("shrunk_prior_brier: no test outcome has an interview label")
    predicted = shrunk_prior_predict(train_outcomes, test_outcomes)
    return float(np.mean((predicted - actual) ** 2))
