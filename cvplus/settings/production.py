"""Production: secrets must be set; HTTPS everywhere; a bounded connection pool; static files from WhiteNoise.

Served by gunicorn with gunicorn.conf.py (README, "Running CVPlus in production"). ``make prod`` runs these settings
on http://*.localhost with explicit overrides (scripts/run_prod.sh); the defaults here are the real production ones.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters in production.")
if env.database_url("DATABASE_URL") is None:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# ---------------------------------------------------------------------------------------------------------------------
# Database connections: psycopg's pool, one per process, bounded. A web process needs at most one connection per
# gunicorn thread (gunicorn.conf.py sets DATABASE_POOL_MAX_SIZE to its thread count), so PostgreSQL holds at most
# workers × threads for the web, plus one per Celery process. django-tenants forgets the search path it set when
# Django hands a connection back to the pool (DatabaseWrapper.close), so the next request sets its own
# (tests/cvplus/test_connections.py drives tenants A, B, A… through a pool of two).
# DATABASE_POOL_MAX_SIZE=0 turns the pool off (then DATABASE_CONN_MAX_AGE applies). PgBouncer must then run in
# session mode: in transaction mode a session-level SET search_path can land on another client's server connection.
# ---------------------------------------------------------------------------------------------------------------------
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", 4, minimum=0)
if DATABASE_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool requires it: a request returns its connection
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", 1, minimum=0), DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # A request waits this long for a free connection before failing, well inside gunicorn's timeout.
        "timeout": env.int("DATABASE_POOL_TIMEOUT_S", 10, minimum=1),
        "max_idle": 300,  # idle connections above min_size are closed after 5 minutes
    }

# ---------------------------------------------------------------------------------------------------------------------
# Static files: collectstatic writes hashed, gzip-compressed copies; WhiteNoise serves them from the web process with
# far-future caching (a changed file gets a new name).
# ---------------------------------------------------------------------------------------------------------------------
STORAGES = STORAGES | {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)

# ---------------------------------------------------------------------------------------------------------------------
# HTTPS. Behind a proxy that terminates TLS and sets X-Forwarded-Proto (it must overwrite a client's own).
# The overrides exist for `make prod` on http://*.localhost; a real deployment leaves them unset.
# ---------------------------------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", True)
# One year, subdomains included: tenants live on subdomains of the base domain, and a plain-HTTP subdomain could
# otherwise set cookies for the others.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise, hard to take back (months to leave browsers' built-in lists), that every subdomain of the
# registered domain serves HTTPS forever: the operator opts in for their domain; the check that suggests it is
# silenced until then.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# ---------------------------------------------------------------------------------------------------------------------
# E-mail (reminders, password resets): SMTP with STARTTLS by default.
# ---------------------------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Sign-in protection (issue 11, "auth"): staff sign in to admin with a second factor (accounts/two_factor.py).
STAFF_TWO_FACTOR_REQUIRED = True
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10  # seconds: a stuck mail server must not hold a worker
SERVER_EMAIL = DEFAULT_FROM_EMAIL
