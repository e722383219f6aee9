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


_VOLG_TAAK = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "soft_time_limit": 120,
    "time_limit": 150,
    "ignore_result": True,
}


@shared_task(**_VOLG_TAAK)
def volgbericht_versturen(bericht_id: int) -> int:
    """Fan one change of an initiative out to its confirmed followers' outbox (the kick after
    the commit). Idempotent: see ``services_volgen.volgbericht_verwerken``."""
    from . import services_volgen

    return services_volgen.volgbericht_verwerken(bericht_id=bericht_id)


@shared_task(**_VOLG_TAAK)
def volgberichten_sweep() -> int:
    """What a kick missed (broker down, a worker that died): by beat, every minute."""
    from . import services_volgen

    return sum(
        services_volgen.volgbericht_verwerken(bericht_id=pk)
        for pk in services_volgen.volgberichten_open()
    )


@shared_task(**_VOLG_TAAK)
def volgers_bewaartermijn() -> int:
    """Remove followers who did not confirm within a week (daily, by beat). Idempotent."""
    from . import services_volgen

    total = 0
    while removed := services_volgen.volgers_bewaartermijn():
        total += removed
    return total


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
    ignore_result=True,
)
def consultaties_bijwerken() -> int:
    """Open and close consultations by their dates, and remove reactions whose confirmation
    link ran out (beat, every five minutes). Idempotent."""
    from . import services_consultatie

    total = 0
    while changed := services_consultatie.consultaties_bijwerken():
        total += changed
    return total
