"""Celery tasks of meldingen."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
)
def bewaartermijn() -> int:
    """Remove the contact address and photos of meldingen closed over a year ago (daily, by
    beat). Idempotent: what was cleaned is marked, and a second run finds nothing."""
    total = 0
    while cleaned := services.meldingen_bewaartermijn():
        total += cleaned
    return total
