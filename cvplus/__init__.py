from cvplus.threads import limit_native_threads

limit_native_threads()

from cvplus.celery import app as celery_app  # noqa: E402 - thread limits must be set before numpy loads

__all__ = ["celery_app"]
