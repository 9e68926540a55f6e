from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People are imported or invited by coordinators; sign-up is opt-in.
        return settings.ACCOUNT_ALLOW_SIGNUP

    def get_login_redirect_url(self, request):
        return reverse("home")
