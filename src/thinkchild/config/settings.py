"""The one settings module. Every value that differs between machines comes from the environment.

Safe defaults are the production ones: DEBUG off, secure cookies, HSTS. `make run` and the test
suite opt in to the development and demo behaviour through THINKCHILD_* variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root (src/thinkchild/config/..)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
VAR_DIR = Path(os.environ.get("THINKCHILD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("THINKCHILD_DEBUG")
# Demo mode creates the demo users and shows their logins; production refuses to start in it.
DEMO_MODE = env_bool("THINKCHILD_DEMO")

SECRET_KEY = os.environ.get("THINKCHILD_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE:
        # Development only: a key that changes with the machine is good enough, and never shipped.
        SECRET_KEY = "dev-insecure-" + str(BASE_DIR)
    else:
        raise ImproperlyConfigured(
            "THINKCHILD_SECRET_KEY is not set. Production needs a long random secret key "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )

ALLOWED_HOSTS = env_list("THINKCHILD_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("THINKCHILD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    # ground
    "thinkchild.org",
    "thinkchild.access",
    "thinkchild.scheduling",
    # core
    "thinkchild.people",
    "thinkchild.incidents",
    "thinkchild.standards",
    "thinkchild.investigations",
    "thinkchild.missing",
    # faces and readers
    "thinkchild.interchange",
    "thinkchild.api",
    "thinkchild.web",
    "thinkchild.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thinkchild.org.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "thinkchild.access.middleware.AccessContextMiddleware",
    "thinkchild.access.middleware.IdleSessionMiddleware",
    "thinkchild.access.middleware.AccessDeniedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thinkchild.config.urls"
WSGI_APPLICATION = "thinkchild.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thinkchild.web.context_processors.navigation",
            ],
        },
    },
]
# Django's form API renders every field with the GOV.UK templates in web/templates/govuk/forms/.
FORM_RENDERER = "thinkchild.web.forms.GovUKFormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default (WAL, immediate transactions); PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("THINKCHILD_SQLITE_PATH", str(VAR_DIR / "thinkchild.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": os.environ.get("THINKCHILD_SQLITE_TEST_PATH") or None},
        }
    }
    # The file's folder (var/ on a fresh clone) is made here: SQLite makes the file, not the
    # folder, and without it every command stopped with "unable to open database file".
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("THINKCHILD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Sign-in and sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "org:sign_in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "org:sign_in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "thinkchild.org.passwords.NotDemoPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("THINKCHILD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("THINKCHILD_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "org/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes.W006 asks for IP-based lockout too. We lock the account by username whatever the IP, so
# rotating addresses gains an attacker nothing, while an IP lockout would shut out a whole police
# station behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Change history is read by record id (access/history.py); an index on its date would be written
# for every change and imported record and read by nothing (docs/decisions/0008).
SIMPLE_HISTORY_DATE_INDEX = False

# Notifications by email (standards): printed to the console in demo mode and development, sent by
# SMTP otherwise (Django 6.1 mailers).
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
_MAIL_BACKEND = os.environ.get(
    "THINKCHILD_EMAIL_BACKEND", _CONSOLE if DEMO_MODE or DEBUG else _SMTP
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("THINKCHILD_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("THINKCHILD_SMTP_PORT", "25")),
        }
        if _MAIL_BACKEND == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("THINKCHILD_FROM_EMAIL", "thinkchild@localhost")

# Roles that must pass TOTP two-factor authentication (comma-separated org.Role values).
TWO_FACTOR_ROLES = env_list("THINKCHILD_TWO_FACTOR_ROLES", "ppu_lead,system_admin")
OTP_TOTP_ISSUER = "Think Child"

SESSION_IDLE_SECONDS = int(os.environ.get("THINKCHILD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Transport security: on unless DEBUG ------------------------------------------------------
SECURE_TLS = not DEBUG and not env_bool("THINKCHILD_INSECURE_HTTP")
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
SECURE_SSL_REDIRECT = SECURE_TLS and not env_bool("THINKCHILD_BEHIND_TLS_PROXY_NO_REDIRECT")
SECURE_HSTS_SECONDS = 31536000 if SECURE_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_TLS
SECURE_HSTS_PRELOAD = SECURE_TLS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("THINKCHILD_TRUST_X_FORWARDED_PROTO") else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Django 6's built-in Content Security Policy: no inline script, no inline style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("THINKCHILD_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("THINKCHILD_PLAIN_STATIC")

# --- Locale and time (architecture §7: store UTC, show Europe/London) -------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THINKCHILD_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Think Child ------------------------------------------------------------------------------
THINKCHILD_FORCE_NAME = os.environ.get("THINKCHILD_FORCE_NAME", "Think Child")
NINJA_PAGINATION_PER_PAGE = 50
