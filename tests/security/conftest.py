"""One world and one signed-in client per persona for a whole test module.

Thousands of requests share them: the world is built once in a transaction
that is rolled back after the module, and every request runs in a savepoint
of its own that is rolled back at once (``ask``), so no request sees what an
earlier one changed.
"""

import copy
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from .answers import PERSONAS
from .world import build_security_world


@pytest.fixture(scope="module")
def sec(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        w = build_security_world()
        clients = {}
        for persona in PERSONAS:
            client = Client(raise_request_exception=False)
            if persona != "anonymous":
                client.force_login(getattr(w, persona))
            clients[persona] = client
        yield SimpleNamespace(world=w, clients=clients)
        transaction.set_rollback(True)


def ask(client, method, url, data=None, headers=None):
    """``client``'s answer to one request, whose changes are rolled back."""
    # A logout (or a new session) changes the cookies: the next request must
    # still be the persona's.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {}, headers=headers)
        transaction.set_rollback(True)
    client.cookies = cookies
    # allauth counts attempts in the cache: each request starts afresh.
    cache.clear()
    return response
