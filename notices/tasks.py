"""Celery tasks of the outbox. Sending is idempotent by construction (a notice is claimed
before it is sent and only its claimant marks it sent), so the task acks late: a message
lost with its worker is run again, and what that worker had claimed is taken over by a sweep
once its lease runs out."""

import time

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

# One run keeps taking batches for about this long; whatever is left waits for the next kick
# or the next sweep (beat, every minute). Well inside the soft time limit.
BUDGET_SECONDS = 30


@shared_task(
    acks_late=True,
    # The database, not the mail server: a failed send is recorded on its notice instead.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    # Below NOTICE_LEASE_SECONDS, so a notice is never taken over from a live sender.
    soft_time_limit=120,
    time_limit=150,
    ignore_result=True,
)
def send_pending(ids: list[int] | None = None, limit: int = 100) -> int:
    """Send due notices, batch after batch, until a batch sends nothing or time is up. The
    kick after a commit passes the ids that commit created; the beat sweep passes none and
    sends whatever is due."""
    deadline = time.monotonic() + BUDGET_SECONDS
    total = 0
    while True:
        sent = services.notices_send_pending(limit=limit, ids=ids)
        total += sent
        if not sent or time.monotonic() >= deadline:
            return total
