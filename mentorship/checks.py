"""System checks of the settings an operator must get right
(``manage.py check``; the cache one with ``--deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def site_url_check(app_configs, **kwargs):
    url = settings.SITE_URL
    if not url:
        if settings.DEBUG:
            return []
        return [
            Error(
                "SITE_URL must be set when DEBUG is off.",
                hint="The site's public address, such as https://mentors.example.edu: "
                "links in e-mails, calendar feeds and files use it.",
                id="mentorship.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
        return [
            Error(
                f"SITE_URL {url!r} is not a scheme and a host.",
                hint="Such as https://mentors.example.edu, without a path.",
                id="mentorship.E002",
            )
        ]
    return []


@register()
def signup_enumeration_check(app_configs, **kwargs):
    # allauth can hide that an address has an account only by mailing it.
    if settings.ACCOUNT_ALLOW_SIGNUP and settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return [
            Error(
                "Open sign-up needs ACCOUNT_EMAIL_VERIFICATION=mandatory.",
                hint="Otherwise the sign-up form tells anyone which addresses have an account.",
                id="mentorship.E003",
            )
        ]
    return []


@register(deploy=True)
def shared_cache_check(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            Warning(
                "The cache is local to each process.",
                hint="Set REDIS_URL: the limits on failed sign-ins are counted in the cache, "
                "and each web process (and each restart) would count from zero.",
                id="mentorship.W001",
            )
        ]
    return []
