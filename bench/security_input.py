"""Hostile-input benchmarks (issue 11): `.venv/bin/python bench/security_input.py`.

Prints, measured in one run:
1. The contact and section scan of a 5 MB text (`contact_flags`, `cv_sections_split`), for a CV repeated and for the
   shapes that were quadratic (word runs, "a@" runs, blank runs, digits). Target: under 200 ms.
2. CV parse plus match of maximum-size inputs (a 100,000-character CV, a 50,000-character description, 60 + 60
   requirements of 500 characters) on the real reference data, for the slowest shapes found, and a match batch at
   the whole text budget (cvplus.text_limits.MAX_BATCH_TEXT_CHARS).
3. The API probe (tests/security/test_api_probe.py) run for 5,000 cases (4,000 tenant API, 1,000 licensee API) in a
   pytest process: requests, status codes, findings, and the slowest request. Target: under 2 s.

Works on a database of its own (`cvplus_input_bench`, or CVPLUS_BENCH_DATABASE_URL), dropped and recreated; part 3
uses pytest's test database for CVPLUS_DATABASE_NAME=cvplus_input_bench.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_input_bench")

from bench.tenants import bench_env, database_drop, database_recreate, manage  # noqa: E402

REFERENCE_DATA = ("cldr_countries", "onet_occupations", "onet_technology_skills", "esco_occupations", "esco_skills")
SCAN_BYTES = 5 * 1024 * 1024
SCAN_TARGET_MS = 200
SLOWEST_TARGET_S = 2.0
TITLE_WORDS = ("operator", "manager", "technician", "machine", "specialist", "supervisor", "worker", "engineer")


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _best_ms(function, text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def scan_bench() -> None:
    from tracking.cv.sections import contact_flags, cv_sections_split
    from tracking.demo import DEMO_CV

    print(f"\n== 1. Contact and section scan of a 5 MB text (target under {SCAN_TARGET_MS} ms, best of 3) ==")
    print(f"  {'text':<26} {'contact_flags':>14} {'cv_sections_split':>18}")
    shapes = {
        "the demo CV repeated": DEMO_CV + "\n",
        "one word run (a...)": "a",
        "'a@' repeated": "a@",
        "digits": "1",
        "spaces": " ",
        "newlines": "\n",
        "'2019 - ' repeated": "2019 - ",
    }
    for label, unit in shapes.items():
        text = _repeat(unit, SCAN_BYTES)
        contact_ms, sections_ms = _best_ms(contact_flags, text), _best_ms(cv_sections_split, text)
        verdict = "ok" if max(contact_ms, sections_ms) < SCAN_TARGET_MS else "over target"
        print(f"  {label:<26} {contact_ms:11.1f} ms {sections_ms:15.1f} ms   {verdict}")


def _max_inputs() -> dict[str, tuple[str, str, list[str]]]:
    """Maximum-size CV text, description and requirements, per shape."""
    from itertools import permutations

    from cvplus.text_limits import MAX_CV_TEXT_CHARS, MAX_DESCRIPTION_CHARS
    from tracking.demo import DEMO_CV

    titles = "Experience\n" + "\n".join(" ".join(combo) for combo in permutations(TITLE_WORDS, 5))
    requirements = [_repeat(f"must have Python SQL {word} experience ", 500) for word in TITLE_WORDS * 8][:60]
    expanding = _repeat("\ufdfa", MAX_CV_TEXT_CHARS // 18)  # at the limit once normalised
    shapes = {
        "the demo CV repeated": _repeat(DEMO_CV + "\n", MAX_CV_TEXT_CHARS),
        "distinct title lines": _repeat(titles + "\n", MAX_CV_TEXT_CHARS),
        "skill lists": _repeat("Python, SQL, Kubernetes, Microsoft Excel, Java, ", MAX_CV_TEXT_CHARS),
        "one word per line": _repeat("word\n", MAX_CV_TEXT_CHARS),
        "U+FDFA at the limit": expanding,
    }
    return {
        label: (cv, _repeat(cv[:5000] + "\nRequirements:\n- Python\n", MAX_DESCRIPTION_CHARS), requirements)
        for label, cv in shapes.items()
    }


def parse_match_bench() -> None:
    from cvplus.text_limits import MAX_BATCH_TEXT_CHARS, texts_read_length
    from predictions.match.scoring import match_score
    from predictions.service import match_raw_predict
    from tracking.cv import keywords
    from tracking.cv.services import cv_parse
    from tracking.requirements import requirements_split

    index = keywords.keyword_index()
    cv_parse("warm-up")
    print("\n== 2. Parse and match of maximum-size inputs (real reference data) ==")
    print(f"  {'CV shape':<26} {'parse':>8} {'requirements':>13} {'match':>8} {'total':>8}")
    worst = 0.0
    for label, (cv, description, requirements) in _max_inputs().items():
        started = time.perf_counter()
        parsed = cv_parse(cv)
        parsed_at = time.perf_counter()
        split = requirements_split(description)
        split_at = time.perf_counter()
        match_score(
            cv_readable=True,
            cv_text=cv,
            cv_parsed=parsed,
            posting_title="Senior Operator Manager",
            posting_description=description,
            requirements={"must_have": requirements, "nice_to_have": split["nice_to_have"] or requirements},
            index=index,
        )
        done = time.perf_counter()
        worst = max(worst, done - started)
        print(
            f"  {label:<26} {parsed_at - started:6.2f} s {split_at - parsed_at:11.2f} s "
            f"{done - split_at:6.2f} s {done - started:6.2f} s"
        )
    cv, description, requirements = _max_inputs()["distinct title lines"]
    item = {"cv_text": cv, "posting_title": "Operator", "posting_description": description, "must_have": requirements}
    per_item = texts_read_length(item.values())
    batch = [item] * (MAX_BATCH_TEXT_CHARS // per_item)
    started = time.perf_counter()
    match_raw_predict(batch)
    batch_s = time.perf_counter() - started
    chars = per_item * len(batch)
    print(f"  slowest maximal item: {worst:.2f} s")
    print(f"  a match batch at the budget: {len(batch)} maximal items, {chars:,} characters: {batch_s:.2f} s")


def probe_bench(tenant_cases: int, licensee_cases: int) -> None:
    print(f"\n== 3. API probe: {tenant_cases + licensee_cases:,} schemathesis cases (target: slowest under 2 s) ==")
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "probe.json"
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(
            CVPLUS_DATABASE_NAME=os.environ.get("CVPLUS_PROBE_DATABASE_NAME", "cvplus_input_bench"),
            CVPLUS_PROBE_EXAMPLES=str(tenant_cases),
            CVPLUS_PROBE_LICENSEE_EXAMPLES=str(licensee_cases),
            CVPLUS_PROBE_REPORT=str(report_path),
        )
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "--create-db", "-p", "no:logging", "-k", "api_case",
             "tests/security/test_api_probe.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        if not report_path.exists():
            print(result.stdout[-3000:], result.stderr[-3000:])
            raise SystemExit("the probe wrote no report")
        report = json.loads(report_path.read_text())
    print(f"  pytest: {result.stdout.strip().splitlines()[-1]} in {elapsed:.0f} s")
    for name, figures in report.items():
        slowest = figures["slowest"]
        verdict = "ok" if slowest["seconds"] < SLOWEST_TARGET_S else "over target"
        counts = f"{figures['requests']:>5} requests, findings {figures['findings']}, statuses {figures['statuses']}"
        print(f"  {name:<9} {counts}")
        print(
            f"            slowest {slowest['seconds']:.2f} s: {slowest['method']} {slowest['path'][:80]} "
            f"-> {slowest['status']}   {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000, help="probe cases, 4 in 5 on the tenant API (100..20000)")
    parser.add_argument("--skip-probe", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not 100 <= options.cases <= 20_000:
        parser.error("keep --cases in 100..20000")
    os.environ.update(bench_env())
    print(f"CVPlus hostile-input benchmarks, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs")
    print(f"database recreated: {database_recreate():.1f} s")
    try:
        print(f"reference data loaded: {manage('load_reference_data', '--only', *REFERENCE_DATA):.1f} s")
        import django

        django.setup()
        scan_bench()
        parse_match_bench()
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()
    if not options.skip_probe:
        probe_bench(options.cases * 4 // 5, options.cases // 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
