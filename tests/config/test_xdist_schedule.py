"""A test that hangs until pytest-timeout ends its worker is reported once and
the rest of its file still runs (tests/xdist_schedule.py), in a small pytest
run of its own with two workers."""

import os
import subprocess
import sys

from django.conf import settings

HUNG_FILE = """
import time

import pytest


@pytest.mark.timeout(2)
def test_hangs():
    time.sleep(120)


def test_after_it():
    pass
"""

CONFTEST = """
from tests.xdist_schedule import CrashOnceLoadFileScheduling


def pytest_xdist_make_scheduler(config, log):
    return CrashOnceLoadFileScheduling(config, log)
"""


def test_a_test_that_kills_its_worker_fails_once_and_its_file_goes_on(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\ntimeout_method = thread\n")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_hung.py").write_text(HUNG_FILE)
    env = {**os.environ, "PYTHONPATH": str(settings.BASE_DIR)}
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider"]
        + ["-n", "2", "--dist", "loadfile", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "crashed while running 'test_hung.py::test_hangs'" in run.stdout, run.stdout
    assert "1 failed, 1 passed" in run.stdout, run.stdout
