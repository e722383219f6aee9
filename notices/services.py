"""Every write to the outbox, and the sending of what it holds.

``notice_create`` is called inside the transaction of the change it tells about, next to the
change's audit entry: the notice exists exactly when the change committed. After the commit a
Celery task is asked to send it ("the kick"); when that fails (broker down) the step has still
succeeded and the beat sweep sends the notice within a minute.

``notices_send_pending`` claims due notices under a lease, in a short transaction that skips
rows another sender holds, then sends each one and marks it sent only if its claim is still
its own. A worker that dies mid-send leaves its notices claimed until the lease runs out; then
a sweep sends them again, with the same Message-ID."""

import contextlib
import logging
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from audit.services import audit_log

from .models import SUBJECT_MAX_LENGTH, Notice

logger = logging.getLogger(__name__)

Renderer = Callable[[Notice], tuple[str, str]]
_renderers: dict[str, Renderer] = {}

# After the n-th failed attempt the next one waits RETRY_BASE * 2 ** (n - 1), at most RETRY_MAX.
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
# The kick runs in the request that took the step. With the broker unreachable it must give up
# fast (connection refused: ~0.1 s; a broker that accepts but never answers: ~0.6 s), since
# the notice is safe in the outbox anyway.
KICK_TIMEOUT = 0.5
KICK_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
ERROR_MAX_LENGTH = 2000


def register_renderer(kind: str, renderer: Renderer) -> None:
    """Render notices of ``kind`` when they are sent, not when they are created: their rows
    store no body, so whatever the renderer puts in (a password-reset token) is never stored.
    ``renderer(notice)`` returns ``(subject, body)`` or ``(subject, body, headers)`` (only
    the headers in ``EXTRA_HEADERS``). Call from ``AppConfig.ready()``."""
    existing = _renderers.get(kind)
    if existing is not None and existing is not renderer:
        raise ImproperlyConfigured(f"A notice renderer for {kind!r} is already registered.")
    _renderers[kind] = renderer


def one_line(text, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """``text`` as one header-safe line: every run of whitespace (\\r and \\n included) and
    every control character becomes one space, trimmed and cut to ``max_length``."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text))
    line = " ".join(text.split())
    if len(line) > max_length:
        line = line[: max_length - 1].rstrip() + "…"
    return line


def _addresses(recipients, user) -> list[tuple[str, object]]:
    """(address, user) pairs, deduplicated case-insensitively; invalid addresses are left out
    (and logged) rather than failing the step that wanted to notify them."""
    seen, result = set(), []
    for recipient in recipients:
        if isinstance(recipient, str):
            address, account = recipient.strip(), user
        else:
            address, account = (recipient.email or "").strip(), recipient
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("Notice not created for an invalid address: %r", address[:100])
            continue
        if len(address) > Notice._meta.get_field("recipient").max_length:
            logger.warning("Notice not created for an overlong address: %r", address[:100])
            continue
        if address.casefold() not in seen:
            seen.add(address.casefold())
            result.append((address, account))
    return result


def notice_create(
    *,
    kind: str,
    recipients: Iterable,
    subject: str,
    body: str = "",
    audit_entry=None,
    user=None,
) -> list[Notice]:
    """Put one notice per recipient in the outbox. Call inside the transaction of the change
    it tells about. ``recipients`` are addresses or user accounts (linked to their notice);
    ``user`` links address recipients to an account. Kinds with a registered renderer take no
    body. They are sent after the commit, or by the sweep if the broker cannot be reached."""
    if kind in _renderers:
        if body:
            raise ValueError(f"Notices of kind {kind!r} are rendered when sent; store no body.")
    elif not body.strip():
        raise ValueError(f"A notice of kind {kind!r} needs a body (or a registered renderer).")
    subject = one_line(subject)
    if not subject:
        raise ValueError("A notice needs a subject.")
    now = timezone.now()
    notices = Notice.objects.bulk_create(
        Notice(
            kind=kind,
            recipient=address,
            subject=subject,
            body=body,
            audit_entry=audit_entry,
            user=account,
            next_attempt_at=now,
        )
        for address, account in _addresses(recipients, user)
    )
    if notices:
        ids = [notice.pk for notice in notices]
        transaction.on_commit(lambda: _kick(ids))
    return notices


def _kick(ids: list[int]) -> None:
    """After the commit: ask a worker to send these notices now. Never raises, since the step
    that created them has already committed; whatever is not sent now, the sweep sends."""
    from .tasks import send_pending

    try:
        queue_now(send_pending, {"ids": ids})
    except Exception as exc:
        # Expected while the broker is down: one line, not a traceback per step.
        logger.warning(
            "%d notice(s) not queued for sending now; the sweep will send them (%s: %s).",
            len(ids),
            type(exc).__name__,
            exc,
        )


def queue_now(task, kwargs: dict) -> None:
    """Put ``task`` on the queue now, from a request that must not wait for a broker that is
    down: at once where Celery runs tasks eagerly (the demo), else on a connection that gives
    up within ``KICK_TIMEOUT``. Raises what the broker raises: for work a sweep also picks up
    (the outbox, the PDFs of publications), the caller logs it and goes on."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(kwargs=kwargs)
        return
    with app.connection_for_write(
        connect_timeout=KICK_TIMEOUT,
        transport_options={
            "socket_connect_timeout": KICK_TIMEOUT,
            "socket_timeout": KICK_TIMEOUT,
        },
    ) as connection:
        task.apply_async(
            kwargs=kwargs,
            connection=connection,
            retry=True,
            retry_policy=KICK_RETRY_POLICY,
        )


def notices_send_pending(*, limit: int = 100, ids: Iterable[int] | None = None) -> int:
    """Send up to ``limit`` due notices (only those of ``ids`` when given: the kick after a
    commit sends what that commit created); return how many were sent. Safe to run from any
    number of workers at once: each notice is sent by the one sender that claimed it."""
    claim, ids = _claim_due(limit=limit, ids=ids)
    sent = 0
    connection = mail.get_connection()
    try:
        for pk in ids:
            sent += _send_one(pk=pk, claim=claim, connection=connection)
    finally:
        _close_quietly(connection)
    return sent


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTICE_LEASE_SECONDS)


def _claim_due(*, limit: int, ids: Iterable[int] | None) -> tuple[uuid.UUID, list[int]]:
    """Due notices: pending and due, or claimed by a sender whose lease has run out (it
    died, or hung past its time limit). Rows another sender is claiming are skipped, and the
    transaction is over before anything is sent."""
    claim = uuid.uuid4()
    now = timezone.now()
    due = Q(status=Notice.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Notice.Status.SENDING, claimed_until__lte=now
    )
    if ids is not None:
        due &= Q(pk__in=list(ids))
    with transaction.atomic():
        claimed = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if claimed:
            Notice.objects.filter(pk__in=claimed).update(
                status=Notice.Status.SENDING,
                claim=claim,
                claimed_until=now + _lease(),
                attempts=F("attempts") + 1,
            )
    return claim, claimed


def _mine(pk: int, claim: uuid.UUID):
    return Notice.objects.filter(pk=pk, status=Notice.Status.SENDING, claim=claim)


def _send_one(*, pk: int, claim: uuid.UUID, connection) -> int:
    # Renew the lease just before sending: a batch may take a while, and a notice whose
    # claim was taken over in the meantime is no longer ours to send.
    if not _mine(pk, claim).update(claimed_until=timezone.now() + _lease()):
        return 0
    notice = Notice.objects.select_related("user").get(pk=pk)
    if notice.attempts > settings.NOTICE_MAX_ATTEMPTS:
        # Only reached when senders kept dying on this notice without recording an error.
        _mine(pk, claim).update(
            status=Notice.Status.FAILED,
            claim=None,
            claimed_until=None,
            last_error=f"{notice.last_error}\n(no more attempts)".strip(),
        )
        return 0
    try:
        subject, body, extra = _content(notice)
        message = mail.EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.recipient],
            headers={
                **extra,
                "Message-ID": notice.message_id,
                "Auto-Submitted": "auto-generated",
            },
            connection=connection,
        )
        connection.open()  # kept open for the rest of the batch
        if connection.send_messages([message]) != 1:
            raise RuntimeError("The mail backend accepted no message.")
    except Exception as exc:
        # A broken connection must not fail the rest of the batch: reopen on the next one.
        _close_quietly(connection)
        _record_failure(notice, claim, exc)
        return 0
    if not _mine(pk, claim).update(
        status=Notice.Status.SENT,
        sent_at=timezone.now(),
        claim=None,
        claimed_until=None,
        last_error="",
    ):  # pragma: no cover - the lease was renewed just before sending
        logger.error("Notice %s was sent, but its claim had been taken over.", pk)
    return 1


# Headers a renderer may add (RFC 8058 one-click unsubscribe); any other is refused.
EXTRA_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


def _content(notice: Notice) -> tuple[str, str, dict]:
    renderer = _renderers.get(notice.kind)
    if renderer is None:
        if not notice.body:
            raise ImproperlyConfigured(f"No notice renderer registered for {notice.kind!r}.")
        return notice.subject, notice.body, {}
    with translation.override(settings.LANGUAGE_CODE):
        # (subject, body), or (subject, body, headers) for the headers in EXTRA_HEADERS.
        subject, body, *rest = renderer(notice)
    headers = rest[0] if rest else {}
    if set(headers) - set(EXTRA_HEADERS):
        raise ImproperlyConfigured(f"A renderer may add only these headers: {EXTRA_HEADERS}.")
    return one_line(subject), body, {k: one_line(v, max_length=900) for k, v in headers.items()}


def _record_failure(notice: Notice, claim: uuid.UUID, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
    if notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
        changes = {"status": Notice.Status.FAILED}
        logger.error(
            "Notice %s failed for good after %s attempts: %s", notice.pk, notice.attempts, error
        )
    else:
        delay = min(RETRY_BASE * 2 ** (notice.attempts - 1), RETRY_MAX)
        changes = {"status": Notice.Status.PENDING, "next_attempt_at": timezone.now() + delay}
        logger.warning(
            "Notice %s not sent (attempt %s), retry in %s: %s",
            notice.pk,
            notice.attempts,
            delay,
            error,
        )
    _mine(notice.pk, claim).update(claim=None, claimed_until=None, last_error=error, **changes)


def _close_quietly(connection) -> None:
    # A connection that cannot even close cleanly is dropped all the same.
    with contextlib.suppress(Exception):
        connection.close()


def notices_resend(*, notice_ids: Iterable[int], actor) -> int:
    """Give failed notices a fresh series of attempts (the admin's "send again"). Each is
    logged; return how many were reset."""
    if not actor.has_perm("notices.resend_notice"):
        raise PermissionDenied
    with transaction.atomic():
        failed = list(
            Notice.objects.select_for_update()
            .filter(pk__in=list(notice_ids), status=Notice.Status.FAILED)
            .order_by("pk")
        )
        for notice in failed:
            audit_log(
                action="notices.resend",
                actor=actor,
                target=notice,
                data={
                    "soort": notice.kind,
                    "pogingen": notice.attempts,
                    "fout": notice.last_error[:500],
                },
            )
        Notice.objects.filter(pk__in=[n.pk for n in failed]).update(
            status=Notice.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if failed:
            ids = [notice.pk for notice in failed]
            transaction.on_commit(lambda: _kick(ids))
    return len(failed)
