"""Celery tasks of the publications. Rendering is idempotent by construction (a version is
claimed before it is rendered, and stored only while it still waits), so the task acks late
and is rejected back to the queue when its worker dies: another worker renders it."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # The database, not the renderer: a failed render is recorded on its version instead.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    # Below settings.PUBLICATIE_CLAIM_SECONDS, so a live worker never loses its claim mid-render.
    soft_time_limit=120,
    time_limit=150,
    ignore_result=True,
)
def pdf_maken(publicatie_id: int) -> bool:
    return services.pdf_maken(publicatie_id=publicatie_id)


@shared_task(ignore_result=True, soft_time_limit=30, time_limit=60)
def pdf_sweep() -> int:
    return services.pdf_sweep()
