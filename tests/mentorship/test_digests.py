"""Digests of a send batch: one mail connection, rendered once per language,
rows marked sent a chunk at a time, and over SMTP the same message Django's
backend would have built."""

import email
import email.policy
import smtplib

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from mentorship import reminders
from mentorship.digests import DigestComposer
from mentorship.models import Notification
from mentorship.reminders import claim, run_reminders, send_claimed, sweep
from tests import factories as f

from .test_reminders import NOW, item


class FakeSmtp:
    """smtplib.SMTP as Django's backend uses it, recording what it is given."""

    opened = []

    def __init__(self, host, port, **kwargs):
        self.mails = []
        FakeSmtp.opened.append(self)

    def sendmail(self, sender, recipients, data):
        self.mails.append((sender, recipients, data))
        return {}

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture
def smtp(settings, monkeypatch):
    """Mail goes through Django's SMTP backend to FakeSmtp servers."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 2525},
        }
    }
    FakeSmtp.opened = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    return FakeSmtp.opened


def parts(message):
    return (
        message.get_body(("plain",)).get_content().replace("\r\n", "\n"),
        message.get_body(("html",)).get_content().replace("\r\n", "\n"),
    )


def test_a_batch_goes_over_one_smtp_connection_as_django_would_build_it(due, smtp):
    ann = f.UserFactory(full_name="O'Brien & <Sons>")
    li = f.UserFactory(full_name="李明", preferred_language="zh-hans")
    odd = f.UserFactory(email="o'hara+x@example.test", full_name="Kim O'Hara")
    due += [item(ann, "a:1"), item(ann, "a:2", offset=-7), item(li, "a:1"), item(odd, "a:1")]

    assert run_reminders(now=NOW)["sent"] == 3

    assert len(smtp) == 1
    mails = {recipients[0]: (sender, data) for sender, recipients, data in smtp[0].mails}
    assert set(mails) == {ann.email, li.email, odd.email}
    rows = {row.recipient: [row] for row in Notification.objects.order_by("pk")}
    rows[ann] = list(Notification.objects.filter(recipient=ann).order_by("due_on", "pk"))
    for user in (ann, li, odd):
        sender, data = mails[user.email]
        assert sender == settings.DEFAULT_FROM_EMAIL
        sent = email.message_from_bytes(data, policy=email.policy.default)
        subject, text, html = DigestComposer().render(user, rows[user])
        django = EmailMultiAlternatives(subject, text, to=[user.email])
        django.attach_alternative(html, "text/html")
        built = email.message_from_bytes(
            django.message(policy=email.policy.SMTP).as_bytes(), policy=email.policy.default
        )
        for header in ("Subject", "From", "To", "MIME-Version"):
            assert sent[header] == built[header], header
        assert sent.get_content_type() == "multipart/alternative"
        assert sent["Date"] and sent["Message-ID"]
        assert parts(sent) == parts(built)
        assert all(len(line) <= 998 for line in data.split(b"\r\n"))
    ann_text, ann_html = parts(
        email.message_from_bytes(mails[ann.email][1], policy=email.policy.default)
    )
    assert "Dear O'Brien & <Sons>," in ann_text
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in ann_html and "<Sons>" not in ann_html
    assert "due in 7 days" in ann_text and "overdue by 7 days" in ann_text
    chinese = email.message_from_bytes(mails[li.email][1], policy=email.policy.default)
    assert "提醒" in chinese["Subject"] and "李明" in parts(chinese)[0]


def test_each_reader_gets_their_language(due, mailoutbox):
    ann = f.UserFactory(full_name="Ann A")
    li = f.UserFactory(full_name="李明", preferred_language="zh-hans")
    due += [item(ann, "a:1"), item(li, "a:1")]

    run_reminders(now=NOW)

    by_to = {message.to[0]: message for message in mailoutbox}
    assert by_to[ann.email].subject == "A reminder from your mentoring program"
    assert "Dear Ann A," in by_to[ann.email].body
    assert "提醒" in by_to[li.email].subject and "Dear" not in by_to[li.email].body
    assert "李明" in by_to[li.email].alternatives[0][0]


def rendered_templates(due, count, *, first):
    """Templates rendered to send ``count`` digests, every other one in Chinese."""
    people = [f.UserFactory(preferred_language="zh-hans" if n % 2 else "en") for n in range(count)]
    due[:] = [item(person, f"{first}:1") for person in people]
    due += [item(person, f"{first}:2", offset=-7) for person in people]
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        assert run_reminders(now=NOW)["sent"] == count
    finally:
        template_rendered.disconnect(record)
    return sorted(names)


def test_digests_are_rendered_once_per_language(due, mailoutbox):
    few = rendered_templates(due, 2, first="a")
    many = rendered_templates(due, 12, first="b")

    assert few == many
    assert len(mailoutbox) == 14


def queries_to_send(due, count, first):
    """Queries of send_claimed mailing ``count`` people two reminders each."""
    people = [f.UserFactory() for _ in range(count)]
    due[:] = [item(person, f"{first}:{n}") for person in people for n in range(2)]
    sweep(now=NOW)
    taken = claim(now=NOW, limit=1000)
    with CaptureQueriesContext(connection) as queries:
        assert send_claimed(token=taken.token, now=NOW) == count
    return len(queries)


def test_rows_are_checked_and_marked_a_chunk_at_a_time(due, mailoutbox):
    assert queries_to_send(due, 2, "a") == queries_to_send(due, reminders.MARK_EVERY, "b")
    assert Notification.objects.filter(sent_at=None).count() == 0


def test_one_statement_marks_a_chunk_and_renews_the_next(due, mailoutbox, monkeypatch):
    monkeypatch.setattr(reminders, "MARK_EVERY", 2)

    one_chunk = queries_to_send(due, 2, "a")
    three_chunks = queries_to_send(due, 6, "b")

    if connection.vendor == "postgresql":
        assert three_chunks == one_chunk + 2
    else:  # a transaction of three statements a chunk
        assert three_chunks == one_chunk + 2 * 5
    assert Notification.objects.filter(sent_at=None).count() == 0
    assert sorted(len(m.to) for m in mailoutbox) == [1] * 8
    assert len({m.to[0] for m in mailoutbox}) == 8


def test_a_mail_error_mid_chunk_marks_what_was_sent_and_releases_the_rest(
    due, mailoutbox, monkeypatch
):
    people = [f.UserFactory() for _ in range(3)]
    due += [item(person, "a:1") for person in people]
    real_send = EmailBackend.send_messages

    def fail_second(backend, messages):
        if len(mailoutbox) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_second)
    with pytest.raises(smtplib.SMTPException):
        run_reminders(now=NOW)

    first = mailoutbox[0].to[0]
    rows = {row.recipient.email: row for row in Notification.objects.select_related("recipient")}
    assert rows[first].sent_at == NOW
    assert [row.claim_token for email_, row in rows.items() if email_ != first] == [None, None]

    monkeypatch.undo()
    assert run_reminders(now=NOW)["sent"] == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted(p.email for p in people)
