"""Tests: real PostgreSQL and a real Redis broker, on their own Redis databases so a running demo is untouched."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is asserted in base settings
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_SCHEME = "http"
SITE_PORT = ""

# The browser tests' live server (tests/browser/conftest.py::live_site) writes its e-mails as files into this folder
# and its links with its own port, so that a test follows the link in an e-mail as a person would. Named TEST_* so a
# shell's EMAIL_BACKEND or CVPLUS_SITE_PORT (for `make run`) never reaches a test; pytest's own process keeps the
# in-memory outbox whatever is set (pytest-django sets it).
TEST_EMAIL_FILE_PATH = env.str("TEST_EMAIL_FILE_PATH", "")
if TEST_EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = TEST_EMAIL_FILE_PATH
SITE_PORT = env.int("TEST_SITE_PORT", 0, minimum=0) or ""

# Two test runs side by side (two checkouts) each set their own Redis databases, queue prefix and CVPLUS_DATABASE_NAME.
TEST_REDIS_URL = env.broker_url("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
TEST_CACHE_URL = env.broker_url("TEST_CACHE_URL", TEST_REDIS_URL.rsplit("/", 1)[0] + "/15")
TEST_QUEUE_PREFIX = env.str("TEST_QUEUE_PREFIX", "test")
REDIS_URL = TEST_REDIS_URL
CELERY_BROKER_URL = TEST_REDIS_URL
TASKS_RUN_INLINE = False
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": TEST_CACHE_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "OPTIONS": REDIS_CLIENT_OPTIONS,  # degraded mode: the same timeouts as every environment
    }
}
# Tests own their queues: a demo worker on the same Redis never takes a test's task.
CELERY_TASK_DEFAULT_QUEUE = f"{TEST_QUEUE_PREFIX}-default"
CELERY_TASK_ROUTES = {
    "predictions.tasks.prediction_log_flush_task": {"queue": CELERY_TASK_DEFAULT_QUEUE},
    "predictions.tasks.*": {"queue": f"{TEST_QUEUE_PREFIX}-training"},
}
# Tests read the prediction log right after a request; tests/predictions/test_logbuffer.py turns the buffer on.
PREDICTION_LOG_BUFFERED = False
# Likewise page views (tests pin a page's queries with its page view's INSERT); tests/analytics/test_pageviews.py and
# the end-to-end freshness test turn the buffer on.
ANALYTICS_PAGE_VIEWS_BUFFERED = False

# The portal's webhook tests post to receivers on this machine over plain HTTP; tests/portal/test_webhooks.py turns
# the production checks back on to test them.
PORTAL_WEBHOOKS_ALLOW_PRIVATE = True
PORTAL_WEBHOOKS_REQUIRE_HTTPS = False

import tempfile  # noqa: E402

# Sign-in protection (issue 11, "auth"): the suite's many API calls as one cast user must never meet the API throttle;
# tests/accounts/test_api_throttles.py lowers these to test it.
API_THROTTLE_RATES = {"tenant_user": "100000/minute", "tenant_anon": "100000/minute"}

# A folder of the run's own; the browser tests' live server is given the test process's one (TEST_MEDIA_ROOT), so a
# file it stores is the file the test's Celery worker reads.
MEDIA_ROOT = env.str("TEST_MEDIA_ROOT", "") or tempfile.mkdtemp(prefix="cvplus-test-media-")
