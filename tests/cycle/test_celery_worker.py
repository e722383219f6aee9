"""Side effects really travel through the broker: a notice is queued on Redis after the commit
and a Celery worker (in a thread) sends it. The rest of the suite runs tasks eagerly."""

import os
import time
from contextlib import contextmanager

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core import mail

from cycle import services
from cycle.models import Fase
from people.models import Rol
from tests.people.factories import user_with_role
from wijkaanpak.celery import app

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@contextmanager
def celery_worker_running():
    """A separate Celery app, configured like the project's but with a real Redis broker and
    no eager mode, made current for the duration (``shared_task`` resolves through it)."""
    broker_app = Celery("wijkaanpak-broker-test", set_as_current=False)
    broker_app.config_from_object("django.conf:settings", namespace="CELERY")
    broker_app.conf.update(broker_url=BROKER, task_always_eager=False)
    broker_app.autodiscover_tasks(["cycle"], force=True)
    broker_app.set_current()
    try:
        with start_worker(broker_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.set_current()
        broker_app.close()


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_transition_notice_goes_through_redis_and_a_worker(werkgebied, make_cycle):
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    with celery_worker_running():
        mail.outbox.clear()
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_verantwoording",
            expected_fase=Fase.UITVOERING,
        )
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no notice"
    assert mail.outbox[0].to == [lid.email]
    assert "verantwoording" in mail.outbox[0].subject
