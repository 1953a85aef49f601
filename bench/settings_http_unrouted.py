"""Routing benchmark, variant "without": the tenant routing middleware removed; the connection stays on public.

Everything else (sessions, auth, the locale middleware, which then sees no tenant) is as in "with", so the ratio
isolates host → tenant routing.
"""

from bench.settings_bench import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls_bench"
MIDDLEWARE = [m for m in MIDDLEWARE if m != "tenants.middleware.TenantRoutingMiddleware"]  # noqa: F405
