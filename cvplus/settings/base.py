"""Settings shared by every environment. Values come from the environment through :data:`cvplus.env.env`."""

from __future__ import annotations

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
# | predictions           | yes           | yes            | global models in public; tenant-trained ones per tenant |
# | billing               | yes           | no             | plans, Stripe customers/subscriptions/events, contracts |
# | django_celery_beat    | yes           | no             | one beat schedule; the dispatcher fans out per tenant   |
# ---------------------------------------------------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "modeltranslation",  # must precede django.contrib.admin
    "tenants",
    "accounts",
    "market",
    "predictions",
    "billing",
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
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "tracking",
    "predictions",
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

MIDDLEWARE = [
    "tenants.middleware.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.TenantLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
# Persistent connections: opening one per request cost ~10 ms (bench/tenants.py); health checks drop dead ones.
_database.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", 60, minimum=0))
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

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL.rsplit("/", 1)[0] + "/1" if REDIS_URL.count("/") >= 3 else REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "TIMEOUT": 300,
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
CELERY_TASK_ROUTES = {"predictions.tasks.*": {"queue": "training"}}
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 6 * 3600,
        "args": ("accounts.tasks.sessions_clear_expired",),
    },
    "send-due-reminders-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 60,
        "args": ("tracking.tasks.reminders_due_dispatch",),
    },
    "flag-likely-ghosted-applications-in-every-tenant": {
        "task": "tenants.tasks.tenants_dispatch",
        "schedule": 6 * 3600,
        "args": ("tracking.tasks.applications_flag_likely_ghosted",),
    },
    # Licensee API calls are metered in Redis and recorded in PostgreSQL by this flush (billing/metering.py).
    "flush-licensee-api-usage": {"task": "billing.tasks.api_usage_flush", "schedule": 10},
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
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "CVPlus <no-reply@cvplus.localhost>")

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
STATIC_ROOT = BASE_DIR / "staticfiles"
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
        "SalaryEmploymentTypeEnum": "predictions.api.SALARY_EMPLOYMENT_TYPES",
    },
}

# Uploads: checked by content and bounded before anything is parsed (tracking/cv/).
CV_MAX_UPLOAD_BYTES = env.int("CV_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------------------------------------------------
# Stripe (the billing issue uses these; empty means billing is not configured).
# ---------------------------------------------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env.prefixed_secret("STRIPE_SECRET_KEY", ("sk_", "rk_"))
STRIPE_PUBLISHABLE_KEY = env.prefixed_secret("STRIPE_PUBLISHABLE_KEY", ("pk_",))
STRIPE_WEBHOOK_SECRET = env.prefixed_secret("STRIPE_WEBHOOK_SECRET", ("whsec_",))
# Another Stripe API address, e.g. Stripe's own stripe-mock, or the browser tests' fake; empty means api.stripe.com.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING"))},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
