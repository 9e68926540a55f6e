"""``analyze`` gives the planner the size of tables filled in the current,
uncommitted transaction (the demo and benchmark seeders call it)."""

from django.db import connection

from mentorship.models import User
from programs.table_stats import analyze
from tests import factories as f


def planner_rows(table):
    """The row count the planner's statistics hold for ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return int(cursor.fetchone()[0].split()[0])


def test_analyze_counts_the_rows_this_transaction_inserted(db):
    f.UserFactory.create_batch(3)
    User.objects.bulk_create(User(email=f"bulk-{n}@example.test") for n in range(40))

    analyze([User, User])

    assert planner_rows(User._meta.db_table) == User.objects.count() == 43
