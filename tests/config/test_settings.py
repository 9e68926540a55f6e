import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = "k7#Qe9!vR2$wX5@zL8^bN1&cM4*dF6(gH3)jP0_sT-yU+iO=aE"


def manage(*args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY=LONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def deploy_check(**env):
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=LONG_KEY,
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        **env,
    )


def test_deploy_check_passes_with_production_settings():
    result = deploy_check(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "sqlite3"),
        ({"DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}, "postgresql"),
    ],
)
def test_database_follows_database_url(env, expected):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default'].get('CONN_MAX_AGE'),"
        " s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CACHES['default']['BACKEND'])"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    ).stdout
    assert expected in out
    if expected == "postgresql":
        assert "60 True" in out
    # No REDIS_URL: tasks in-process and a local-memory cache.
    assert "True django.core.cache.backends.locmem.LocMemCache" in out


def test_production_security_headers(settings):
    from django.conf import settings as live

    assert live.USE_TZ and live.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _ in live.LANGUAGES] == ["en", "zh-hans"]
    assert "'unsafe-inline'" not in " ".join(live.SECURE_CSP["script-src"])


def test_production_accounts_need_verified_email_and_no_open_signup():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.ACCOUNT_EMAIL_VERIFICATION, s.ACCOUNT_ALLOW_SIGNUP, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    env = {**base, "DEBUG": "0", "SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "example.org"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.stdout.split() == ["mandatory", "False", "True", "True", "True", "True"]
    behind_proxy = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "SECURE_SSL_REDIRECT": "0"},
        capture_output=True,
        text=True,
    )
    assert behind_proxy.stdout.split()[4] == "False"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "console.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "587"}, "smtp.EmailBackend"),
    ],
)
def test_mail_goes_through_mailers_without_deprecated_settings(env, expected):
    # Django 6.1 deprecates EMAIL_*: the environment fills MAILERS instead, and
    # sending through the default mailer raises no deprecation warning.
    code = (
        "import django, os, warnings; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "warnings.simplefilter('error', DeprecationWarning); django.setup();"
        "from django.core.mail import mailers; m = mailers.default;"
        "print(type(m).__module__ + '.' + type(m).__name__, getattr(m, 'host', ''),"
        " getattr(m, 'port', ''))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout
    if env:
        assert "smtp.example.org 587" in run.stdout


@pytest.mark.parametrize(
    "signup, expected",
    [("0", ["optional", "False"]), ("1", ["mandatory", "True"])],
)
def test_open_signup_makes_verification_mandatory(signup, expected):
    # allauth hides whether an address has an account only with mandatory
    # verification; unknown addresses are told about sign-up only when it is open.
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.ACCOUNT_EMAIL_VERIFICATION, s.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS,"
        " s.ACCOUNT_PREVENT_ENUMERATION)"
    )
    dropped = {"DEBUG", "ACCOUNT_ALLOW_SIGNUP", "ACCOUNT_EMAIL_VERIFICATION"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "ACCOUNT_ALLOW_SIGNUP": signup},
        capture_output=True,
        text=True,
    )
    assert run.stdout.split() == [*expected, "True"], run.stderr


def test_production_needs_site_url():
    result = manage("check", DEBUG="0", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "mentorship.E001" in result.stderr


def test_deploy_check_wants_a_shared_cache():
    result = deploy_check(REDIS_URL="")
    assert result.returncode != 0
    assert "mentorship.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "backend",
    ["smtp", "console", "filebased", "locmem", "dummy"],
)
def test_every_email_backend_starts(backend, tmp_path):
    """EMAIL_BACKEND may name any of Django's backends: each gets the options
    it requires (the file backend its directory, EMAIL_FILE_PATH) and starts."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "django.setup();"
        "from django.core import mail;"
        "connection = mail.mailers['default'];"
        "print(type(connection).__module__);"
        "import sys; sys.exit(0) if 'smtp' in type(connection).__module__ else None;"
        "mail.EmailMessage('s', 'b', 'a@example.org', ['b@example.org']).send()"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env["EMAIL_BACKEND"] = f"django.core.mail.backends.{backend}.EmailBackend"
    env["EMAIL_FILE_PATH"] = str(tmp_path / "outbox")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"backends.{backend}" in result.stdout
    if backend == "filebased":
        assert len(list((tmp_path / "outbox").iterdir())) == 1


def test_with_redis_the_cache_fails_open_and_lost_messages_come_back_within_half_an_hour():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], s.REMINDER_LEASE_SECONDS)"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.split()
    # Redis down: sign-in works, not rate-limited (programs/cache.py).
    assert out == ["programs.cache.FailOpenRedisCache", "False", "1800", "120"]
