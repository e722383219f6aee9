"""The append-only audit log: one row per state-changing action, written in the same
transaction as the change it records (after Wagtail's ``ModelLogEntry``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def for_objects(self, *objects):
        """Entries about any of ``objects`` (one query, whatever their types)."""
        condition = models.Q(pk__in=[])
        for obj in objects:
            condition |= models.Q(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
        return self.filter(condition)

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept so the log still says who acted after the account is deleted. For the beheerder
    # only: it may be an e-mail address when the account has no name.
    actor_label = models.CharField(_("door (naam)"), max_length=255, blank=True)
    # What public pages may show about the actor: their name (blank when they gave none) and
    # the role they acted in. Never the e-mail address.
    actor_naam = models.CharField(_("door (openbare naam)"), max_length=150, blank=True)
    actor_rol = models.CharField(_("in de rol van"), max_length=20, blank=True)
    timestamp = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # Empty for events about no stored object (a lockout of an address nobody has).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("gegevens"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} ({self.actor_label})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")
