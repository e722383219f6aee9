"""Optional error reporting to Sentry, switched on by the production settings when SENTRY_DSN
is set. Without a DSN nothing is initialised and nothing leaves the machine."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> bool:
    """Initialise sentry-sdk for Django and Celery; returns whether it did."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Residents' names, e-mail addresses and IP addresses stay here (AVG/GDPR).
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
    return True
