"""Routing benchmark, variant "with": the project's full middleware; tenant hosts use the bench URLconf."""

from bench.settings_bench import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls_bench"
