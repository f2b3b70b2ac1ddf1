"""Settings for the Observatorio, read from environment variables.

Every variable is listed with a comment in ``.env.example``. With none set, the
project runs on an embedded SQLite database in ``var/`` with DEBUG on: one can
check out the code and it works. Production sets ``OBSERVATORIO_DEBUG=0``,
``OBSERVATORIO_SECRET_KEY``, ``OBSERVATORIO_ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from observatorio.ratelimit.clients import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OBSERVATORIO_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "si", "sí"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} debe ser 1/0, true/false, yes/no u on/off; vale {raw!r}.")


def envint(name: str, default: int) -> int:
    """Read an integer variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} debe ser un número entero; vale {raw!r}.") from exc


def envlist(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("OBSERVATORIO_DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("OBSERVATORIO_SECRET_KEY", "").strip()
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "Con OBSERVATORIO_DEBUG=0 hay que definir OBSERVATORIO_SECRET_KEY "
            "(al menos 50 caracteres aleatorios)."
        )
    # A per-checkout random key, so that no deployment ever runs on a key
    # published in the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Without OBSERVATORIO_REGISTRY_KEYS the registry derives its keys from SECRET_KEY, in
# development only (registry/crypto.py); a deployment must set them.
REGISTRY_DEV_KEYS = DEBUG
ALLOWED_HOSTS = envlist("OBSERVATORIO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("OBSERVATORIO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django REST framework is used without being an installed app: its Spanish catalogue
    # would replace Django's own messages site-wide ("Este campo es obligatorio." became
    # "Este campo es requerido." in every web form). The API's messages are the project's
    # (observatorio/api/fields.py, errors.py). It would only add the browsable API.
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "observatorio.ratelimit",
    "observatorio.lib",
    "observatorio.catalog",
    "observatorio.accounts",
    "observatorio.notifications",
    "observatorio.sources",
    "observatorio.programs",
    "observatorio.practices",
    "observatorio.coordination",
    "observatorio.registry",
    "observatorio.indicators",
    "observatorio.portal",
    "observatorio.importers",
    "observatorio.published",
    "observatorio.assist",
    "observatorio.publications",
    "observatorio.api",
]

MIDDLEWARE = [
    # Content-Security-Policy on every answer, Vary and Cache-Control by who asks; then NUL
    # and control characters refused in addresses and parameters
    # (observatorio/lib/middleware.py).
    "observatorio.lib.middleware.ResponseHeadersMiddleware",
    "observatorio.lib.middleware.RequestHygieneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'observatorio.sqlite3'}",
        conn_max_age=envint("OBSERVATORIO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the portal read while an import or a job writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Long jobs (compendium and factsheet generation). In production (DEBUG off) they are queued
# in the database (django-tasks-db) and run by `observatorio db_worker`, a second process; in
# development and tests they run at once inside the request, so `make run` stays one command.
# OBSERVATORIO_TASKS ("database" or "immediate") overrides the choice.
TASKS_MODE = os.environ.get("OBSERVATORIO_TASKS", "immediate" if DEBUG else "database")
if TASKS_MODE not in ("database", "immediate"):
    raise ImproperlyConfigured("OBSERVATORIO_TASKS debe ser «database» o «immediate».")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_MODE == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

LOGIN_URL = "accounts:login"
# Each user lands on their own work (observatorio/programs/views_cycles.py, my_work).
LOGIN_REDIRECT_URL = "reports:work"
LOGOUT_REDIRECT_URL = "portal:home"

# The model backend behind the log-in throttle (observatorio/accounts/throttle.py: the policy).
AUTHENTICATION_BACKENDS = ["observatorio.accounts.backends.ThrottledModelBackend"]
LOGIN_THROTTLE = {
    # Failures counted over the last WINDOW seconds.
    "WINDOW": 15 * 60,
    # Failures after which a (username, address) pair, or an address whatever the
    # usernames, is locked for LOCKOUT seconds.
    "PAIR_FAILURES": 5,
    "ADDRESS_FAILURES": 20,
    "LOCKOUT": 15 * 60,
    # A username is never locked: from this attempt on (from any address) each attempt
    # holds it for 1, 2, 4 … seconds, at most USERNAME_MAX_DELAY.
    "USERNAME_SLOWDOWN_AFTER": 10,
    "USERNAME_MAX_DELAY": 60,
}

# Reverse proxies whose X-Forwarded-For is believed, as addresses or networks, for the
# client address of the log-in throttle and of the API's rates
# (observatorio/ratelimit/clients.py). Production's default: gunicorn on the loopback
# behind a reverse proxy on the same machine. Empty: no proxy, REMOTE_ADDR is the client.
TRUSTED_PROXIES = [
    str(network)
    for network in parse_networks(
        os.environ.get("OBSERVATORIO_TRUSTED_PROXIES", "" if DEBUG else "127.0.0.1,::1")
    )
]

# One cache shared by every worker process, in a table of the database (created by
# `observatorio bootstrap`, and by Django in the test database): no extra service. Rate
# limits do not use it (observatorio/ratelimit/counters.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "observatorio_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Spanish (Mexico) first, English second.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español (México)")), ("en", _("Inglés"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
# Off: with it on, every id, year and number printed into a URL, a form value or a
# CSV would carry commas ("2,023"). Templates format display numbers explicitly.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# The public address written into open-data releases (absolute URLs of pages and files).
PUBLIC_URL = os.environ.get("OBSERVATORIO_PUBLIC_URL", "http://127.0.0.1:8000/")
# Files served at the site's root (favicon.ico, which browsers ask for there).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# In development whitenoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Where the bundled source documents live (copies of the public originals).
SOURCE_DATA_DIR = BASE_DIR / "data" / "sources"

# Security: strict whenever DEBUG is off. Behind a reverse proxy that
# terminates TLS, the proxy must set X-Forwarded-Proto.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("OBSERVATORIO_SESSION_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# No script reads the CSRF token from the cookie: forms carry it.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("OBSERVATORIO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("OBSERVATORIO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("OBSERVATORIO_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("OBSERVATORIO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OBSERVATORIO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- E-mail (deadline reminders) ------------------------------------------------------
# Without variables, messages are printed on the console (development). Production sets
# OBSERVATORIO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP server.
# An empty variable counts as unset.
EMAIL_BACKEND = (
    os.environ.get("OBSERVATORIO_EMAIL_BACKEND", "").strip()
    or "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("OBSERVATORIO_EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = envint("OBSERVATORIO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("OBSERVATORIO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OBSERVATORIO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("OBSERVATORIO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30  # seconds; an unreachable server must not hang the daily job
DEFAULT_FROM_EMAIL = (
    os.environ.get("OBSERVATORIO_DEFAULT_FROM_EMAIL", "").strip()
    or "Observatorio <no-responder@localhost>"
)
# --- end of e-mail settings -----------------------------------------------------------

# --- REST API (/api/v1/, observatorio/api/) --------------------------------------------
# Reads are public (published data); writes need a user's token (`Authorization: Token …`,
# observatorio/accounts ApiToken). Rates are per client address (anonymous; TRUSTED_PROXIES
# above) or per user, counted in the database by one statement per request
# (observatorio/api/throttles.py).
# No CORS headers are sent: browsers on other origins cannot call the API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["observatorio.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["observatorio.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["observatorio.api.parsers.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "observatorio.api.throttles.AnonThrottle",
        "observatorio.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("OBSERVATORIO_API_ANON_RATE", "").strip() or "120/minute",
        "user": os.environ.get("OBSERVATORIO_API_USER_RATE", "").strip() or "1200/minute",
    },
    "DEFAULT_PAGINATION_CLASS": "observatorio.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "observatorio.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "observatorio.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API del Observatorio",
    "DESCRIPTION": _(
        "Programas y acciones alineados a los 23 objetivos del Pacto Mundial para la "
        "Migración, buenas prácticas y catálogos del Observatorio. La lectura es pública "
        "(solo datos publicados); crear y editar reportes y moverlos en el flujo de revisión "
        "requiere un token personal: `Authorization: Token <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies keep their own required fields (a report's version).
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "MarkEnum": "observatorio.practices.models.Mark",
        "KindEnum": "observatorio.indicators.models.Indicator.Kind",
        "BodyKindEnum": "observatorio.coordination.models.Body.Kind",
        "SessionKindEnum": "observatorio.coordination.models.Session.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "observatorio.api.schema.postprocess",
    ],
}
# --- end of REST API settings ---------------------------------------------------------

# The largest file of attention records `aggregate_records` reads (indicators/records.py):
# ten million records are about 0.7 GB of CSV and 0.1 GB of Parquet.
RECORDS_MAX_BYTES = envint("OBSERVATORIO_RECORDS_MAX_MB", 1536) * 2**20
