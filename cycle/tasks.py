"""Celery tasks of the werkcyclus. They take ids and re-read the rows they need."""

from celery import shared_task

from . import notifications

# A notice is better missed than sent twice, so these tasks ack early (no acks_late) and
# retry only when the mail server could not be reached at all.
_MAIL_TASK = {
    "acks_late": False,
    "autoretry_for": (ConnectionError,),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(**_MAIL_TASK)
def notify_cycle_transition(entry_id: int) -> int:
    return notifications.cycle_transition_notice(entry_id)


@shared_task(**_MAIL_TASK)
def notify_product_published(entry_id: int) -> int:
    return notifications.product_published_notice(entry_id)
