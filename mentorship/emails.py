"""E-mails to people: subject/text/html template triples under
``templates/mentorship/email/<name>``, rendered in the recipient's language."""

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path, request=None):
    """``path`` on this site for a link in an e-mail: from ``request`` when
    there is one, else from the current Site (Celery tasks have no request)."""
    return build_absolute_uri(request, path)


def render_email(user, name, context):
    """The message ``name`` to ``user``, ready to send; ``user`` is in the context.

    A plain ``name`` is one of this app's; later apps name their own folder
    ("sessions_app/email/meeting_to_confirm").
    """
    context = {"user": user, **context}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        prefix = name if "/" in name else f"mentorship/email/{name}"
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject, render_to_string(f"{prefix}.txt", context), to=[user.email]
        )
        message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    return message
