"""Invitation links and e-mails of mentor recruitment.

A person who has never chosen a password (invited by e-mail, or imported with
a roster) gets a one-time link to choose one; everyone else gets a link to the
contract page. The link token is Django's password-reset token with its own
salt, so a reset token cannot open an invitation nor the other way round, and
it stops working once the password is set (the hash covers the password).
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext_noop

from .emails import absolute_url, render_email
from .reminders import notify

INVITATION_VALID_DAYS = 14


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "mentorship.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's own check ends at PASSWORD_RESET_TIMEOUT (three days); busy
        # mentors answer invitations more slowly than password resets.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > INVITATION_VALID_DAYS * 24 * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user):
    """The path where ``user`` chooses a password and lands on their contract."""
    return reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )


def send_invitation_email(*, engagement):
    """E-mail the engagement's mentor their invitation, in their language.

    Must hold first: the engagement is saved with its mentor's user and cycle
    loaded. Links are absolute, on SITE_URL. Sent at once, not by a Celery
    task: the coordinator's page reports whom it failed to reach
    (InvitationOutcome.unsent). Once mailed, the invitation is listed in the
    mentor's notification centre.
    """
    user = engagement.mentor.user
    contract = absolute_url(reverse("engagement_contract", kwargs={"engagement": engagement.pk}))
    needs_password = not user.has_usable_password()
    context = {
        "user": user,
        "engagement": engagement,
        "cycle": engagement.cycle,
        "program": engagement.cycle.program,
        "contract_url": contract,
        "password_url": absolute_url(invitation_path(user)) if needs_password else None,
        "valid_days": INVITATION_VALID_DAYS,
    }
    message = render_email(user, "recruitment_invitation", context)
    message.send()
    notify(
        recipient=user,
        kind="mentor_invitation",
        subject_key=f"mentorship.engagement:{engagement.pk}",
        payload={
            "title": gettext_noop("You are invited to mentor in a program"),
            "context": str(engagement.cycle),
            "url": reverse("engagement_contract", kwargs={"engagement": engagement.pk}),
        },
        now=timezone.now(),
        sent=True,
    )
