"""Real Celery workers for tests, on the local Redis and the test database.

Each ``Workers`` (one per test) owns a queue and a Redis key prefix no other
run shares (pytest-xdist workers included), on a Redis database the cache
never uses, so parallel runs and the messages a killed worker leaves
unacknowledged never meet. The workers write their mail
to a file outbox (tests/mail_outbox.py) the test reads.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from .mail_outbox import read_outbox

TASK = "mentorship.tasks.run_reminders_task"
# Not the cache's database: see the module docstring.
BROKER_DB = 15


def broker_url():
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{BROKER_DB}"))


def skip_unless_worker_can_run():
    """Skip, saying why, unless the database is PostgreSQL and Redis answers."""
    if connection.vendor != "postgresql":
        # A worker process cannot share SQLite's test database.
        pytest.skip("needs PostgreSQL (set DATABASE_URL): a worker reads the test database")
    try:
        redis.Redis.from_url(broker_url(), socket_timeout=1, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {broker_url()} for a real worker: {error}")


def subprocess_database_url():
    """The URL a subprocess uses to reach the test database."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    # A socket directory (/var/run/postgresql) goes in percent-encoded.
    host = f"{quote(db['HOST'] or '127.0.0.1', safe='')}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{quote(db['NAME'])}"


class Workers:
    """Starts and kills workers of one test; ``close`` cleans everything up."""

    def __init__(self, tmp_path):
        run = uuid.uuid4().hex[:12]
        self.queue = f"reminders-test-{run}"
        self.prefix = f"reminders-test-{run}:"
        self.outbox_path = tmp_path / "outbox.jsonl"
        self.tmp_path = tmp_path
        self.processes = []
        options = {"global_keyprefix": self.prefix}
        self.app = Celery("reminders-test", broker=broker_url(), set_as_current=False)
        self.app.conf.update(
            broker_transport_options=options,
            task_serializer="json",
            task_create_missing_queues=True,
        )
        self.options_arg = "broker.transport_options=(json)" + json.dumps(options)

    def start(self, *, lease_seconds, mail_delay=0.0):
        """A worker on this test's queue whose mail takes ``mail_delay`` seconds."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": subprocess_database_url(),
            "REDIS_URL": broker_url(),
            "EMAIL_BACKEND": "tests.mail_outbox.FileOutboxBackend",
            "OUTBOX_FILE": str(self.outbox_path),
            "OUTBOX_SLEEP": str(mail_delay),
            "REMINDER_LEASE_SECONDS": str(lease_seconds),
        }
        log = self.tmp_path / f"worker-{len(self.processes) + 1}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--queues={self.queue}",
            f"--hostname={self.queue}-{len(self.processes) + 1}@%h",
            "--",
            self.options_arg,
        ]
        with open(log, "wb") as out:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,  # so that `tests` (the outbox backend) imports
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )
        self.processes.append((process, log))
        return process

    def send(self):
        """Queue one run of the reminders task, as beat does every sweep."""
        self.app.send_task(TASK, queue=self.queue)

    def kill(self, process):
        with contextlib.suppress(ProcessLookupError):  # it died already
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def wait_for(self, condition, *, what, timeout=20.0):
        """Poll ``condition`` until it is true; fail with the workers' logs."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout} s waiting for {what}\n{self.logs()}")
            time.sleep(0.02)

    def outbox(self):
        return read_outbox(self.outbox_path)

    def logs(self, lines=40):
        tails = []
        for process, log in self.processes:
            text = Path(log).read_text(errors="replace").splitlines()[-lines:]
            state = "running" if process.poll() is None else f"exit {process.returncode}"
            tails.append(f"--- {log.name} ({state}) ---\n" + "\n".join(text))
        return "\n".join(tails)

    def close(self):
        for process, _log in self.processes:
            self.kill(process)
        self.app.close()
        # A killed worker's message stays unacknowledged under our prefix: gone
        # with the rest of this test's keys.
        client = redis.Redis.from_url(broker_url())
        keys = list(client.scan_iter(match=f"{self.prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
