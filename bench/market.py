"""Market benchmarks: `.venv/bin/python bench/market.py`.

Prints, measured in one run on a fresh `cvplus_bench` database with the real reference data loaded:
1. The time to rebuild every industry's keyword database (`manage.py build_keyword_databases --force`, a fresh
   process, as an operator runs it), twice.
2. CV parse plus match latency, p50/p99, against each industry's database: for every industry a SIMULATED CV and
   posting are written from that industry's own top titles and skills (so each run exercises its database), then the
   CV is parsed (`cv_parse`) and matched (`match_score` with the industry's profile) `--runs` times; the same inputs
   matched without an industry are printed beside them as the ratio.

The issue sets no target for these; they are measured so a regression shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.tenants import bench_env, database_drop, database_recreate, manage, percentile  # noqa: E402

REFERENCE_DATA = ("cldr_countries", "onet_occupations", "onet_technology_skills", "esco_occupations", "esco_skills")
REFERENCE_DATA += ("bls_oews_2025", "esco_labels")


def simulated_inputs(code: str) -> tuple[str, str, str]:
    """(CV text, posting title, posting description) from the industry's own keyword database: SIMULATED text."""
    from market.models import IndustryKeyword

    keywords = IndustryKeyword.objects.filter(database__is_current=True, industry__code=code)
    titles = list(keywords.filter(kind="title").order_by("-weight").values_list("term", flat=True)[:2])
    skills = list(keywords.filter(kind="skill", hot=True).order_by("-weight").values_list("term", flat=True)[:12])
    words = list(keywords.filter(kind="task").order_by("-weight").values_list("term", flat=True)[:12])
    title = titles[0].split(",")[0].rstrip("s")
    cv = "\n".join(
        [
            "Alex Example (SIMULATED)",
            title,
            "",
            "Experience",
            f"{title}, Example Co. — 2018 – 2024",
            *(f"- Worked with {skill} on {word}" for skill, word in zip(skills[:6], words, strict=False)),
            "",
            "Skills",
            ", ".join(skills[:6]),
        ]
    )
    description = "\n".join(
        [
            f"We are hiring a {title} (SIMULATED posting).",
            "Requirements:",
            *(f"- {skill}" for skill in skills[:5]),
            "Nice to have:",
            *(f"- {skill}" for skill in skills[5:8]),
            "About the job: " + ", ".join(words) + ".",
            "Our tools: " + ", ".join(skills[8:]) + ".",
        ]
    )
    return cv, title, description


def line(label: str, values: list[float], baseline: list[float] | None = None) -> None:
    p50, p99 = statistics.median(values), percentile(values, 0.99)
    ratio = f"  x{p50 / statistics.median(baseline):.2f} vs no industry" if baseline else ""
    print(f"  {label:<28} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms{ratio}")


def latency_bench(runs: int) -> None:
    from market.industries import INDUSTRY_CODES
    from market.keyword_databases import industry_profiles
    from predictions.match.scoring import match_score
    from tracking.cv import keywords
    from tracking.cv.language import _language_detect_cached
    from tracking.cv.services import cv_parse
    from tracking.requirements import requirements_split

    profiles = industry_profiles()
    index = keywords.keyword_index()
    print(f"\n== CV parse + match, {runs} runs per industry (in process; SIMULATED CV and posting per industry) ==")

    def run(cv: str, title: str, description: str, requirements: dict, industry) -> float:
        _language_detect_cached.cache_clear()  # each run reads its CV as a new one: nothing remembered from the last
        began = time.perf_counter()
        parsed = cv_parse(cv)
        match_score(
            cv_readable=True,
            cv_text=cv,
            cv_parsed=parsed,
            posting_title=title,
            posting_description=description,
            requirements=requirements,
            index=index,
            industry=industry,
        )
        return (time.perf_counter() - began) * 1000

    for code in INDUSTRY_CODES:
        cv, title, description = simulated_inputs(code)
        inputs = (cv, title, description, requirements_split(description))
        for _ in range(5):  # warm-up
            run(*inputs, profiles[code])
        with_industry, without = [], []
        for _ in range(runs):
            with_industry.append(run(*inputs, profiles[code]))
            without.append(run(*inputs, None))
        line(code, with_industry, without)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="parse+match runs per industry (20..5000)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not 20 <= options.runs <= 5000:
        parser.error("keep --runs in 20..5000")
    os.environ.update(bench_env())
    print(f"CVPlus market benchmarks, {time.strftime('%Y-%m-%d')}")
    print(f"database recreated: {database_recreate():.1f} s")
    try:
        print(f"reference data loaded: {manage('load_reference_data', '--only', *REFERENCE_DATA):.1f} s")
        print("\n== Keyword databases: build all industries (fresh process, real O*NET, ESCO and BLS data) ==")
        for attempt in ("first build", "rebuild (--force)"):
            print(f"  {attempt:<28} {manage('build_keyword_databases', '--force'):6.1f} s")
        import django

        django.setup()
        from market.models import KeywordDatabase

        current = KeywordDatabase.objects.get(is_current=True)
        build = f"{current.build_seconds} s inside the command"
        print(f"  version {current.version}: build {build}; counts {current.counts['total']}")
        latency_bench(options.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
