"""Settings shared by every environment. Values come from the environment through :data:`cvplus.env.env`."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from cvplus.env import env
from cvplus.runtime import BASE_DIR, discover_database, discover_redis

SECRET_KEY = env.str("SECRET_KEY", "dev-only-insecure-secret-key-change-me-in-production")
DEBUG = env.bool("DEBUG", False)
BASE_DOMAIN = env.str("CVPLUS_BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"])
# Links written outside a request (e-mails) use the tenant's primary domain with this scheme and port
# (tenants/links.py), never the request's Host.
SITE_SCHEME = env.str("CVPLUS_SITE_SCHEME", "https", choices=("http", "https"))
SITE_PORT = env.int("CVPLUS_SITE_PORT", 0, minimum=0) or ""

# ---------------------------------------------------------------------------------------------------------------------
# Apps. An app never moves between SHARED_APPS and TENANT_APPS once migrated.
#
# | app                   | public schema | tenant schemas | why                                                     |
# |-----------------------|---------------|----------------|---------------------------------------------------------|
# | django_tenants        | yes           | no             | the tenant machinery                                    |
# | tenants               | yes           | no             | Client and Domain rows live in public only              |
# | accounts              | yes           | yes            | staff users in public; seekers and members per tenant   |
# | contenttypes, auth    | yes           | yes            | users and permissions exist in both                     |
# | sessions              | yes           | yes            | a login belongs to the host (schema) it was made on     |
# | admin                 | yes           | no             | staff admin is served on the public host only           |
# | market                | yes           | no             | read-only reference data shared by all tenants          |
# | tracking              | no            | yes            | each seeker's CVs, postings, applications and history   |
# | portal                | no            | yes            | an organisation's roles, invitations, coaching, outcomes |
# | predictions           | yes           | yes            | global models in public; tenant-trained ones per tenant |
# | billing               | yes           | no             | plans, Stripe customers/subscriptions/events, contracts |
# | privacy               | yes           | yes            | consents, erasures, audit log (tenant erasures: public) |
# | django_celery_beat    | yes           | no             | one beat schedule; the dispatcher fans out per tenant   |
# | analytics             | yes           | no             | rollups of every tenant's events, for staff and tenants |
# ---------------------------------------------------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "modeltranslation",  # must precede django.contrib.admin
    "tenants",
    "accounts",
    "market",
    "predictions",
    "billing",
    "privacy",
    "analytics",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "tracking",
    "portal",
    "predictions",
    "privacy",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Client"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New tenants are cloned from this migrated schema instead of running every migration (tenants/provisioning.py).
TENANT_TEMPLATE_SCHEMA = "tenant_template"
DEFAULT_NOT_FOUND_TENANT_VIEW = "tenants.views.unknown_host"
# Set the search path once per connection and tenant switch, not before every statement (half the round trips);
# tests/search_path_guard.py checks every statement still runs on the active tenant's path.
TENANT_LIMIT_SET_CALLS = True
# migrate_schemas skips tenant schemas that have every migration (tenants/migration_executor.py).
GET_EXECUTOR_FUNCTION = "tenants.migration_executor.get_executor"

# Security headers (and, in production, WhiteNoise's static files) come before tenant routing, so that every answer,
# an unknown host's 404 included, carries them and static files never cost a tenant lookup.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.TenantLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "analytics.middleware.PageViewMiddleware",
]

ROOT_URLCONF = "cvplus.urls_tenants"
PUBLIC_SCHEMA_URLCONF = "cvplus.urls_public"
WSGI_APPLICATION = "cvplus.wsgi.application"
ASGI_APPLICATION = "cvplus.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.tenant",
                "tracking.context_processors.notifications",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------------------------
# Database: DATABASE_URL, else the local PostgreSQL, else the embedded one (cvplus/runtime.py).
# ---------------------------------------------------------------------------------------------------------------------
DATABASE_NAME = env.str("CVPLUS_DATABASE_NAME", "cvplus")
_database = env.database_url("DATABASE_URL")
if _database is None:
    _database, DATABASE_SOURCE = discover_database(DATABASE_NAME)
else:
    DATABASE_SOURCE = "DATABASE_URL"
# No persistent connections by default: the development server starts a thread per request, and each thread kept its
# own idle connection (a load test left 67 of PostgreSQL's 100 open; Django's docs advise against them there).
# Production reuses connections through a bounded pool instead (cvplus/settings/production.py).
_database.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", 0, minimum=0))
_database.setdefault("CONN_HEALTH_CHECKS", True)
DATABASES = {"default": _database}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------------------------------
# Redis: REDIS_URL, else a local Redis, else none (tasks inline, cache in memory).
# ---------------------------------------------------------------------------------------------------------------------
REDIS_URL = env.broker_url("REDIS_URL") or discover_redis()
CELERY_BROKER_URL = env.broker_url("CELERY_BROKER_URL") or REDIS_URL
TASKS_RUN_INLINE = CELERY_BROKER_URL is None

# --- Degraded mode (issue 11, helper "degraded"): no request waits long on a Redis that does not answer. The cache,
# billing's metering and key revocations (billing/redis_client.py) and the Celery broker give up after these.
REDIS_CONNECT_TIMEOUT_S = env.int("REDIS_CONNECT_TIMEOUT_MS", 500, minimum=10) / 1000
REDIS_SOCKET_TIMEOUT_S = env.int("REDIS_SOCKET_TIMEOUT_MS", 1000, minimum=10) / 1000
REDIS_CLIENT_OPTIONS = {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT_S, "socket_timeout": REDIS_SOCKET_TIMEOUT_S}
# --- end of degraded mode's Redis timeouts

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL.rsplit("/", 1)[0] + "/1" if REDIS_URL.count("/") >= 3 else REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "TIMEOUT": 300,
            "OPTIONS": REDIS_CLIENT_OPTIONS,  # degraded mode
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
        }
    }

# ---------------------------------------------------------------------------------------------------------------------
# Celery (cvplus/celery.py). Tasks carry their tenant through tenant-schemas-celery.
# ---------------------------------------------------------------------------------------------------------------------
CELERY_TASK_ALWAYS_EAGER = TASKS_RUN_INLINE
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# A name routes before a pattern (Celery's MapRoute): the prediction log's flush stays on the default queue.
CELERY_TASK_ROUTES = {
    "predictions.tasks.prediction_log_flush_task": {"queue": "default"},
    "predictions.tasks.*": {"queue": "training"},
    # The demo's recorded predictions wait behind the champions' trainings (analytics/monitoring/demo.py).
    "analytics.tasks.demo_predictions_record_task": {"queue": "training"},
}
# The prediction log is written off the request path in batches (predictions/logbuffer.py); off: each request inserts.
PREDICTION_LOG_BUFFERED = env.bool("PREDICTION_LOG_BUFFERED", True)
# Page views are pushed to Redis and written by the rollups' advance (analytics/pageviews.py); off: each page inserts.
ANALYTICS_PAGE_VIEWS_BUFFERED = env.bool("ANALYTICS_PAGE_VIEWS_BUFFERED", True)
# The plan a gated request runs under, cached in Redis until a subscription, contract or plan changes
# (billing/plan_cache.py); off: looked up in PostgreSQL on each request.
PLAN_CACHE = env.bool("PLAN_CACHE", True)
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Degraded mode: a publish to a broker that is down fails within about a second (the page that sent it logs it and
# answers; the periodic sweeps catch up), instead of 5 s timeouts times four tries. The socket timeout stays above
# the worker's 1 s BRPOP.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_S,
    "socket_timeout": max(2.0, REDIS_SOCKET_TIMEOUT_S),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A reminder claimed by a worker that died is taken again after this many seconds (tracking/reminders.py).
REMINDER_CLAIM_LEASE_S = env.int("REMINDER_CLAIM_LEASE_S", 600, minimum=1)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 6 * 3600,
        "args": ("accounts.tasks.sessions_clear_expired",),
    },
    # Failed sign-in attempts live in public (django-axes); forgotten once their lockout window has passed.
    "forget-expired-sign-in-attempts": {"task": "accounts.tasks.sign_in_attempts_expire", "schedule": 3600},
    "send-due-reminders-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 60,
        "args": ("tracking.tasks.reminders_due_dispatch",),
    },
    # Deleted postings and applications can be restored for 10 minutes (tracking/deletion.py), then go for good.
    "purge-deleted-postings-and-applications-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 5 * 60,
        "args": ("tracking.tasks.deleted_purge",),
    },
    "flag-likely-ghosted-applications-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 6 * 3600,
        "args": ("tracking.tasks.applications_flag_likely_ghosted",),
    },
    # Licensee API calls are metered in Redis and recorded in PostgreSQL by this flush (billing/metering.py).
    "flush-licensee-api-usage": {"task": "billing.tasks.api_usage_flush", "schedule": 10},
    # Prediction log rows are buffered in Redis per tenant and written into each tenant's schema by this flush
    # (predictions/logbuffer.py); on the default queue, never behind a training.
    "flush-prediction-log": {"task": "predictions.tasks.prediction_log_flush_task", "schedule": 10},
    # Privacy (privacy/): retention rules daily; account erasures the queue lost, hourly, so that "erased within 24
    # hours" holds (a request is run by the sweep after 2 hours at most plus one hour); tenant schemas staff erased.
    "apply-retention-rules-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 24 * 3600,
        "args": ("privacy.tasks.retention_run",),
    },
    "run-overdue-account-erasures-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 3600,
        "args": ("privacy.tasks.account_erasures_overdue_run",),
    },
    "drop-erased-tenant-schemas": {"task": "privacy.tasks.tenant_erasures_overdue_run", "schedule": 3600},
    # On the training queue (predictions.tasks.*): a tenant's own models once it has enough tracked outcomes.
    "refresh-tenant-models-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 24 * 3600,
        "args": ("predictions.tasks.tenant_models_refresh",),
    },
}

# ---------------------------------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
# Sessions read through the cache with the tenant's database as the record, never failing when the cache is down
# (accounts/session_store.py). A cached copy lives at most this long: the bound on a copy left stale by an outage.
SESSION_ENGINE = "accounts.session_store"
SESSION_CACHE_MAX_AGE_S = env.int("SESSION_CACHE_MAX_AGE_S", 300, minimum=0)
CSRF_COOKIE_HTTPONLY = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "CVPlus <no-reply@cvplus.localhost>")
# Named in the privacy notice as the processor that delivers e-mail (e.g. "Postmark"); empty says "our e-mail provider".
PRIVACY_EMAIL_PROVIDER = env.str("CVPLUS_EMAIL_PROVIDER", "")
# Who an organisation's administrators write to when their organisation has no contract in force (billing's
# organisation plan page).
ENTERPRISE_CONTACT_EMAIL = env.str("CVPLUS_ENTERPRISE_CONTACT_EMAIL", "enterprise@cvplus.localhost")

# ---------------------------------------------------------------------------------------------------------------------
# Sign-in protection (issue 11, "auth"): lockout (django-axes), two-factor (django-otp), throttles. One block; see
# docs/architecture.md "Sign-in protection".
#
# | app                     | public | tenants | why                                                              |
# |-------------------------|--------|---------|------------------------------------------------------------------|
# | axes                    | yes    | no      | failed sign-ins of every host, accounts named "<schema>:<email>" |
# |                         |        |         | (tenant connections reach it through search_path)                |
# | django_otp, otp_totp,   | yes    | yes     | a device belongs to a user, and users live in both               |
# | otp_static              |        |         |                                                                  |
# ---------------------------------------------------------------------------------------------------------------------
_OTP_APPS = ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
SHARED_APPS += ["axes", *_OTP_APPS]
TENANT_APPS += _OTP_APPS
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]
# OTPMiddleware right after authentication (it wraps request.user); axes last, as its documentation asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += ["accounts.middleware.StaffTwoFactorMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address from the right; 0 means
# REMOTE_ADDR (development, or a proxy that rewrites REMOTE_ADDR). Lockout, reset, sign-up and API throttles use it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Lockout: per account ("<schema>:<email>", or "licensee-key:<key prefix>") and, separately, per IP address.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks; the IP has its own, higher limit
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time left shown on the lockout page stays true
AXES_RESET_ON_SUCCESS = False  # would also clear the IP's failures against other accounts (LockoutHandler resets)
AXES_USERNAME_CALLABLE = "accounts.lockout.account_name"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins: personal data nobody reads
AXES_ENABLE_ADMIN = False  # accounts/admin_lockout.py registers the attempts with an "unlock" action
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "api_key", "otp_token"]
AXES_VERBOSE = False

# Two-factor sign-in: required for staff in production settings, optional for everyone else.
STAFF_TWO_FACTOR_REQUIRED = env.bool("STAFF_TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "CVPlus"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # admin lists staff's devices (to delete a lost one), never their secrets or codes
TWO_FACTOR_RECOVERY_CODES = 10
TWO_FACTOR_PENDING_SECONDS = 300  # between the password and the code

# Password resets and sign-ups (accounts/throttles.py): at most this many per window, per e-mail and per IP address.
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env.int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3, minimum=1)
PASSWORD_RESETS_PER_IP_PER_HOUR = env.int("PASSWORD_RESETS_PER_IP_PER_HOUR", 20, minimum=1)
SIGNUPS_PER_EMAIL_PER_HOUR = env.int("SIGNUPS_PER_EMAIL_PER_HOUR", 3, minimum=1)
SIGNUPS_PER_IP_PER_HOUR = env.int("SIGNUPS_PER_IP_PER_HOUR", 20, minimum=1)
# The tenant API (cvplus/api_throttles.py): per signed-in user, and per IP address for anonymous callers.
API_THROTTLE_RATES = {
    "tenant_user": env.str("API_THROTTLE_RATE_USER", "1200/minute"),
    "tenant_anon": env.str("API_THROTTLE_RATE_ANON", "120/minute"),
}
# ------------------------------------------------------------------------------------------- end of sign-in protection

# ---------------------------------------------------------------------------------------------------------------------
# Languages. Each tenant has a default language; see tenants/middleware.py for the order of precedence.
# ---------------------------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ja", _("Japanese")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

MEDIA_ROOT = env.str("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: CV files are streamed by a view that checks the owner

# Uploaded files live under MEDIA_ROOT/<tenant schema>/, never mixed between tenants.
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))  # collectstatic's output (production)
STATICFILES_DIRS = [BASE_DIR / "static"]

# ---------------------------------------------------------------------------------------------------------------------
# API (tracking/api.py): session auth for the site's own users; API keys for licensees come with billing.
# ---------------------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON with a nesting limit and only storable text (cvplus/json_input.py); forms and uploads as DRF's defaults.
    "DEFAULT_PARSER_CLASSES": [
        "cvplus.json_input.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Sign-in protection (issue 11, "auth"): tenant API throttles; the licensee API keeps its own per-key rate limits.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "cvplus.api_throttles.TenantUserThrottle",
    "cvplus.api_throttles.TenantAnonThrottle",
]
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT or None
SPECTACULAR_SETTINGS = {
    "TITLE": "CVPlus API",
    "DESCRIPTION": "Job seekers' CVs, postings, applications and their history.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stage choices appear under three field names; CV and reminder statuses differ: name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "tracking.models.Stage",
        "CVStatusEnum": "tracking.models.CVDocument.Status",
        "ReminderStatusEnum": "tracking.models.Reminder.Status",
        "EmploymentTypeEnum": "tracking.models.JobPosting.EmploymentType",
        "SalaryEmploymentTypeEnum": "predictions.api.views.SALARY_EMPLOYMENT_TYPES",
        "ProfileExperienceLevelEnum": "market.models.SalarySurveyRow.ExperienceLevel",
    },
}

# ---------------------------------------------------------------------------------------------------------------------
# Enterprise portal, integrations (issue 13, "integrations"): the organisation API's documentation and the outgoing
# webhooks (portal/webhooks.py, portal/webhook_delivery.py). A webhook URL must use HTTPS and every address its host
# resolves to must be public: no loopback, private, link-local, multicast, reserved or unspecified address, checked
# when saved and again before each delivery (against DNS rebinding). Local and test settings allow this machine, so
# that the demo's inbox and the tests' receivers can be reached.
# ---------------------------------------------------------------------------------------------------------------------
PORTAL_WEBHOOKS_ALLOW_PRIVATE = env.bool("PORTAL_WEBHOOKS_ALLOW_PRIVATE", False)
PORTAL_WEBHOOKS_REQUIRE_HTTPS = env.bool("PORTAL_WEBHOOKS_REQUIRE_HTTPS", True)
# One delivery's whole exchange (connect, TLS, send, first line of the answer) gives up after this long.
PORTAL_WEBHOOKS_TIMEOUT_MS = env.int("PORTAL_WEBHOOKS_TIMEOUT_MS", 5000, minimum=100)
# The demo receiver at /portal/webhooks/inbox/ (portal/views/webhook_inbox.py): on in local settings only.
PORTAL_WEBHOOKS_INBOX = False
# Deliveries whose retry is due (or whose queued message was lost) are sent again by this sweep.
CELERY_BEAT_SCHEDULE["deliver-due-webhooks-in-every-tenant"] = {
    "task": "tenants.tasks.tenants_dispatch",
    "schedule": 60,
    "args": ("portal.tasks.webhook_deliveries_due_dispatch",),
}
# Counting each tenant's finished domain events into the analytics rollups (analytics/rollups.py).
CELERY_BEAT_SCHEDULE["advance-event-rollups-in-every-tenant"] = {
    "task": "tenants.tasks.tenants_dispatch",
    "schedule": 10,
    "args": ("analytics.tasks.rollups_advance_task",),
}
# Alerts (analytics/alerts/): every rule evaluated every 30 s, in public (on the default queue, the evaluator also
# stamps its own run); a heartbeat sent to the training queue, whose age a metric reads. A message older than its
# next one is dropped rather than run late.
CELERY_BEAT_SCHEDULE["evaluate-alert-rules"] = {
    "task": "analytics.tasks.alerts_evaluate_task",
    "schedule": 30,
    "options": {"expires": 25},
}
CELERY_BEAT_SCHEDULE["heartbeat-training-queue"] = {
    "task": "analytics.tasks.heartbeat_task",
    "schedule": 30,
    "args": ("training",),
    "options": {"queue": "training", "expires": 60},
}
# The model monitor: each tenant's served predictions, drift and live accuracy into its snapshot (analytics/monitoring).
CELERY_BEAT_SCHEDULE["refresh-model-monitor-in-every-tenant"] = {
    "task": "tenants.tasks.tenants_dispatch",
    "schedule": 300,
    "args": ("analytics.tasks.model_monitor_refresh_task",),
}
# The organisation API (/api/v1/org/) is documented on enterprise hosts only, with its bearer token and webhooks.
SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"] = ["portal.api.schema.organisation_paths_on_enterprise_hosts_only"]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "portal.api.schema.organisation_api_described",
]
# ------------------------------------------------------------------------------------------- end of portal integrations

# Uploads: checked by content and bounded before anything is parsed (tracking/cv/).
CV_MAX_UPLOAD_BYTES = env.int("CV_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
# The upload budget (tracking/cv/upload_budget.py): new CV versions (uploads and pastes) a user may add per rolling
# hour and day, counted in PostgreSQL, and the versions a user may keep.
CV_UPLOADS_PER_HOUR = env.int("CV_UPLOADS_PER_HOUR", 10, minimum=1)
CV_UPLOADS_PER_DAY = env.int("CV_UPLOADS_PER_DAY", 30, minimum=1)
CV_MAX_VERSIONS = env.int("CV_MAX_VERSIONS", 50, minimum=1)
# What reading one CV may cost in the worker (tracking/cv/read_budget.py); over any of these it is "unreadable".
CV_READ_MAX_PAGES = env.int("CV_READ_MAX_PAGES", 50, minimum=1)
CV_READ_MAX_DECOMPRESSED_BYTES = env.int("CV_READ_MAX_DECOMPRESSED_BYTES", 8 * 1024 * 1024, minimum=64 * 1024)
CV_READ_MAX_TEXT_CHARS = env.int("CV_READ_MAX_TEXT_CHARS", 100_000, minimum=1_000)
CV_READ_TIME_BUDGET_S = env.int("CV_READ_TIME_BUDGET_S", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------------------------------------------------
# Stripe (the billing issue uses these; empty means billing is not configured).
# ---------------------------------------------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env.prefixed_secret("STRIPE_SECRET_KEY", ("sk_", "rk_"))
STRIPE_PUBLISHABLE_KEY = env.prefixed_secret("STRIPE_PUBLISHABLE_KEY", ("pk_",))
STRIPE_WEBHOOK_SECRET = env.prefixed_secret("STRIPE_WEBHOOK_SECRET", ("whsec_",))
# Another Stripe API address, e.g. Stripe's own stripe-mock, or the browser tests' fake; empty means api.stripe.com.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", "")

# ---------------------------------------------------------------------------------------------------------------------
# Security headers, in every environment (production adds HSTS, HTTPS and secure cookies).
# Content-Security-Policy (django-csp): scripts and styles only from CVPlus's own static files, or inline with this
# response's nonce (templates use {{ CSP_NONCE }}); no 'unsafe-inline', no eval. htmx is configured from a meta tag
# not to inject its indicator style (templates/_head.html). The API docs pages relax style-src only
# (tracking/api/base.py): Swagger UI and Redoc write inline styles at run time.
# ---------------------------------------------------------------------------------------------------------------------
# Forms post to CVPlus, which may redirect to Stripe's hosted Checkout and customer portal (browsers apply
# form-action to the redirect too); a test or stripe-mock Stripe (STRIPE_API_BASE) serves those pages itself.
_FORM_TARGETS = [SELF, "https://checkout.stripe.com", "https://billing.stripe.com"]
if STRIPE_API_BASE:
    _FORM_TARGETS.append("{0.scheme}://{0.netloc}".format(urlsplit(STRIPE_API_BASE)))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": _FORM_TARGETS,
    },
}
# Browser features CVPlus never uses are off for its pages and anything they could embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No Referer leaves the site (postings' links, Stripe); same-origin pages keep it for CSRF checks over HTTPS.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING"))},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Sign-in protection (issue 11, "auth"): axes logs new failures and lockouts (WARNING), not every check (INFO).
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Experiments and feature flags (issue 14, analytics/experiments/, analytics/flags.py): each process keeps the running
# experiments and the flags this many seconds, so a page never queries them; a change reaches every process within it.
EXPERIMENTS_CACHE_TTL_S = env.int("EXPERIMENTS_CACHE_TTL_S", 10, minimum=0)
FEATURE_FLAGS_CACHE_TTL_S = env.int("FEATURE_FLAGS_CACHE_TTL_S", 10, minimum=0)
