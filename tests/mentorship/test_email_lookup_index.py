"""People are found by e-mail in any case through an index: at 12,000
accounts each case-insensitive lookup read the whole users table (8 ms, and
41 ms for the roster import's profile lookup, once per row)."""

import pytest
from django.db import connection

from mentorship.models import User

pytestmark = pytest.mark.django_db


def test_the_users_table_has_an_index_on_the_upper_case_address():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, User._meta.db_table)
    assert constraints["user_email_upper"]["index"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="UPPER() is PostgreSQL's iexact")
def test_a_case_insensitive_lookup_uses_it():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = User.objects.filter(email__iexact="A@Example.test").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "user_email_upper" in plan
