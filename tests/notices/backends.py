"""Mail backends for the outbox tests."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """The mail server refuses every connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "mail server unavailable (test)")


class BlockingBackend(BaseEmailBackend):
    """Hangs in the middle of sending, as a worker does when it is killed mid-send. Announces
    that it got that far in the file NOTICE_TEST_MARKER, and would only deliver (a line in
    NOTICE_TEST_DELIVERIES) if nobody killed it within two minutes."""

    def send_messages(self, email_messages):
        Path(os.environ["NOTICE_TEST_MARKER"]).write_text(
            "\n".join(message.extra_headers["Message-ID"] for message in email_messages)
        )
        time.sleep(120)
        with open(os.environ["NOTICE_TEST_DELIVERIES"], "a") as deliveries:
            for message in email_messages:
                deliveries.write(message.extra_headers["Message-ID"] + "\n")
        return len(email_messages)


class SlowBackend(locmem.EmailBackend):
    """Delivers to django.core.mail.outbox, slowly enough for two senders to overlap."""

    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so no handler in the sender records it."""


class DyingBackend(BaseEmailBackend):
    """The worker dies in the middle of sending."""

    def send_messages(self, email_messages):
        raise WorkerKilled
