"""Tests of concurrent writers need PostgreSQL's row locks.

Mark them ``@pytest.mark.postgres_concurrency`` (registered in pyproject.toml;
tests/conftest.py skips them, saying why, unless the database is PostgreSQL):
SQLite's shared in-memory test database answers a second writer with
"database table is locked" at once instead of making it wait, so such a test
there fails by timing, not by the code under test. CI runs them on PostgreSQL.
"""

import pytest

# The marker's earlier name, for tests written before it.
needs_row_locks = pytest.mark.postgres_concurrency
