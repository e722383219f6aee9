"""System checks of the outbox settings."""

from django.conf import settings
from django.core import checks


def check_lease(app_configs=None, **kwargs):
    """A lease shorter than the send task's hard time limit lets a sweep take over a notice
    that a live (slow) worker is still sending: it would go out twice."""
    from .tasks import send_pending

    time_limit = send_pending.time_limit or 0
    if time_limit >= settings.NOTICE_LEASE_SECONDS:
        return [
            checks.Warning(
                f"NOTICE_LEASE_SECONDS ({settings.NOTICE_LEASE_SECONDS}) is not longer than the "
                f"time limit of the send task ({time_limit} s).",
                hint="Raise NOTICE_LEASE_SECONDS, or a slow send may be sent twice.",
                id="notices.W001",
            )
        ]
    return []
