"""The outbox: what notice_create stores, and how notices_send_pending sends, backs off, gives
up, takes over from a dead sender and never sends a notice twice."""

import threading
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends import locmem
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from audit.services import audit_log
from notices import services
from notices.models import SUBJECT_MAX_LENGTH, Notice
from tests.notices.backends import WorkerKilled
from tests.people.factories import UserFactory
from tests.places.factories import GebiedFactory


def make_notices(count=1, **kwargs):
    kwargs.setdefault("subject", "Onderwerp")
    kwargs.setdefault("body", "Tekst")
    return services.notice_create(
        kind="tests.notice", recipients=[f"lid{i}@example.nl" for i in range(count)], **kwargs
    )


def make_due(**filters):
    Notice.objects.filter(**filters).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Wijkanalyse\r\nBcc: iemand@example.org", "Wijkanalyse Bcc: iemand@example.org"),
        ("  twee\n\n\tregels  ", "twee regels"),
        ("a\rb\x0bc\x0cd\x85e\u2028f\u2029g", "a b c d e f g"),
        ("nul\x00teken\x1b[31m", "nul teken [31m"),
        ("", ""),
    ],
)
def test_one_line_leaves_nothing_that_could_break_a_header(raw, expected):
    assert services.one_line(raw) == expected


def test_one_line_caps_the_length():
    line = services.one_line("woord " * 100)
    assert len(line) == SUBJECT_MAX_LENGTH
    assert line.endswith("…")


@pytest.mark.django_db
def test_subject_with_line_breaks_is_stored_and_sent_as_one_line(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = make_notices(subject="Gepubliceerd: Wijkanalyse\r\nBcc: kwaad@example.org\n")
    assert notice.subject == "Gepubliceerd: Wijkanalyse Bcc: kwaad@example.org"
    (message,) = mail.outbox
    assert message.subject == notice.subject
    assert message.message().get_all("Bcc") is None
    assert message.recipients() == ["lid0@example.nl"]


@pytest.mark.django_db
def test_one_row_per_recipient_linked_to_users_without_duplicates_or_invalid_addresses():
    user = UserFactory(email="wendy@example.nl")
    notices = services.notice_create(
        kind="tests.notice",
        recipients=[user, "WENDY@example.nl", "ander@example.nl", "geen adres", "x@y\nBcc: z@q"],
        subject="Onderwerp",
        body="Tekst",
    )
    assert [(n.recipient, n.user) for n in notices] == [
        ("wendy@example.nl", user),
        ("ander@example.nl", None),
    ]
    assert Notice.objects.filter(status=Notice.Status.PENDING, attempts=0).count() == 2


@pytest.mark.django_db
def test_nothing_to_send_creates_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert (
            services.notice_create(
                kind="tests.notice", recipients=[], subject="Onderwerp", body="Tekst"
            )
            == []
        )
    assert callbacks == []  # and no kick either


@pytest.mark.django_db
def test_one_audit_entry_never_notifies_one_address_twice():
    entry = audit_log(action="tests.action", actor=None, target=GebiedFactory())
    make_notices(audit_entry=entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_notices(audit_entry=entry)
    assert Notice.objects.filter(audit_entry=entry).count() == 1


@pytest.mark.django_db
def test_a_notice_needs_a_body_and_a_subject():
    with pytest.raises(ValueError, match="body"):
        make_notices(body="  ")
    with pytest.raises(ValueError, match="subject"):
        make_notices(subject="\r\n")
    assert not Notice.objects.exists()


@pytest.fixture
def renderers(monkeypatch):
    """A clean registry for the test; the apps' own renderers come back afterwards."""
    monkeypatch.setattr(services, "_renderers", {})
    return services._renderers


@pytest.mark.django_db
def test_registered_kinds_are_rendered_when_sent_and_never_stored(
    renderers, django_capture_on_commit_callbacks
):
    secrets_handed_out = []

    def render(notice):
        secret = uuid.uuid4().hex
        secrets_handed_out.append(secret)
        return f"Uw code\nvoor {notice.user.naam}", f"Uw eenmalige code: {secret}"

    services.register_renderer("tests.secret", render)
    user = UserFactory(naam="Wendy")
    with pytest.raises(ValueError, match="rendered when sent"):
        services.notice_create(
            kind="tests.secret", recipients=[user], subject="Uw code", body="geheim"
        )
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = services.notice_create(kind="tests.secret", recipients=[user], subject="Code")

    (secret,) = secrets_handed_out
    (message,) = mail.outbox
    assert message.subject == "Uw code voor Wendy"
    assert message.body == f"Uw eenmalige code: {secret}"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.body == ""
    assert not Notice.objects.filter(body__contains=secret).exists()
    assert not Notice.objects.filter(subject__contains=secret).exists()


def test_a_kind_has_one_renderer(renderers):
    def render(notice):
        return "a", "b"

    services.register_renderer("tests.kind", render)
    services.register_renderer("tests.kind", render)  # again from a second ready(): fine
    with pytest.raises(ImproperlyConfigured):
        services.register_renderer("tests.kind", lambda notice: ("c", "d"))


@pytest.mark.django_db
def test_without_its_renderer_a_bodiless_notice_is_not_sent_blank(renderers):
    services.register_renderer("tests.secret", lambda notice: ("Code", "123"))
    (notice,) = services.notice_create(
        kind="tests.secret", recipients=["a@example.nl"], subject="C"
    )
    renderers.clear()  # e.g. a worker running an older release
    assert services.notices_send_pending() == 0
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING
    assert "No notice renderer" in notice.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_sent_once_with_a_message_id_derived_from_the_notice():
    (notice,) = make_notices()
    assert services.notices_send_pending() == 1
    assert services.notices_send_pending() == 0
    (message,) = mail.outbox
    host = urlsplit(settings.SITE_URL).hostname
    assert message.extra_headers["Message-ID"] == f"<notice-{notice.pk}@{host}>"
    assert message.message()["Message-ID"] == f"<notice-{notice.pk}@{host}>"
    assert message.message()["Auto-Submitted"] == "auto-generated"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.claim, notice.claimed_until) == (
        Notice.Status.SENT,
        1,
        None,
        None,
    )
    assert notice.sent_at is not None


@pytest.mark.django_db
def test_the_kick_sends_only_what_its_commit_created():
    first, second = make_notices(2)
    assert services.notices_send_pending(ids=[second.pk]) == 1
    assert [m.to for m in mail.outbox] == [[second.recipient]]
    first.refresh_from_db()
    assert first.status == Notice.Status.PENDING


@pytest.mark.django_db
def test_a_notice_not_yet_due_waits():
    make_notices()
    Notice.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=1))
    assert services.notices_send_pending() == 0
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.notices.backends.BrokenBackend", NOTICE_MAX_ATTEMPTS=4)
def test_failed_sends_back_off_exponentially_then_give_up():
    (notice,) = make_notices()
    for attempt in (1, 2, 3):
        before = timezone.now()
        assert services.notices_send_pending() == 0
        notice.refresh_from_db()
        assert notice.status == Notice.Status.PENDING
        assert notice.attempts == attempt
        assert "SMTPConnectError" in notice.last_error
        wait = notice.next_attempt_at - before
        expected = timedelta(minutes=2 ** (attempt - 1))
        assert expected <= wait < expected + timedelta(seconds=5)
        # Not due yet: a sweep right away leaves it alone.
        assert services.notices_send_pending() == 0
        notice.refresh_from_db()
        assert notice.attempts == attempt
        make_due(pk=notice.pk)

    assert services.notices_send_pending() == 0
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.FAILED, 4)
    make_due(pk=notice.pk)
    assert services.notices_send_pending() == 0  # failed stays failed until resent
    notice.refresh_from_db()
    assert notice.attempts == 4


@pytest.mark.django_db
def test_a_broken_connection_fails_one_notice_not_the_batch(monkeypatch):
    make_notices(3)
    calls = []
    original = locmem.EmailBackend.send_messages

    def flaky(self, messages):
        calls.append(messages[0].to)
        if len(calls) == 2:
            raise ConnectionResetError("connection reset by the mail server")
        return original(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", flaky)
    assert services.notices_send_pending() == 2
    assert Notice.objects.filter(status=Notice.Status.SENT).count() == 2
    assert Notice.objects.get(status=Notice.Status.PENDING).attempts == 1


@pytest.mark.django_db
def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease():
    """In-process stand-in for tests/notices/test_worker_crash.py (which kills a real worker)."""
    (notice,) = make_notices()
    with (
        override_settings(EMAIL_BACKEND="tests.notices.backends.DyingBackend"),
        pytest.raises(WorkerKilled),
    ):
        services.notices_send_pending()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.SENDING, 1)
    dead_claim = notice.claim

    assert services.notices_send_pending() == 0  # the lease still holds
    assert mail.outbox == []

    Notice.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert services.notices_send_pending() == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.SENT, 2)
    assert dead_claim is not None
    assert notice.claim is None
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == notice.message_id


@pytest.mark.django_db
@override_settings(NOTICE_MAX_ATTEMPTS=3)
def test_a_notice_that_keeps_killing_its_sender_is_given_up():
    (notice,) = make_notices()
    Notice.objects.update(
        status=Notice.Status.SENDING,
        attempts=3,
        claim=uuid.uuid4(),
        claimed_until=timezone.now() - timedelta(seconds=1),
    )
    assert services.notices_send_pending() == 0
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.FAILED, 4)
    assert "no more attempts" in notice.last_error
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.notices.backends.SlowBackend")
def test_two_concurrent_senders_deliver_every_notice_exactly_once():
    now = timezone.now()
    Notice.objects.bulk_create(
        Notice(
            kind="tests.notice",
            recipient=f"lid{i}@example.nl",
            subject="Onderwerp",
            body="Tekst",
            next_attempt_at=now,
        )
        for i in range(40)
    )
    start = threading.Barrier(2)
    sent_by = {}
    errors = []

    def sender(name):
        try:
            start.wait(timeout=10)
            sent_by[name] = 0
            while batch := services.notices_send_pending(limit=5):
                sent_by[name] += batch
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(sent_by.values()) == 40
    assert all(sent_by.values()), sent_by  # both really sent, side by side
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        f"lid{i}@example.nl" for i in range(40)
    )
    # Every notice was claimed exactly once: no second attempt, no second message.
    assert set(Notice.objects.values_list("status", "attempts")) == {(Notice.Status.SENT, 1)}


@pytest.mark.django_db
def test_a_renderer_may_add_the_unsubscribe_headers_only(renderers):
    def met_koppen(notice):
        return (
            "Onderwerp",
            "Tekst",
            {
                "List-Unsubscribe": "<https://example.nl/afmelden/x/>\r\nBcc: iemand@example.nl",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )

    def ander_kopje(notice):
        return "Onderwerp", "Tekst", {"Bcc": "iemand@example.nl"}

    services.register_renderer("tests.koppen", met_koppen)
    services.register_renderer("tests.bcc", ander_kopje)
    user = UserFactory()
    services.notice_create(kind="tests.koppen", recipients=[user], subject="a")
    (fout,) = services.notice_create(kind="tests.bcc", recipients=[user], subject="b")
    services.notices_send_pending()
    (message,) = mail.outbox
    # One line: a line break in a header value cannot add a header.
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://example.nl/afmelden/")
    assert "\n" not in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message()["Bcc"] is None
    assert not any(line.startswith("Bcc:") for line in message.message().as_string().splitlines())
    fout.refresh_from_db()
    assert "ImproperlyConfigured" in fout.last_error
