"""Benchmark settings: development settings plus a throwaway tenant app, on a database of the benchmark's own.

Refuses any database whose name does not end in ``_bench`` (or hold ``_bench_``, as ``cvplus_bench_<helper>``), so
that the benchmark (which drops and recreates its database) can never run against the development database.
"""

from django.core.exceptions import ImproperlyConfigured

from cvplus.settings.local import *  # noqa: F403

_NAME = DATABASES["default"]["NAME"]  # noqa: F405
if not (_NAME.endswith("_bench") or "_bench_" in _NAME):
    raise ImproperlyConfigured(
        "bench.settings_bench needs DATABASE_URL to name a database ending in _bench or holding _bench_, "
        f"got {DATABASES['default']['NAME']!r}."  # noqa: F405
    )

TENANT_APPS = [*TENANT_APPS, "bench.benchapp"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]  # noqa: F405
