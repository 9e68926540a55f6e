"""Demo and benchmark data for ``manage.py seed_demo``.

``catalogue`` and ``plan`` describe the demo without touching the database,
``seed`` writes it, ``bulk`` generates benchmark-sized data.
"""
