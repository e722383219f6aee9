"""Settings shared by every environment. Values that differ per deployment come from the
environment (django-environ); the environment-specific modules only change defaults."""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is read for convenience; a deployment sets real environment variables.
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "wijkaanpak.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    # Shared foundation
    "pagecache",
    "audit",
    "notices",
    "places",
    "people",
    # Domain
    "cycle",
    "participation",
    "budgets",
    # The published record, above the domain apps
    "publication",
    # The open interfaces (REST, Open311, open data), above everything they expose
    "api",
]

MIDDLEWARE = [
    # First, so every response (redirects and errors too) carries the id its log lines have.
    "wijkaanpak.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the Permissions-Policy too.
    "wijkaanpak.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers requires; see CORS_* below.
    "corsheaders.middleware.CorsMiddleware",
    "wijkaanpak.middleware.LanguageCookieMiddleware",
    # Below /api/: Accept-Language chooses the language (a program sends no cookie).
    "api.middleware.ApiAcceptLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A GET or HEAD reads the version of the kept pages and fragments once.
    "pagecache.middleware.ReadOnlyRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wijkaanpak.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "wijkaanpak.wsgi.application"

# Persistent connections: opening one costs more than most of our pages' queries together.
DATABASE_CONNECTION = {
    "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=60),
    "CONN_HEALTH_CHECKS": True,
    # A form's choices (``ModelChoiceField``) are read with ``iterator()``: without this, each
    # select costs a server-side cursor (DECLARE, FETCH, CLOSE) for a few dozen rows. It is
    # also what a transaction-pooling PgBouncer in front of PostgreSQL requires.
    "DISABLE_SERVER_SIDE_CURSORS": True,
}
DATABASES = {
    "default": {
        **env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        **DATABASE_CONNECTION,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate while an account or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
CSRF_FAILURE_VIEW = "wijkaanpak.views.csrf_failure"
# Login throttling (django-axes, state in the database): after AXES_FAILURE_LIMIT wrong
# passwords in a row, sign-in is locked for that account, and separately for that address,
# for AXES_COOLOFF_MINUTES. Behind a proxy, set AXES_IPWARE_PROXY_COUNT so the client's
# address is read from X-Forwarded-For and not the proxy's.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "people.throttling.username"
AXES_LOCKOUT_CALLABLE = "people.views.lockout"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
AXES_VERBOSE = False
# A password link works for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "mijn-werk"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded files and rendered documents; in docker compose a named volume shared by web and
# worker, because the worker writes what the web process serves.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Meldingen: submissions (and supports) per client address, a django-ratelimit rate. The
# counters live in the default cache, which must be shared by all web processes (Redis in
# production) and support atomic increments.
MELDING_RATE = env("MELDING_RATE", default="5/h")
# Sign-ups per client address (each address also gets one mail per five minutes at most).
AANMELD_RATE = env("AANMELD_RATE", default="10/h")
RATELIMIT_USE_CACHE = "default"

# The REST API (api app). Keys per user (api.models.ApiSleutel) or the browser's session;
# throttled per key and per address (rates from the environment); cursor pagination; errors as
# problem+json.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiSleutelAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerAdres", "api.throttling.PerSleutel"],
    "DEFAULT_THROTTLE_RATES": {
        "adres": env("API_RATE_ADRES", default="120/min"),
        "sleutel": env("API_RATE_SLEUTEL", default="600/min"),
    },
    # None would make DRF trust X-Forwarded-For as sent (any client could pick its address).
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT or 0,
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortaalSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkaanpak Rotterdam API",
    "DESCRIPTION": "Open data en koppelingen van het wijkaanpak-portaal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets that several fields share, or that share a field name, get one name each.
    "ENUM_NAME_OVERRIDES": {
        "ParticipatieniveauEnum": "cycle.models.Participatieniveau",
        "MeldingstatusEnum": "participation.models.Meldingstatus",
        "UitvoeringsstatusEnum": "cycle.models.Uitvoeringsstatus",
        "MeldingstatusfilterEnum": "api.v1.filters.MELDING_STATUSSEN",
        "ProductsoortEnum": "publication.models.SOORTEN",
        "BijeenkomstsoortEnum": "participation.models_bijeenkomsten.Soort",
    },
}
# Cross-origin reads of the open interfaces only: any origin may GET them, nobody may write
# across origins (no credentials, no unsafe methods).
CORS_URLS_REGEX = r"^/(api/v1|open311/v2|open-data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Strict Content-Security-Policy: every asset is served from our own origin, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Permissions-Policy (wijkaanpak.middleware.SecurityHeadersMiddleware): the portal uses none
# of these browser features, so no page, nor anything injected into one, may use them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="wijkaanpak@rotterdam.example")

# Celery: JSON only, bounded task time; each task decides on acks_late (idempotent ones only).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep LOGGING below (JSON lines) in the worker and beat too, instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The notices outbox: beat sweeps every minute for what the kick after a commit missed (broker
# down) or a dead worker left half-sent. A sweep not picked up within the minute is dropped,
# so a queue that was down for an hour does not deliver sixty of them at once.
CELERY_BEAT_SCHEDULE = {
    "notices-sweep": {
        "task": "notices.tasks.send_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "publicaties-pdf-sweep": {
        "task": "publication.tasks.pdf_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "meldingen-bewaartermijn": {
        "task": "participation.tasks.bewaartermijn",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    # Followers of initiatives: the fan-out a kick missed, and unconfirmed addresses.
    "volgberichten-sweep": {
        "task": "participation.tasks.volgberichten_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Residents: the weekly overview of notifications (Monday 07:00; a second run in the
    # same week sends nothing), and sign-ups never confirmed.
    "notificaties-weekoverzicht": {
        "task": "people.tasks.weekoverzichten",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
        "options": {"expires": 6 * 60 * 60},
    },
    "aanmeldingen-opruimen": {
        "task": "people.tasks.aanmeldingen_opruimen",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    "volgers-bewaartermijn": {
        "task": "participation.tasks.volgers_bewaartermijn",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    # Consultations open and close on their dates by themselves, shortly after midnight.
    "consultaties-bijwerken": {
        "task": "participation.tasks.consultaties_bijwerken",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
}
# How long a worker's claim on a notice it is sending lasts; after that a sweep takes it over.
# Longer than the send task's hard time limit, so a live worker never loses a notice mid-send.
NOTICE_LEASE_SECONDS = env.int("NOTICE_LEASE_SECONDS", default=5 * 60)
# Attempts (backing off exponentially from one minute) before a notice is marked failed.
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=8)
# How long a worker's claim on a publication whose PDF it renders lasts; after that the sweep
# hands the version to another worker. Longer than the render task's hard time limit (150 s).
PUBLICATIE_CLAIM_SECONDS = env.int("PUBLICATIE_CLAIM_SECONDS", default=5 * 60)

# The cache of rendered public pages (pagecache): Redis in production (DJANGO_CACHE_URL, e.g.
# redis://redis:6379/1), process memory otherwise. Keys carry the public version that every
# state change bumps in its own transaction, so the timeout only frees memory; it never decides
# whether a page is current.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", "wijkaanpak")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, with one client per connection pool instead of one per operation.
    CACHES["default"]["BACKEND"] = "wijkaanpak.cache.RedisCache"
PAGE_CACHE_ALIAS = "default"
# Sessions are written to the database and read from the cache: durable, and a signed-in page
# costs no query for its session (any web node can serve any user).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 60 * 60)

# Absolute address of the portal, for links in e-mail.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# Demo accounts are listed on the login page only where a settings module turns this on.
SHOW_DEMO_ACCOUNTS = False
# Whether load_demo may fill this database with demo accounts and cycles.
DEMO_DATA_ALLOWED = False
# Whether load_scale may fill this database with a generated city (tens of thousands of
# accounts and cycles). Off unless a settings module turns it on; a benchmark that runs the
# production settings against its own throwaway database sets WIJKAANPAK_ALLOW_SCALE_DATA=1.
SCALE_DATA_ALLOWED = env.bool("WIJKAANPAK_ALLOW_SCALE_DATA", default=False)

# One JSON object per line on standard output, each with the id of the request it belongs to
# (wijkaanpak.middleware.RequestIdMiddleware), so a log collector can parse and join them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "wijkaanpak.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, which every log collector parses without configuration.
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # The access log: one line per request, whatever the root level.
        "wijkaanpak.request": {"level": env("DJANGO_REQUEST_LOG_LEVEL", default="INFO")},
        # Django's defaults give these loggers plain-text handlers of their own: drop them, so
        # their records reach standard output once, as JSON, at the root's level.
        "django": {"handlers": [], "level": "NOTSET"},
        # runserver's request lines would duplicate the access log: only its errors.
        "django.server": {"handlers": [], "level": "WARNING"},
    },
}
