"""Digest e-mails of a send batch, rendered once per language and sent over
one mail connection.

What every reader of a language shares is rendered once per batch: the
subject (per item count), the frame around the items, and each distinct item
(a deliverable due in 7 days reads the same for every student of a cycle).
Per reader only their name and their items are put in, by replacing two
markers. The markers hold a NUL character, which no PostgreSQL text (a name,
a payload) can contain, so nothing a person typed can be taken for one.

Over SMTP the message bytes are assembled here from headers folded once per
language (subject, sender) and the reader's parts, and handed to the open
SMTP connection of Django's backend: building each message with the e-mail
package took more time than everything else in a send. Any other backend
(the tests' local memory, a file, a provider's API) gets an ordinary
EmailMultiAlternatives with the same subject, text and HTML.
"""

import base64
import email.policy
import re
import smtplib
import uuid
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, make_msgid
from types import SimpleNamespace

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .emails import absolute_url, render_text

TEMPLATE = "mentorship/email/reminder_digest"
ITEM = "mentorship/email/_reminder_digest_item"
NAME_MARK = "\x00name\x00"
ITEMS_MARK = "\x00items\x00"
# An address that is its own header and envelope form; others go through
# Django's address handling (IDNA domains, display names, validation).
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
# RFC 5322's limit on a line; longer lines go base64-encoded.
MAX_LINE = 998
SMTP_POLICY = email.policy.SMTP


def digest_item(row):
    """What the digest templates show of a ledger row."""
    payload = row.payload
    # Lazy: rendered inside the switch to the reader's language, where a
    # default label (stored in English) finds its translation.
    title = gettext_lazy(payload["title"]) if payload.get("title") else ""
    if payload.get("context"):
        title = format_lazy("{} · {}", title, payload["context"])
    return {
        "title": title,
        "text": payload.get("text", ""),
        "url": absolute_url(payload["url"]) if payload.get("url") else "",
        "deadline": row.due_on + timedelta(days=row.offset_days),
        "days_left": max(row.offset_days, 0),
        "days_late": max(-row.offset_days, 0),
        # Events (see notify) happened, and some reminders (a review waiting)
        # have no deadline: neither carries a "due" line.
        "show_when": payload.get("show_when", True) and not payload.get("event"),
        "event": bool(payload.get("event")),
    }


class DigestComposer:
    """Subject, text and HTML of digests, caching what readers share.

    One per batch (its caches grow with the distinct items of the batch).
    """

    def __init__(self):
        self._subjects = {}
        self._frames = {}
        self._items = {}

    def render(self, user, rows, *, language=None):
        """(subject, text, html) of the digest of ``rows`` (ledger rows, or
        anything with payload, due_on and offset_days) to ``user``, in
        ``language`` (default: theirs)."""
        language = language or user.preferred_language or settings.LANGUAGE_CODE
        only = not any(row.payload.get("event") for row in rows)
        subject = self._once(self._subjects, (language, only, len(rows)), _subject)
        text, html = self._once(self._frames, (language, only), _frame)
        items = [self._once(self._items, (language, _row_key(row)), _item, row) for row in rows]
        text = text.replace(NAME_MARK, user.full_name)
        html = html.replace(NAME_MARK, escape(user.full_name))
        return (
            subject,
            text.replace(ITEMS_MARK, "".join(item[0] for item in items)),
            html.replace(ITEMS_MARK, "".join(item[1] for item in items)),
        )

    @staticmethod
    def _once(cache, key, render, *args):
        """``cache[key]``, else ``render(*key[1:], *args)`` in ``key[0]``, the language."""
        if key not in cache:
            with translation.override(key[0]):
                cache[key] = render(*key[1:], *args)
        return cache[key]


def _row_key(row):
    """What a row's rendering depends on, hashable."""
    payload = tuple(sorted((key, str(value)) for key, value in row.payload.items()))
    return row.due_on, row.offset_days, payload


def _subject(only_reminders, count):
    context = {"count": count, "only_reminders": only_reminders}
    return " ".join(render_text(f"{TEMPLATE}_subject.txt", context).split())


def _frame(only_reminders):
    context = {
        "user": SimpleNamespace(full_name=NAME_MARK),
        "items": [ITEMS_MARK],
        "only_reminders": only_reminders,
    }
    return render_text(f"{TEMPLATE}.txt", context), render_to_string(f"{TEMPLATE}.html", context)


def _item(_key, row):
    context = {"item": digest_item(row)}
    return render_text(f"{ITEM}.txt", context), render_to_string(f"{ITEM}.html", context)


class DigestMailer:
    """``with DigestMailer() as mailer:`` one mail connection, opened at the
    first :meth:`send` and closed at the end of the block."""

    def __init__(self):
        self.backend = mailers.default
        self.opened = False
        self._smtp = isinstance(self.backend, SmtpBackend)
        self._lines = {}
        self._sender = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.opened:
            # Every digest was taken or the error is already on its way: a
            # failing QUIT changes nothing.
            with suppress(smtplib.SMTPException, OSError):
                self.backend.close()

    def send(self, address, subject, text, html):
        """Mail one digest; a refusal raises (smtplib.SMTPException, OSError)."""
        if not self.opened:
            self.backend.open()
            self.opened = True
        if not self._smtp:
            message = EmailMultiAlternatives(subject, text, to=[address])
            message.attach_alternative(html, "text/html")
            self.backend.send_messages([message])
            return
        if self._sender is None:
            self._sender = self.backend.prep_address(settings.DEFAULT_FROM_EMAIL)
        if PLAIN_ADDRESS.fullmatch(address):
            envelope, to_line = address, f"To: {address}\r\n"
        else:
            envelope, to_line = self.backend.prep_address(address), self._line("To", address)
        heads = self._line("Subject", subject) + self._line("From", "") + to_line
        self.backend.connection.sendmail(self._sender, [envelope], _wire(heads, text, html))

    def _line(self, name, value):
        """The header line ``name`` (Subject, From or To) as Django writes it
        (encoded, folded, IDNA domains), made once per value."""
        if (name, value) not in self._lines:
            message = EmailMessage(
                value if name == "Subject" else "",
                to=[value if name == "To" else "probe@example.com"],
            ).message(policy=SMTP_POLICY)
            self._lines[name, value] = SMTP_POLICY.fold(name, message[name])
        return self._lines[name, value]


def _wire(heads, text, html):
    """The bytes of a multipart/alternative message as Django's backend would
    send them; ``heads``: Subject, From and To, folded lines ending in CRLF."""
    parts = [_part("plain", text), _part("html", html)]
    boundary = f"=_{uuid.uuid4().hex}"
    while any(boundary.encode() in part for part in parts):
        boundary = f"=_{uuid.uuid4().hex}"
    if settings.EMAIL_USE_LOCALTIME:
        now = datetime.now(timezone.get_current_timezone())
    else:
        now = datetime.now(UTC)
    head = (
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
        f"{heads}"
        f"Date: {format_datetime(now)}\r\n"
        f"Message-ID: {make_msgid(domain=DNS_NAME)}\r\n\r\n"
    )
    # A delimiter's leading line break belongs to it, not to the part before.
    first, then, end = (f"--{boundary}\r\n", f"\r\n--{boundary}\r\n", f"\r\n--{boundary}--\r\n")
    return b"".join(
        [(head + first).encode("ascii"), parts[0], then.encode(), parts[1], end.encode()]
    )


def _part(subtype, content):
    """One text part: 7bit when ASCII in short lines, else base64."""
    content = content.replace("\r\n", "\n").replace("\n", "\r\n")
    if not content.endswith("\r\n"):
        content += "\r\n"
    if content.isascii() and max(len(line) for line in content.split("\r\n")) <= MAX_LINE:
        encoding, body = "7bit", content.encode("ascii")
    else:
        encoding = "base64"
        body = base64.encodebytes(content.encode("utf-8")).replace(b"\n", b"\r\n")
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + body
