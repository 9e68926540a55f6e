"""A real SMTP server on loopback that accepts every message and counts what
it saw: the benchmarks send through Django's SMTP backend to it, so sockets,
the SMTP dialogue and message serialization are all in what they time.

Benchmark-only (aiosmtpd, from requirements-bench.txt); it runs in a thread of
the benchmark's own process, the worker being another process.
"""

import logging
import socket
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller


class _Counts:
    """The aiosmtpd handler: counts messages and the bytes of their data."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.recipients = 0
        self.bytes = 0
        self.first = self.last = None  # time.monotonic() of the first and last message

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.last = time.monotonic()
            self.first = self.first or self.last
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
            self.bytes += len(envelope.original_content or b"")
        return "250 Message accepted for delivery"


class _CountingController(Controller):
    """A Controller that counts the connections clients open to it."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.connections = 0

    def factory(self):
        # aiosmtpd makes one SMTP protocol object per connection.
        self.connections += 1
        return super().factory()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """``with SmtpSink() as sink:`` an SMTP server on 127.0.0.1:``sink.port``;
    ``sink.messages``, ``sink.connections`` (those clients opened, not the
    server's own start-up probe) and ``sink.bytes`` say what it received,
    ``sink.mailing_s`` the seconds from its first message to its last."""

    def __init__(self):
        self.port = _free_port()
        self._counts = _Counts()
        self._controller = _CountingController(self._counts, hostname="127.0.0.1", port=self.port)
        self._probes = 0

    def __enter__(self):
        # aiosmtpd logs every SMTP command at INFO: thousands of lines, and
        # time taken from the worker on a shared machine.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller.start()
        # start() connects once to check the server answers.
        self._probes = self._controller.connections
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    @property
    def messages(self):
        return self._counts.messages

    @property
    def bytes(self):
        return self._counts.bytes

    @property
    def mailing_s(self):
        if self._counts.first is None:
            return 0.0
        return self._counts.last - self._counts.first

    @property
    def connections(self):
        return self._controller.connections - self._probes


# A client doing nothing but sendmail over one connection, in its own process
# (as the worker is): prints messages per second.
_CLIENT = r"""
import smtplib, sys, time
port, count, size = map(int, sys.argv[1:])
line = b"x" * 76 + b"\r\n"
data = b"Subject: ceiling\r\n\r\n" + line * max(size // len(line), 1)
smtp = smtplib.SMTP("127.0.0.1", port)
started = time.perf_counter()
for _ in range(count):
    smtp.sendmail("a@example.test", ["b@example.test"], data)
print(count / (time.perf_counter() - started))
smtp.quit()
"""


def ceiling(*, messages, size):
    """Messages per second a bare smtplib client reaches against a fresh
    sink over one connection with ``size``-byte messages: the most any
    sender could get from this server on this machine."""
    with SmtpSink() as sink:
        command = [sys.executable, "-c", _CLIENT, str(sink.port), str(messages), str(size)]
        return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
