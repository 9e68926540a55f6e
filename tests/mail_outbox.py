"""An e-mail backend whose outbox other processes can read: a Celery worker
under test appends every message it sends to the file named by OUTBOX_FILE.

OUTBOX_SLEEP (seconds) makes each send wait before the message is written, as
a slow mail server would, so that a test can kill the worker mid-batch.
"""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class FileOutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["OUTBOX_FILE"]
        delay = float(os.environ.get("OUTBOX_SLEEP", "0"))
        for message in email_messages:
            time.sleep(delay)
            line = json.dumps(
                {
                    "to": message.recipients(),
                    "subject": str(message.subject),
                    "body": str(message.body),
                }
            )
            # One write to an O_APPEND descriptor: a line is never split by a
            # kill between two writes nor mixed with another process's line.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)
        return len(email_messages)


def read_outbox(path):
    """The messages written to ``path`` so far, oldest first."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as outbox:
        return [json.loads(line) for line in outbox if line.strip()]
