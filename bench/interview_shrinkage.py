"""Calibration of the interview odds' prior-plus-shrinkage path on SIMULATED outcomes whose true rates are known:
`.venv/bin/python bench/interview_shrinkage.py [--seeds 10] [--held-out 20000]`.

For each workspace size (20, 200 and 2,000 labelled outcomes) and each seed, predictions.interview.calibration (the
same code the model card runs) simulates a workspace and a held-out sample of its seekers' later applications, and
scores three ways of giving an application its interview probability on the held-out labels, ECE (10 equal-width
bins) and Brier, averaged over seeds: prior alone (the published prior of the channel), raw workspace rate, and prior
+ shrinkage toward the workspace's and the seeker's outcomes; "true p" is the simulator's own probability, the floor.
Also printed: how often the shrunk 80 % interval holds the simulator's true rate of the channel.

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

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

LABEL = "SIMULATED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="seeds per workspace size (default 10)")
    parser.add_argument("--held-out", type=int, default=20_000, help="held-out simulated applications per run")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")
    import django

    django.setup()
    from predictions.interview.calibration import SIZES, calibration_run, calibration_summary
    from predictions.interview.shrinkage import priors_load

    priors = priors_load()
    started = time.perf_counter()
    print(f"{LABEL} outcomes (predictions.interview.simulator); interview odds of held-out applications")
    print(f"{arguments.seeds} seeds per size, {arguments.held_out:,} held-out applications per seed; mean ± sd")
    header = f"{'outcomes':>8}  {'method':<20}{'ECE':>16}{'Brier':>18}"
    print(header)
    print("-" * len(header))
    for size in SIZES:
        summary = calibration_summary(
            [calibration_run(size, seed, arguments.held_out, priors) for seed in range(1, arguments.seeds + 1)]
        )
        for name, label in (
            ("prior", "prior alone"),
            ("raw", "raw workspace rate"),
            ("shrunk", "prior + shrinkage"),
            ("true", "true p (floor)"),
        ):
            ece, brier = summary[name]["ece"], summary[name]["brier"]
            print(
                f"{size:>8,}  {label:<20}{ece['mean']:>9.4f} ± {ece['std']:.4f}"
                f"{brier['mean']:>11.4f} ± {brier['std']:.4f}"
            )
        coverage = summary["coverage"]
        print(f"{size:>8,}  80 % interval holds the true channel rate in {coverage:.0%} of seeker × channel cells")
    print(f"{LABEL}: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
