"""The kick after a commit: with the broker unreachable the step's request is barely slowed
and nothing is raised, because the notice is already safe in the outbox."""

import logging
import socket
import time

import pytest
from django.db import transaction

from notices import services
from notices.models import Notice
from tests.notices.support import celery_app_on, free_port, private_redis


def commit_a_notice():
    """Create a notice in a transaction; return how long the commit (with its kick) took."""
    with transaction.atomic():
        services.notice_create(
            kind="tests.notice", recipients=["a@example.nl"], subject="Onderwerp", body="Tekst"
        )
        started = time.monotonic()
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_kick_gives_up_at_once_when_the_broker_refuses(caplog):
    with celery_app_on(f"redis://127.0.0.1:{free_port()}/0"), caplog.at_level(logging.WARNING):
        elapsed = commit_a_notice()
    assert elapsed < 1.0, f"the commit took {elapsed:.2f} s"
    assert Notice.objects.get().status == Notice.Status.PENDING
    assert "the sweep will send them" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_kick_gives_up_quickly_when_the_broker_accepts_but_never_answers(caplog):
    """A hung broker (or a firewall that lets the connection in and drops the rest)."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)  # the kernel accepts connections; nobody ever reads or answers
        port = hung.getsockname()[1]
        with celery_app_on(f"redis://127.0.0.1:{port}/0"), caplog.at_level(logging.WARNING):
            elapsed = commit_a_notice()
    assert elapsed < 1.5, f"the commit took {elapsed:.2f} s"
    assert Notice.objects.get().status == Notice.Status.PENDING
    assert "the sweep will send them" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_kick_with_a_live_broker_queues_the_ids_of_its_commit():
    with private_redis() as url, celery_app_on(url) as app:
        with transaction.atomic():
            notices = services.notice_create(
                kind="tests.notice",
                recipients=["a@example.nl", "b@example.nl"],
                subject="Onderwerp",
                body="Tekst",
            )
        with app.connection_for_read() as conn:
            message = conn.SimpleQueue("celery", no_ack=True).get(timeout=5)
    assert message.headers["task"] == "notices.tasks.send_pending"
    _args, kwargs, _embed = message.payload
    assert kwargs == {"ids": [n.pk for n in notices]}
