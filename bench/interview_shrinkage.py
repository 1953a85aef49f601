"""Calibration of the interview odds' prior-plus-shrinkage path on SIMULATED outcomes whose true rates are known:
`.venv/bin/python bench/interview.shrinkage.py [--seeds 10] [--held-out 20000]`.

For each workspace size (20, 200 and 2,000 labelled outcomes) and each seed, predictions.interview.simulator draws
the workspace's applications (seekers of about 20 outcomes each) and a held-out sample of the same seekers' later
applications. Three ways of giving an application its interview probability are scored on the held-out labels,
ECE (10 equal-width bins, predictions.interview.training.expected_calibration_error) and Brier, averaged over seeds:
- prior alone: the published prior of the application's channel (predictions.interview.shrinkage);
- raw workspace rate: the share of the workspace's outcomes that reached screening (one rate for every application);
- prior + shrinkage: the published prior shrunk toward the workspace's and the seeker's outcomes in that channel.
"true p" is the simulator's own probability: the floor any method can reach. Also printed: how often the shrunk 80 %
interval holds the simulator's true rate of the channel (seekers do not differ in the simulator).

SIMULATED data: it checks that the path calibrates as outcomes arrive, not how accurate it is for real seekers. The
simulator's rates (about 21 % overall) differ from the published ones (12 %), so the prior alone is miscalibrated
here on purpose.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

SIZES = (20, 200, 2000)
OUTCOMES_PER_SEEKER = 20
LABEL = "SIMULATED"


def one_run(size: int, seed: int, held_out: int, priors) -> dict[str, float]:
    from predictions.interview.features import OutcomeLabels
    from predictions.interview.outcomes import OutcomeRow
    from predictions.interview.shrinkage import application_odds, outcome_tallies, prior_for
    from predictions.interview.simulator import simulate_outcomes
    from predictions.interview.training import expected_calibration_error

    seekers = max(1, size // OUTCOMES_PER_SEEKER)
    train_inputs, _, train_labels = simulate_outcomes(size, seed)
    test_inputs, test_probability, test_labels = simulate_outcomes(held_out, seed + 100_000)
    rng = np.random.default_rng(seed)
    train_owners = np.arange(size) % seekers
    test_owners = rng.integers(0, seekers, held_out)
    train = [
        OutcomeRow(i, int(train_owners[i]), None, OutcomeLabels(int(label), None, "", ""), item)
        for i, (item, label) in enumerate(zip(train_inputs, train_labels, strict=True))
    ]
    tallies = outcome_tallies(train)
    channels = [item.channel for item in test_inputs]
    odds = {}
    for owner, channel in set(zip(test_owners.tolist(), channels, strict=True)):
        odds[owner, channel] = application_odds(tallies, owner_id=owner, channel=channel, priors=priors).interview
    shrunk = np.asarray([odds[o, c].probability for o, c in zip(test_owners.tolist(), channels, strict=True)])
    prior = np.asarray([prior_for("applied_interview", c, priors).mean for c in channels])
    raw = np.full(held_out, train_labels.mean())
    covered = []
    for (_owner, channel), estimate in odds.items():
        true_rate = float(test_probability[[c == channel for c in channels]].mean())
        covered.append(estimate.interval[0] <= true_rate <= estimate.interval[1])
    result = {"coverage": float(np.mean(covered))}
    for name, predicted in (("prior", prior), ("raw", raw), ("shrunk", shrunk), ("true", test_probability)):
        result[f"{name}_ece"] = expected_calibration_error(predicted, test_labels)
        result[f"{name}_brier"] = float(np.mean((predicted - test_labels) ** 2))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="seeds per workspace size (default 10)")
    parser.add_argument("--held-out", type=int, default=20_000, help="held-out simulated applications per run")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")
    import django

    django.setup()
    from predictions.interview.shrinkage import priors_load

    priors = priors_load()
    started = time.perf_counter()
    print(f"{LABEL} outcomes (predictions.interview.simulator); interview odds of held-out applications")
    print(f"{arguments.seeds} seeds per size, {arguments.held_out:,} held-out applications per seed; mean ± sd")
    header = f"{'outcomes':>8}  {'method':<20}{'ECE':>16}{'Brier':>18}"
    print(header)
    print("-" * len(header))
    for size in SIZES:
        runs = [one_run(size, seed, arguments.held_out, priors) for seed in range(1, arguments.seeds + 1)]
        for name, label in (
            ("prior", "prior alone"),
            ("raw", "raw workspace rate"),
            ("shrunk", "prior + shrinkage"),
            ("true", "true p (floor)"),
        ):
            ece = np.asarray([run[f"{name}_ece"] for run in runs])
            brier = np.asarray([run[f"{name}_brier"] for run in runs])
            print(
                f"{size:>8,}  {label:<20}{ece.mean():>9.4f} ± {ece.std():.4f}{brier.mean():>11.4f} ± {brier.std():.4f}"
            )
        coverage = np.mean([run["coverage"] for run in runs])
        print(f"{size:>8,}  80 % interval holds the true channel rate in {coverage:.0%} of seeker × channel cells")
    print(f"{LABEL}: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
