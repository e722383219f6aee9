"""A worker killed with SIGKILL in the middle of sending: the notice stays claimed until its
lease runs out, then a sweep sends it, once. The worker is a real ``celery -A wijkaanpak
worker`` in a subprocess (settings: tests/notices/worker_settings.py) whose mail backend hangs
mid-send (tests/notices/backends.py)."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notices import services, tasks
from notices.models import Notice
from tests.notices.support import celery_app_on, private_redis, start_worker_process, wait_for

LEASE_SECONDS = 5


def start_worker(*, broker_url: str, marker: Path, deliveries: Path, log):
    return start_worker_process(
        settings_module="tests.notices.worker_settings",
        env={
            "NOTICE_TEST_BROKER_URL": broker_url,
            "NOTICE_LEASE_SECONDS": str(LEASE_SECONDS),
            "NOTICE_TEST_MARKER": str(marker),
            "NOTICE_TEST_DELIVERIES": str(deliveries),
        },
        log=log,
    )


@pytest.mark.django_db(transaction=True)
def test_a_notice_whose_worker_was_killed_mid_send_is_sent_once_after_the_lease(tmp_path):
    marker, deliveries = tmp_path / "sending", tmp_path / "deliveries"
    deliveries.touch()
    log_path = tmp_path / "worker.log"
    with (
        private_redis() as broker_url,
        celery_app_on(broker_url),
        open(log_path, "w") as log,
    ):
        worker = start_worker(broker_url=broker_url, marker=marker, deliveries=deliveries, log=log)
        try:
            with transaction.atomic():
                (notice,) = services.notice_create(
                    kind="tests.notice",
                    recipients=["wendy@example.nl"],
                    subject="Onderwerp",
                    body="Tekst",
                )
            # The kick after the commit queued it; the worker claims it and starts sending.
            assert wait_for(marker.exists, timeout=90), log_path.read_text()[-3000:]
            notice.refresh_from_db()
            assert (notice.status, notice.attempts) == (Notice.Status.SENDING, 1)
            assert marker.read_text() == notice.message_id
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=30) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)

    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENDING  # nobody told the database otherwise
    assert notice.claimed_until > timezone.now()
    assert services.notices_send_pending() == 0  # the dead worker's lease still holds
    assert mail.outbox == []

    time.sleep(max(0.0, (notice.claimed_until - timezone.now()).total_seconds()) + 0.1)
    assert tasks.send_pending.apply().get() == 1  # the beat sweep's task, run here
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.SENT, 2)
    (message,) = mail.outbox
    assert message.to == ["wendy@example.nl"]
    assert message.extra_headers["Message-ID"] == notice.message_id  # the same message
    assert deliveries.read_text() == ""  # the killed worker delivered nothing
    assert tasks.send_pending.apply().get() == 0
    assert len(mail.outbox) == 1
    assert settings.NOTICE_LEASE_SECONDS > LEASE_SECONDS  # only the worker had a short lease
