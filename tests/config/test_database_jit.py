"""PostgreSQL connections run with JIT compiling off (issue 14).

The application's statements take milliseconds; JIT compiling, started on
estimated cost, took seconds on the pages whose estimates ran high.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_options(url):
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env = {**base, "DATABASE_URL": url} if url else base
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_postgresql_connections_turn_jit_off():
    assert database_options("postgres://u@127.0.0.1:5432/db") == {"options": "-c jit=off"}


def test_options_in_the_url_are_kept_beside_it():
    url = "postgres://u@127.0.0.1:5432/db?options=-c%20statement_timeout%3D5000&sslmode=prefer"
    assert database_options(url) == {
        "options": "-c statement_timeout=5000 -c jit=off",
        "sslmode": "prefer",
    }


def test_sqlite_gets_no_postgresql_options():
    assert "options" not in database_options("")


@pytest.mark.django_db
def test_the_live_postgresql_session_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; DATABASE_URL is not PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
