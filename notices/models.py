"""The outbox of e-mail notices: one row per message to one recipient, written in the same
transaction as the change (and its audit entry) it tells about, and sent afterwards by a
Celery task that claims rows under a lease (see ``notices.services``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Subjects are cut to this many characters (the column is longer, for the ellipsis and slack).
SUBJECT_MAX_LENGTH = 200


class Notice(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op verzending")
        SENDING = "sending", _("wordt verzonden")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")

    # Namespaced like audit actions: "cycle.transition", "people.password_reset".
    kind = models.CharField(_("soort"), max_length=100)
    recipient = models.EmailField(_("ontvanger"))
    subject = models.CharField(_("onderwerp"), max_length=255)
    # Empty for kinds rendered at send time (a registered renderer), so that nothing secret,
    # such as a password-reset token, is ever stored.
    body = models.TextField(_("tekst"), blank=True)
    # PROTECT: the entry is why the notice exists. The log is append-only anyway, and with
    # SET_NULL a lost entry would also silently lift the once-per-recipient constraint.
    audit_entry = models.ForeignKey(
        "audit.AuditEntry",
        verbose_name=_("logregel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # The account the notice is for, when there is one; the address above is what was used.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"))
    # The lease of the worker that is sending it, and the token of that claim: only the
    # claimant may mark the notice sent, and after the lease a sweep may take it over.
    claimed_until = models.DateTimeField(_("geclaimd tot"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit_entry", "recipient"], name="notices_once_per_entry_and_recipient"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="notices_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending")
                | Q(claimed_until__isnull=False, claim__isnull=False),
                name="notices_sending_has_claim",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notices_sent_has_time",
            ),
        ]
        # The sweep asks for due pending rows and for sending rows whose lease ran out. Partial
        # indexes stay small however many sent rows pile up.
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notices_pending_due_idx",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="notices_sending_lease_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="notices_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so that a resend after a crash that left it unclear
        whether the first went out is recognisable (and can be deduplicated) as one message."""
        domain = urlsplit(settings.SITE_URL).hostname or "wijkaanpak.invalid"
        return f"<notice-{self.pk}@{domain}>"
