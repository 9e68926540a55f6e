"""A database outage answers 503 with a plain page, not a 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from programs.outage import DatabaseOutageMiddleware


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_during_a_database_outage_is_a_503(client, world, error):
    client.force_login(world.student)
    client.raise_request_exception = False
    # What a restarting PostgreSQL does to the first query of a request.
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=error("server closed the connection unexpectedly"),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"Temporarily unavailable" in response.content


def test_a_view_failing_on_the_database_is_a_503(world):
    middleware = DatabaseOutageMiddleware(lambda request: None)
    request = RequestFactory().post("/meetings/new/")
    response = middleware.process_exception(request, OperationalError("terminating connection"))
    assert response.status_code == 503


def test_other_errors_stay_500(client, world):
    client.force_login(world.student)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("bug")
    ):
        response = client.get("/")
    assert response.status_code == 500
    assert DatabaseOutageMiddleware(None).process_exception(None, ValueError()) is None
