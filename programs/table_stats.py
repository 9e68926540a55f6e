"""Planner statistics refreshed after bulk inserts.

PostgreSQL plans each query from the statistics ANALYZE last gathered. After a
bulk insert they still describe the table as it was: autovacuum may even have
analysed it a moment earlier, empty, while the inserting transaction had not
committed. Every later query on it is then planned for a table of one row
(nested loops over thousands), and a seed or a test that took seconds took
over ten minutes. The demo and benchmark seeders call ``analyze`` on the
tables they filled, inside their transaction: ANALYZE counts the rows its own
transaction inserted. SQLite takes the same statement (its query planner reads
``sqlite_stat1``), so one code path serves both.
"""

from django.db import connection


def analyze(models):
    """Refresh the planner statistics of ``models``' tables (many-to-many
    tables are not included); each table once, in a stable order."""
    tables = sorted({model._meta.db_table for model in models})
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def analyze_filled(created):
    """``analyze`` the models of ``created`` ({model: rows created}) that got rows."""
    analyze(model for model, count in created.items() if count)
