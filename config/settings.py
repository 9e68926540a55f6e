"""Settings for the mentor programs project.

Everything comes from environment variables. With nothing set the project runs
on an embedded default (SQLite, in-process tasks, e-mail on the console) so a
newcomer needs no server; production sets DEBUG=0 and the variables below.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG:
    # Refuse to start rather than run production on a guessable key or open host list.
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
else:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key-not-for-production-use"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's public address (scheme and host, no path) and name, for links and
# names in e-mails, calendar feeds and files, many of them made without a
# request. Required when DEBUG is off (system check mentorship.E001).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# Empty: "Mentor programs", in the reader's language.
SITE_NAME = os.environ.get("SITE_NAME", "")

INSTALLED_APPS = [
    "config.admin_site.AdminConfig",  # django.contrib.admin with its site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_filters",
    "django_htmx",
    "programs",
    "mentorship",
    "sessions_app",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of those that may query: a database outage is a 503 page.
    "programs.outage.DatabaseOutageMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads parameters: PostgreSQL refuses NUL in text.
    "programs.http.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorship.middleware.PrivateResponsesMiddleware",
    "mentorship.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the messages: says when a change's e-mails wait for the broker.
    "programs.tasks_util.QueueNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorship.context_processors.roles",
                "mentorship.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiling off on every connection: this application's statements
        # are short lookups and lists, done in milliseconds, and PostgreSQL's
        # JIT only pays for itself over seconds of CPU. It starts on estimated
        # cost, and complex access filters overestimate: pages spent up to 99%
        # of their time compiling (3.4 of 3.45 s; issue 14). Appended to any
        # `options` the URL already carries (`?options=-c%20...`).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: sign-in still works, without rate limits (programs/cache.py).
            "BACKEND": "programs.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mentor"),
            # An unreachable Redis costs a request a second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Queuing is a nudge (programs/tasks_util.py): with Redis down a request gives
# up publishing within about two seconds and the sweep queues the task later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A message a killed worker held comes back after this (Redis' default is
    # an hour). It must outlast the longest task (11 min with its time limit)
    # and the longest retry countdown (10 min), or a living worker's message
    # would be handed out twice.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1800")),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
# acks_late tasks: a worker reserves one message at a time, so none waits
# unacknowledged behind a long task past the visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
# Reminders are swept from the database on a static schedule (never queued as
# far-future countdowns, which Redis re-delivers after its visibility timeout).
REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "15"))
# A claim older than this is presumed dead and taken again (see
# mentorship/reminders_claims.py); the sender renews it before each digest,
# so it must outlast one digest's send (SMTP times out at 30 s).
REMINDER_LEASE_SECONDS = int(os.environ.get("REMINDER_LEASE_SECONDS", "120"))
CELERY_BEAT_SCHEDULE = {
    "run-reminders": {
        "task": "mentorship.tasks.run_reminders_task",
        "schedule": REMINDER_SWEEP_MINUTES * 60.0,
        # A run that waited longer than its period is superseded by the next.
        "options": {"expires": REMINDER_SWEEP_MINUTES * 60.0},
    }
}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "mentorship.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "mentorship.adapters.AccountAdapter"
# People are imported or invited by coordinators; open sign-up is opt-in.
ACCOUNT_ALLOW_SIGNUP = env_bool("ACCOUNT_ALLOW_SIGNUP", False)
# Sign-up and password reset answer the same whether an address has an
# account or not (that person gets an e-mail instead). For sign-up allauth
# can only do so with mandatory verification (check mentorship.E003).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG and not ACCOUNT_ALLOW_SIGNUP else "mandatory"
)
# A reset asked for an unknown address mails it an invitation to sign up,
# pointless while sign-up is closed.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = ACCOUNT_ALLOW_SIGNUP
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False

# --- E-mail -------------------------------------------------------------------
# Django 6.1's MAILERS (the EMAIL_* settings are deprecated); the environment
# variables keep their familiar EMAIL_* names. In development without an SMTP
# host mail goes to the console; production never prints it (a local MTA on
# localhost:25 unless EMAIL_HOST says otherwise).
_smtp = "django.core.mail.backends.smtp.EmailBackend"
_mail_backend = os.environ.get(
    "EMAIL_BACKEND",
    _smtp
    if os.environ.get("EMAIL_HOST") or not DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
# Each of Django's backends gets the options it requires (the file backend
# refuses to start without a directory); other backends get none.
_mail_options = {
    _smtp: {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 30,
    },
    "django.core.mail.backends.filebased.EmailBackend": {
        "file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail")),
    },
}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options.get(_mail_backend, {})}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mentor-programs@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never served as static files: only a view that checks
# who is asking sends them. Deliverable uploads larger than this are refused.
DELIVERABLE_MAX_UPLOAD_BYTES = int(
    os.environ.get("DELIVERABLE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))
)
# Certificates embed this TrueType font for their Chinese lines (Debian's
# fonts-wqy-microhei); without it they fall back to a non-embedded CID font.
CERTIFICATE_FONT = os.environ.get(
    "CERTIFICATE_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs collectstatic; development and tests serve files as they are.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Roster files longer than this are previewed and imported by a background
# task, the page following its progress (mentorship/roster_imports.py).
ROSTER_IMPORT_ASYNC_ROWS = int(os.environ.get("ROSTER_IMPORT_ASYNC_ROWS", "300"))

# --- Security -----------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A proxy that terminates TLS sets SECURE_SSL_REDIRECT=0 and forwards the scheme.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Demo data ----------------------------------------------------------------
DEMO_PASSWORD = "demo-pass-2026"
