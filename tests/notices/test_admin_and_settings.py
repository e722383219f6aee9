"""The outbox in the admin (read-only, for beheerders; failed notices can be sent again) and
its wiring: the beat sweep, the task's delivery guarantees, the lease check."""

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import override_settings

from audit.models import AuditEntry
from notices import services
from notices.models import Notice
from people.models import Rol
from tests.people.factories import user_with_role
from wijkaanpak.celery import app

CHANGELIST = "/beheer/notices/notice/"


@pytest.fixture
def failed_notice(db):
    (notice,) = services.notice_create(
        kind="tests.notice", recipients=["a@example.nl"], subject="Onderwerp", body="Tekst"
    )
    Notice.objects.update(status=Notice.Status.FAILED, attempts=8, last_error="SMTP: 421")
    return notice


@pytest.mark.django_db
def test_beheerder_reads_the_outbox(client, beheerder, failed_notice):
    client.force_login(beheerder)
    assert client.get("/beheer/").status_code == 200
    assert CHANGELIST in client.get("/beheer/").content.decode()
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "a@example.nl" in response.content.decode()
    detail = client.get(f"{CHANGELIST}{failed_notice.pk}/change/")
    assert detail.status_code == 200
    assert "SMTP: 421" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()  # read-only


@pytest.mark.django_db
def test_others_do_not_see_the_outbox(client, wijkmanager, failed_notice):
    client.force_login(wijkmanager)
    assert client.get(CHANGELIST).status_code in (302, 403)
    raad = user_with_role(Rol.RAAD)
    client.force_login(raad)
    assert client.get(CHANGELIST).status_code in (302, 403)


@pytest.mark.django_db
def test_beheerder_sends_a_failed_notice_again(
    client, beheerder, failed_notice, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [failed_notice.pk]}
        )
    assert response.status_code == 302
    failed_notice.refresh_from_db()
    assert (failed_notice.status, failed_notice.attempts) == (Notice.Status.SENT, 1)
    assert [m.to for m in mail.outbox] == [["a@example.nl"]]
    entry = AuditEntry.objects.get(action="notices.resend")
    assert entry.actor == beheerder
    assert entry.data["pogingen"] == 8
    assert entry.data["fout"] == "SMTP: 421"


@pytest.mark.django_db
def test_only_failed_notices_are_sent_again_and_only_by_a_beheerder(wijkmanager, beheerder):
    (notice,) = services.notice_create(
        kind="tests.notice", recipients=["a@example.nl"], subject="Onderwerp", body="Tekst"
    )
    with pytest.raises(services.PermissionDenied):
        services.notices_resend(notice_ids=[notice.pk], actor=wijkmanager)
    assert services.notices_resend(notice_ids=[notice.pk], actor=beheerder) == 0
    assert not AuditEntry.objects.filter(action="notices.resend").exists()


def test_beat_sweeps_the_outbox_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notices-sweep"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] < 60


def test_send_task_is_idempotent_and_bounded():
    task = app.tasks["notices.tasks.send_pending"]
    assert task.acks_late is True
    assert task.time_limit < 5 * 60 and task.soft_time_limit < task.time_limit
    assert task.max_retries and task.retry_backoff


def test_a_lease_shorter_than_a_send_may_take_is_reported():
    assert not [m for m in run_checks() if m.id == "notices.W001"]
    with override_settings(NOTICE_LEASE_SECONDS=60):
        assert [m.id for m in run_checks() if m.id.startswith("notices.")] == ["notices.W001"]
