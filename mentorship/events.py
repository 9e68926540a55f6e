"""E-mails about events (a match published, a meeting to confirm), each sent
once per recipient however often the task sending them runs.

The ledger (mentorship.Notification) remembers who was told: before mailing,
a recipient whose row for the event (kind, subject key) is marked sent is
skipped; right after their mail, the row is recorded sent, so the notification
centre lists it and the digest leaves it alone. A retry after a failure at
the third recipient therefore mails only the third and later ones.

Guarantee: as for reminders (mentorship/reminders.py), at most twice: a
worker dying after the mail server accepted a message and before its row was
recorded sends it again on the retry; never a third time.
"""

import logging
import smtplib

from django.utils import timezone

from .emails import render_email
from .models import Notification
from .reminders import notify

logger = logging.getLogger(__name__)

# What a retry may cure: the mail server or the network, not a template.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


class EventMail:
    """Mail one kind of event to its recipients, each once.

    Make one per run with every subject key it may send, call :meth:`send`
    per recipient, then :meth:`finish`. A recipient who already has a ledger
    row for the event is skipped: sent, it was mailed; unsent, the digest
    (run_reminders) will mail it.
    """

    def __init__(self, *, kind, subject_keys, log_name):
        self.kind = kind
        self.log_name = log_name
        self.now = timezone.now()
        self.failed = []
        self.error = None
        self.done = set(
            Notification.objects.filter(kind=kind, subject_key__in=set(subject_keys)).values_list(
                "recipient_id", "subject_key"
            )
        )

    def send(self, user, template, context, *, subject_key, payload):
        """Mail ``template`` to ``user`` unless the event was recorded for them
        already, then record it sent. ``payload`` as for :func:`notify`."""
        if (user.pk, subject_key) in self.done:
            return
        try:
            render_email(user, template, context).send()
        except Exception as error:
            # One failing address must not cost the others their message.
            logger.exception("%s mail %s to user %s failed", self.log_name, template, user.pk)
            if isinstance(error, MAIL_ERRORS):
                self.failed.append((user, subject_key, payload))
                self.error = self.error or error
            return
        self._record(user, subject_key, payload, sent=True)

    def _record(self, user, subject_key, payload, *, sent):
        notify(
            recipient=user,
            kind=self.kind,
            subject_key=subject_key,
            payload=payload,
            now=self.now,
            sent=sent,
        )
        self.done.add((user.pk, subject_key))

    def finish(self, *, last_try):
        """After every :meth:`send`: raise the first mail error, so that the
        task retries the people not reached; on the ``last_try`` hand them to
        the digest instead (unsent ledger rows), which mails them once the
        mail server is back."""
        if self.error is None:
            return
        if not last_try:
            raise self.error
        for user, subject_key, payload in self.failed:
            self._record(user, subject_key, payload, sent=False)
