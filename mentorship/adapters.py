from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from .emails import on_site, site_name

# The links in allauth's e-mails (password reset, address confirmation,
# "you already have an account").
LINK_KEYS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People are imported or invited by coordinators; sign-up is opt-in.
        return settings.ACCOUNT_ALLOW_SIGNUP

    def get_login_redirect_url(self, request):
        return reverse("home")

    def format_email_subject(self, subject):
        # Not the Site row ("example.com"): the name operators set.
        return f"[{site_name()}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # allauth builds links from the request's host, or from the Site row
        # without one; links in every e-mail come from SITE_URL instead.
        context = {
            **context,
            "current_site": SimpleNamespace(
                name=site_name(), domain=urlsplit(settings.SITE_URL).netloc
            ),
            **{key: on_site(context[key]) for key in LINK_KEYS if context.get(key)},
        }
        super().send_mail(template_prefix, email, context)
