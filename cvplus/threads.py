"""Limits native thread pools to one thread per process.

This machine class has two cores shared by the web server, the Celery worker and tests; LightGBM (OpenMP) and BLAS
each default to one thread per core, and oversubscription made training about ten times slower. Imported first by
``cvplus/__init__.py`` so that it runs before numpy or lightgbm are loaded in any process.
"""

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def limit_native_threads() -> None:
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
