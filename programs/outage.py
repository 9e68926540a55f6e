"""A database outage answers 503 with a plain page, not a 500.

While PostgreSQL restarts (or a connection drops) every request that touches
the database fails; that is the service being unavailable for seconds, not a
bug, and the page says to try again shortly. The page is rendered without the
request, so no context processor queries the database that is down.

Two ways in: a view's error reaches ``DatabaseOutageMiddleware``; an error in
another middleware (the session saved in a response) reaches Django's
uncaught-exception handler, ``server_error`` below (``handler500``).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
# Seconds a client is told to wait: PostgreSQL restarts in about ten.
RETRY_AFTER = 15


def outage_response():
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("database unavailable: %s %s", request.method, request.path, exc_info=True)
            return outage_response()
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's 500 handler, except that a database outage answers 503."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return outage_response()
    try:
        body = loader.render_to_string(template_name)
    except loader.TemplateDoesNotExist:
        body = "<h1>Server Error (500)</h1>"
    return HttpResponseServerError(body)
