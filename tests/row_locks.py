"""Tests of concurrent writers need PostgreSQL's row locks.

SQLite's shared in-memory test database answers a second writer with
"database table is locked" at once instead of making it wait, so such a
test there fails by timing, not by the code under test. CI runs them on
PostgreSQL.
"""

import pytest
from django.db import connection

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks: SQLite's shared in-memory test database refuses the second writer",
)
