"""The version of what the public sees. Every state change bumps it in its own transaction, and
cached public pages are keyed by it, so a page is never served from before a change that has
committed: no timeouts, no stale pages (STYLE: caching with exact invalidation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Versie(models.Model):
    naam = models.CharField(_("naam"), max_length=50, primary_key=True)
    waarde = models.BigIntegerField(_("waarde"), default=0)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")

    def __str__(self):
        return f"{self.naam}: {self.waarde}"
