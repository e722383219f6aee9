"""Residents' support (steunbetuigingen) for agendapunten and initiatives.

A signed-in resident of the werkgebied supports an agendapunt of the wijkagenda or an
initiative of the wijkprogramma once; the count is shown against the draagvlak criterion of
the participation plan for that phase. One row per resident per item: the database holds
that (a unique constraint per kind) and that each row points at exactly one item (a check).

Named ``Steunbetuiging``: ``Steun`` is the anonymous "ik heb dit ook" of a melding, which is
counted and never named; this one belongs to an account, so the resident sees and withdraws
it, and it goes with the account (``participation.bewoners.verwijderen``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Steunbetuiging"]


class Steunbetuiging(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewoner"),
        on_delete=models.CASCADE,
        related_name="steunbetuigingen",
    )
    agendapunt = models.ForeignKey(
        "cycle.Agendapunt",
        verbose_name=_("agendapunt"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steunbetuigingen",
    )
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steunbetuigingen",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("steunbetuiging van een bewoner")
        verbose_name_plural = _("steunbetuigingen van bewoners")
        # The unique constraints' indexes lead with the user ("Mijn steunbetuigingen"); the
        # counts per item use the foreign keys' own indexes.
        constraints = [
            models.CheckConstraint(
                condition=Q(agendapunt__isnull=False, initiatief__isnull=True)
                | Q(agendapunt__isnull=True, initiatief__isnull=False),
                name="participation_steunbetuiging_een_onderwerp",
            ),
            models.UniqueConstraint(
                fields=["user", "agendapunt"],
                condition=Q(agendapunt__isnull=False),
                name="participation_steunbetuiging_agendapunt_uniek",
            ),
            models.UniqueConstraint(
                fields=["user", "initiatief"],
                condition=Q(initiatief__isnull=False),
                name="participation_steunbetuiging_initiatief_uniek",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.agendapunt_id or self.initiatief_id}"

    @property
    def onderwerp(self):
        return self.agendapunt if self.agendapunt_id else self.initiatief
