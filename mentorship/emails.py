"""E-mails to people: subject/text/html template triples under
``templates/mentorship/email/<name>``, rendered in the recipient's language,
and the site's public name and address they use."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext


def absolute_url(path):
    """``path`` on this site, for a link in an e-mail, a calendar feed or a
    file: always on SITE_URL, so a Celery task (no request) and a request with
    any Host header give the same public address."""
    return settings.SITE_URL + path


def on_site(url):
    """``url``'s path, query and fragment on SITE_URL instead of its own host."""
    parts = urlsplit(url)
    return absolute_url(parts._replace(scheme="", netloc="").geturl())


def site_name():
    return settings.SITE_NAME or gettext("Mentor programs")


def render_text(template_name, context):
    """A template rendered without HTML escaping: subjects and plain-text
    bodies are not HTML, so "O'Brien & Sons" must not become "O&#x27;Brien &amp; Sons"."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def render_email(user, name, context):
    """The message ``name`` to ``user``, ready to send; ``user`` is in the context.

    A plain ``name`` is one of this app's; later apps name their own folder
    ("sessions_app/email/meeting_to_confirm").
    """
    context = {"user": user, **context}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        prefix = name if "/" in name else f"mentorship/email/{name}"
        subject = " ".join(render_text(f"{prefix}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject, render_text(f"{prefix}.txt", context), to=[user.email]
        )
        message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    return message
