"""Cairn's one settings module, read from the environment.

DATABASE_URL selects PostgreSQL (production, CI); without it Cairn uses an embedded SQLite file.
SECRET_KEY must be set in production; `cairn demo` generates one for the demo.

Transport security is on unless switched off: HTTPS redirect, secure cookies and HSTS apply
except under CAIRN_DEBUG=1 or CAIRN_PLAIN_HTTP=1 (the demo, served over http on 127.0.0.1).
Behind a TLS-terminating proxy set CAIRN_BEHIND_PROXY=1: the proxy's X-Forwarded-Proto says
the request was https and its X-Forwarded-For gives the client's address (for sign-in lockouts
and the audit trail). README.md lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CAIRN_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("CAIRN_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-development-key-only" if DEBUG or os.environ.get("CAIRN_ALLOW_DEV_KEY") else ""
)
UNSET_SECRET_KEY_PREFIX = "cairn-unset-"  # `cairn check --deploy` warns (core.checks)
if not SECRET_KEY:
    # Tests, commands and the demo all pass a key; a server must never run with a known one.
    SECRET_KEY = UNSET_SECRET_KEY_PREFIX + os.urandom(24).hex()



def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Only needed when the browser's origin differs from the host Django sees (e.g. another port).
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # Background work (a return built or checked): its queue is a table in Cairn's database.
    "django_tasks",
    "django_tasks_db",
    # The journey, in order, then the cross-cutting concerns.
    "cairn.core",
    "cairn.workforce",
    "cairn.people",
    "cairn.access",
    "cairn.casework",
    "cairn.frontdoor",
    "cairn.protection",
    "cairn.legal",
    "cairn.care",
    "cairn.permanence",
    "cairn.leaving_care",
    "cairn.fostering",
    "cairn.oversight",
    "cairn.insight",
    "cairn.returns",
    "cairn.inspection",
    "cairn.synth",
]

MIDDLEWARE = [
    "cairn.core.middleware.SlowRequests",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cairn.core.middleware.NoStoreForCaseRecords",
    "cairn.core.middleware.SaveOnce",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"
AUTH_USER_MODEL = "workforce.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out sign-in before any password is checked, for
# Cairn's sign-in page and the admin site's alike (both call authenticate()).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.access.context_processors.cairn",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'cairn.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's server workers read while another writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE) serve PostgreSQL's large authorities; SQLite builds the same
    # indexes without the extra columns, which is all the demo needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "CAIRN_STATIC_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Figures counted over a service or the authority, kept in each server process until the
# record changes (insight.dashboard; core.changes). Nothing else is cached.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "default"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "figures", "TIMEOUT": 24 * 60 * 60,
                "OPTIONS": {"MAX_ENTRIES": 5000}},
}

# Sessions end after inactivity; drafts keep what was typed (core.Draft).
SESSION_COOKIE_AGE = int(os.environ.get("CAIRN_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Transport: secure unless debugging or explicitly serving plain http (the demo on 127.0.0.1).
PLAIN_HTTP = DEBUG or _flag("CAIRN_PLAIN_HTTP", False)
SECURE_SSL_REDIRECT = not PLAIN_HTTP
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else int(os.environ.get("CAIRN_HSTS_SECONDS", 365 * 86400))
# Cairn's host and anything under it are HTTPS only; preload asks browsers to know that before
# the first visit (it takes effect only if the domain is submitted to the preload list).
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("CAIRN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("CAIRN_HSTS_PRELOAD", True)
BEHIND_PROXY = _flag("CAIRN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Trusted only behind a proxy that sets the header itself: a client could send it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in throttling (django-axes). An account is locked after CAIRN_SIGNIN_ACCOUNT_LIMIT failed
# sign-ins from anywhere, an address after CAIRN_SIGNIN_ADDRESS_LIMIT failures for any accounts
# (higher: a council's staff may share one address), each for CAIRN_SIGNIN_LOCK_MINUTES from the
# last failure. Counted separately (core.signin.LockoutHandler), so guessing one account from
# many addresses and many accounts from one address are both stopped.
AXES_ENABLED = True
AXES_HANDLER = "cairn.core.signin.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("CAIRN_SIGNIN_ACCOUNT_LIMIT", 5))
CAIRN_SIGNIN_ADDRESS_LIMIT = int(os.environ.get("CAIRN_SIGNIN_ADDRESS_LIMIT", 30))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CAIRN_SIGNIN_LOCK_MINUTES", 15)))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cairn.core.signin.locked_out"
# Cairn's own audit trail records every sign-in (core.signin); axes keeps only its counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Locks are listed and lifted in the admin site through Cairn's audited admin (core.admin).
AXES_ENABLE_ADMIN = False
# The client's address: REMOTE_ADDR, or behind CAIRN_PROXY_COUNT proxies the address the first
# of them saw (core.signin.client_address).
AXES_CLIENT_IP_CALLABLE = "cairn.core.signin.client_address"
CAIRN_PROXY_COUNT = int(os.environ.get("CAIRN_PROXY_COUNT", 1)) if BEHIND_PROXY else 0

# The authority Cairn serves: names the returns (ONS code, DfE LA number).
CAIRN_AUTHORITY = {
    "name": os.environ.get("CAIRN_LA_NAME", "Cairnshire"),
    "la_number": os.environ.get("CAIRN_LA_NUMBER", "931"),
    "ons_code": os.environ.get("CAIRN_ONS_CODE", "E10000025"),
    # Set by the administrator (not the demo's default): an import of another authority's
    # return is refused rather than adopted (returns.importers).
    "configured": bool(os.environ.get("CAIRN_LA_NUMBER") or os.environ.get("CAIRN_ONS_CODE")),
}

# A refused request (403, 404, a bad host) is one line with the path and the user's id; only
# server errors keep their traceback (core.logs.RefusalsOnOneLine).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A request slower than this is logged on one line (core.middleware.SlowRequests).
CAIRN_SLOW_REQUEST_SECONDS = float(os.environ.get("CAIRN_SLOW_REQUEST_SECONDS", 10))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "cairn.core.logs.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "loggers": {"django.request": {"filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAIRN_LOG_LEVEL", "WARNING")},
}
