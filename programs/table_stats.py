"""Bulk inserts of plain rows, and the planner statistics refreshed after them.

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


def insert_rows(model, fields, rows):
    """Insert ``rows`` (tuples in the order of ``fields``, field names of
    ``model``) in one statement on PostgreSQL, one batch on SQLite.

    Plain tuples rather than bulk_create: at 80,000 scores, or 3,000 matches,
    building and preparing model instances costs several times the insert
    itself. So nothing of the model runs: the caller gives every column a
    value the table needs (auto_now_add ones included) and rows already valid
    for its constraints.
    """
    if not rows:
        return
    ops, fields = connection.ops, [model._meta.get_field(name) for name in fields]
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    insert = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: a single statement whatever the number of rows.
            types = [field.db_type(connection).split("(")[0] for field in fields]
            arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
            cursor.execute(
                f"{insert} SELECT * FROM UNNEST({arrays})",
                [list(c) for c in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany(f"{insert} VALUES ({', '.join(['%s'] * len(fields))})", rows)
