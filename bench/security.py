"""Issue 11's measurements in one run: `.venv/bin/python bench/security.py [part ...]`.

Each part is a script of its own (``bench/security_<part>.py``), run in its own process, that sets up what it
measures on a database of its own and prints its figures beside the issue's targets:

- input:   time to scan a 5 MB text (target under 200 ms); the slowest request of a 5,000-case fuzz run (under 2 s)
- auth:    logins accepted per minute per account before lockout (tenant, admin and licensee sign-in)
- redis:   requests answered during a 40 s Redis outage and their status codes; healthz while Redis is down (under 1 s)
- privacy: the erasure job's time for an account with 1,000 applications and 20 CV versions
- uploads: request time of a CV upload and of a 2,000-row import confirm, beside the worker's time
- prod:    PostgreSQL connections held after concurrent requests, development server and production server
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARTS = ["input", "auth", "redis", "privacy", "uploads", "prod"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="part", help=f"any of {', '.join(PARTS)} (default: all)")
    arguments = parser.parse_args()
    unknown = sorted(set(arguments.parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    failed = []
    for part in arguments.parts or PARTS:
        print(f"\n######## security: {part} ########", flush=True)
        started = time.perf_counter()
        # A process per part: each sets Django up on a database of its own and drops it at the end.
        script = ROOT / "bench" / f"security_{part}.py"
        if subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False).returncode != 0:
            failed.append(part)
            print(f"{part}: FAILED to measure (its output above says why)", flush=True)
        print(f"({part} took {time.perf_counter() - started:.0f} s)", flush=True)
    if failed:
        print(f"\nparts that could not be measured: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
