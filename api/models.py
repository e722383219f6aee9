"""API keys: one or more per user, for the write endpoints and for Open311's ``api_key``.

Only a SHA-256 digest of a key is stored (a key is 32 random bytes, so a plain digest is as
strong as a slow hash would be); the key itself is shown once, when it is made. A key acts as
its user with the roles that user holds at the moment of the request: an expired role gives a
key no more than it gives the user in the browser."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiSleutelQuerySet(models.QuerySet):
    def geldig(self):
        return self.filter(ingetrokken__isnull=True, user__is_active=True)


class ApiSleutel(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="api_sleutels",
    )
    naam = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=PREFIX_LENGTH)
    sleutel_hash = models.CharField(_("SHA-256 van de sleutel"), max_length=64, unique=True)
    aangemaakt = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    laatst_gebruikt = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    ingetrokken = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = ApiSleutelQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-aangemaakt"]

    def __str__(self):
        return f"{self.naam} ({self.prefix}…)"

    @staticmethod
    def nieuwe_sleutel() -> str:
        return secrets.token_urlsafe(32)
