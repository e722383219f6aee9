"""The health endpoint for container healthchecks and load balancers: can this process reach
its database and its Celery broker right now?"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .celery import app as celery_app

logger = logging.getLogger(__name__)

# A probe that waits longer than its caller's own timeout tells the caller nothing.
BROKER_TIMEOUT = 2.0

OK = "ok"
FAULT = "fout"
EAGER = "eager"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return FAULT
    return OK


def check_broker() -> str:
    # Demo mode runs tasks in the web process: there is no broker to be down.
    if settings.CELERY_TASK_ALWAYS_EAGER or not celery_app.conf.broker_url:
        return EAGER
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_TIMEOUT,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT,
                "socket_timeout": BROKER_TIMEOUT,
                "max_retries": 0,
            },
        ) as conn:
            # One attempt: the client's retries with back-off would outlast the probe.
            conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
    except Exception:
        logger.exception("health check: broker unreachable")
        return FAULT
    return OK


@require_safe
def gezondheid(request):
    """JSON status, 200 when everything needed is reachable, 503 otherwise. Reads neither the
    session nor the user, so it works (and answers) when those cannot be loaded."""
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(value in (OK, EAGER) for value in checks.values())
    response = JsonResponse({"status": OK if healthy else FAULT, **checks})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response
