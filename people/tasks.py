"""Celery tasks of residents' accounts: the weekly overview of notifications and the removal
of sign-ups never confirmed. Both idempotent (see the services they call)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

_TAAK = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "soft_time_limit": 600,
    "time_limit": 660,
    "ignore_result": True,
}


@shared_task(**_TAAK)
def weekoverzichten() -> int:
    """Every Monday morning (beat): one overview per user with waiting notifications, never
    two in one ISO week, however often it runs."""
    from .notificaties import weekoverzichten_versturen

    return weekoverzichten_versturen()


@shared_task(**_TAAK)
def aanmeldingen_opruimen() -> int:
    from .services_bewoners import aanmeldingen_opruimen as opruimen

    total = 0
    while removed := opruimen():
        total += removed
    return total
