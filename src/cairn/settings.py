"""Cairn's one settings module, read from the environment.

DATABASE_URL selects PostgreSQL (production, CI); without it Cairn uses an embedded SQLite file.
SECRET_KEY must be set in production; `cairn demo` generates one for the demo.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CAIRN_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("CAIRN_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-development-key-only" if DEBUG or os.environ.get("CAIRN_ALLOW_DEV_KEY") else ""
)
if not SECRET_KEY:
    # Tests, commands and the demo all pass a key; a server must never run with a known one.
    SECRET_KEY = "cairn-unset-" + os.urandom(24).hex()

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cairn.core.middleware.NoStoreForCaseRecords",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"
AUTH_USER_MODEL = "workforce.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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

# Sessions end after inactivity; drafts keep what was typed (core.Draft).
SESSION_COOKIE_AGE = int(os.environ.get("CAIRN_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The authority Cairn serves: names the returns (ONS code, DfE LA number).
CAIRN_AUTHORITY = {
    "name": os.environ.get("CAIRN_LA_NAME", "Cairnshire"),
    "la_number": os.environ.get("CAIRN_LA_NUMBER", "931"),
    "ons_code": os.environ.get("CAIRN_ONS_CODE", "E10000025"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAIRN_LOG_LEVEL", "WARNING")},
}
