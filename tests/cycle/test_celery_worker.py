"""Notices really travel through a broker: after the commit the kick queues the sending on
Redis and a Celery worker (in a thread) sends it; with the broker down the step still
succeeds and the beat sweep sends the notice once the broker is back. Each test runs its own
redis-server (tests/notices/support.py); the rest of the suite runs tasks eagerly."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from cycle import services
from cycle.models import Fase
from notices import tasks
from notices.models import Notice
from people.models import Rol
from tests.notices.support import (
    celery_app_on,
    free_port,
    private_redis,
    wait_for,
    worker_running,
)
from tests.people.factories import user_with_role


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)


def new_notices(before):
    return Notice.objects.exclude(pk__in=before)


@pytest.mark.django_db(transaction=True)
def test_transition_notice_goes_through_redis_and_a_worker(werkgebied, cyclus, wijkmanager):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    before = list(Notice.objects.values_list("pk", flat=True))
    with private_redis() as url, celery_app_on(url) as app, worker_running(app):
        mail.outbox.clear()
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_verantwoording",
            expected_fase=Fase.UITVOERING,
            reden="De uitvoering is klaar.",
        )
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no notice"
    assert mail.outbox[0].to == [lid.email]
    assert "verantwoording" in mail.outbox[0].subject
    (notice,) = new_notices(before)
    assert (notice.status, notice.attempts) == (Notice.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_step_succeeds_and_the_sweep_sends_the_notice_later(
    client, werkgebied, cyclus, wijkmanager
):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    before = list(Notice.objects.values_list("pk", flat=True))
    url = f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/stap/"
    data = {
        "overgang": "naar_verantwoording",
        "verwacht": Fase.UITVOERING,
        "reden": "De uitvoering is klaar.",
    }
    client.force_login(wijkmanager)
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=dead_broker),
        celery_app_on(dead_broker),
    ):
        client.get(cyclus.get_absolute_url())  # warm up: measure the step, not the imports
        started = time.monotonic()
        response = client.post(url, data)
        elapsed = time.monotonic() - started

    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == cyclus.get_absolute_url()
    assert elapsed < 1.5, f"the step took {elapsed:.2f} s with the broker down"
    cyclus.refresh_from_db()
    assert cyclus.fase == Fase.VERANTWOORDING
    (notice,) = new_notices(before)
    assert (notice.recipient, notice.status, notice.attempts) == (
        lid.email,
        Notice.Status.PENDING,
        0,
    )
    assert mail.outbox == []

    # The broker is back (our own redis-server): beat's sweep, through a real worker.
    sweep = settings.CELERY_BEAT_SCHEDULE["notices-sweep"]
    with private_redis() as url, celery_app_on(url) as app, worker_running(app):
        app.send_task(sweep["task"], **sweep.get("options", {}))
        assert wait_for(lambda: len(mail.outbox) == 1), "the sweep sent no notice"
    assert tasks.send_pending.apply().get() == 0  # a later sweep finds nothing left to send
    assert [m.to for m in mail.outbox] == [[lid.email]]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.SENT, 1)
