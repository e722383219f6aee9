"""Consultations on a product of the cycle, and the reactions of residents.

A product that goes ``ter_consultatie`` gets one ``Consultatie`` (made in the same transaction
by the receiver of ``cycle.signals.product_overgegaan``): the question to residents and the
days it is open. It opens and closes by the date, by itself (the beat task
``consultaties-bijwerken``; its status is what the public pages and the cache follow).

A ``Reactie`` is placed at once by a signed-in resident, or by an e-mail address that
confirmed it through a one-time link (``participation.services_consultatie``). The wijkmanager
answers each one and says what changed because of it; an abusive one is hidden with a reason,
never deleted. The author (account or address) is personal data: never public, never in the
nota van beantwoording, the snapshot or the audit log."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consultatiestatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    OPEN = "open", _("open")
    GESLOTEN = "gesloten", _("gesloten")


class Consultatie(models.Model):
    """The consultation of one product (the product is the cycle's one of kind ``soort``)."""

    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("werkcyclus"),
        on_delete=models.CASCADE,
        related_name="consultaties",
    )
    soort = models.CharField(_("product"), max_length=20)
    vraag = models.TextField(_("vraag aan bewoners"), max_length=2000)
    # Both days included: open from the start of ``opent_op`` to the end of ``sluit_op``.
    opent_op = models.DateField(_("opent op"))
    sluit_op = models.DateField(_("sluit op"))
    # Kept by ``consultaties_bijwerken`` (beat) and the services from the dates; a plain field
    # and not a state machine: the dates decide, the field records what the public was told.
    status = models.CharField(
        _("status"), max_length=10, choices=Consultatiestatus, default=Consultatiestatus.GEPLAND
    )
    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    geopend_op = models.DateTimeField(_("geopend op"), null=True, blank=True)
    gesloten_op = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")
        ordering = ["-opent_op", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cyclus", "soort"], name="consultatie_per_product"),
            models.CheckConstraint(
                condition=Q(sluit_op__gte=models.F("opent_op")),
                name="consultatie_sluit_na_opent",
                violation_error_message=_("Een consultatie sluit niet vóór zij opent."),
            ),
        ]
        indexes = [
            # The beat task looks for what should open or close today.
            models.Index(fields=["status", "opent_op", "sluit_op"], name="consultatie_bijwerken"),
        ]

    def __str__(self):
        return f"{self.cyclus_id}:{self.soort}"

    def get_absolute_url(self):
        return reverse(
            "consultatie",
            kwargs={
                "slug": self.cyclus.werkgebied.slug,
                "jaar": self.cyclus.jaar,
                "soort": self.soort,
            },
        )

    @property
    def werkgebied(self):
        return self.cyclus.werkgebied

    @property
    def product(self):
        """The product consulted on (the cycle's product of this kind; select it along)."""
        return getattr(self.cyclus, self.soort, None)

    def status_op(self, today=None) -> str:
        """The status the dates give on ``today``."""
        today = today or timezone.localdate()
        if today < self.opent_op:
            return Consultatiestatus.GEPLAND
        if today > self.sluit_op:
            return Consultatiestatus.GESLOTEN
        return Consultatiestatus.OPEN

    @property
    def is_open(self) -> bool:
        """Open for reactions now: by its recorded status and by the date (a day after the
        close date nobody reacts, even before the beat task has run)."""
        return self.status == Consultatiestatus.OPEN and self.status_op() == Consultatiestatus.OPEN

    def dagen_over(self, today=None) -> int:
        """Days left to react, today included (0 when closed)."""
        today = today or timezone.localdate()
        if not self.is_open:
            return 0
        return (self.sluit_op - today).days + 1


class Reactiestatus(models.TextChoices):
    WACHT = "wacht", _("wacht op bevestiging")
    GEPLAATST = "geplaatst", _("geplaatst")
    VERBORGEN = "verborgen", _("verborgen")


def nieuw_reactietoken() -> str:
    """The one-time key of an unconfirmed reaction: 256 random bits."""
    return secrets.token_urlsafe(32)


class Reactie(models.Model):
    consultatie = models.ForeignKey(
        Consultatie,
        verbose_name=_("consultatie"),
        on_delete=models.CASCADE,
        related_name="reacties",
    )
    tekst = models.TextField(_("reactie"), max_length=5000)
    # The part of the product it is about, if any: an agendapunt of the wijkagenda or an
    # initiative of the wijkprogramma of the same cycle. A removed part leaves the reaction.
    agendapunt = models.ForeignKey(
        "cycle.Agendapunt",
        verbose_name=_("agendapunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reacties",
    )
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reacties",
    )
    # Who wrote it: an account, or an address that confirmed it. Personal data: never public.
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Reactiestatus, default=Reactiestatus.WACHT
    )
    # The one-time confirmation key: cleared when used, useless after ``token_geldig_tot``.
    token = models.CharField(_("sleutel"), max_length=64, unique=True, null=True, blank=True)
    token_geldig_tot = models.DateTimeField(_("link geldig tot"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    geplaatst_op = models.DateTimeField(_("geplaatst op"), null=True, blank=True)

    verborgen_reden = models.TextField(_("reden van verbergen"), max_length=1000, blank=True)
    verborgen_op = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    antwoord = models.TextField(_("antwoord van de gemeente"), max_length=5000, blank=True)
    wat_veranderd = models.TextField(_("wat er daardoor is veranderd"), max_length=5000, blank=True)
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Incremented on every change, so a stale moderation form changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["geplaatst_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(auteur__isnull=True, email=""), name="reactie_heeft_auteur"
            ),
            models.CheckConstraint(
                condition=Q(agendapunt__isnull=True) | Q(initiatief__isnull=True),
                name="reactie_een_onderdeel",
            ),
            models.CheckConstraint(
                condition=~Q(status="verborgen") | ~Q(verborgen_reden=""),
                name="reactie_verborgen_met_reden",
            ),
            models.CheckConstraint(
                condition=Q(status="wacht") | Q(geplaatst_op__isnull=False),
                name="reactie_geplaatst_heeft_datum",
            ),
        ]
        indexes = [
            # The public list and the nota: the placed and hidden ones in order.
            models.Index(
                fields=["consultatie", "geplaatst_op", "id"],
                name="reactie_lijst",
                condition=~Q(status="wacht"),
            ),
            # What still needs an answer (the adoption check, "Mijn werk", the filter).
            models.Index(
                fields=["consultatie"],
                name="reactie_onbeantwoord",
                condition=Q(status="geplaatst", antwoord=""),
            ),
            # "Mijn reacties" and the AVG: reactions confirmed by e-mail without an account,
            # found by the account's address (``iexact`` is ``UPPER`` in PostgreSQL).
            models.Index(
                Upper("email"),
                name="reactie_email_zonder_account",
                condition=Q(auteur__isnull=True),
            ),
            # The beat task removes unconfirmed reactions whose link ran out.
            models.Index(
                fields=["token_geldig_tot"],
                name="reactie_onbevestigd",
                condition=Q(status="wacht"),
            ),
        ]

    def __str__(self):
        return f"{self.consultatie_id}: {self.pk}"

    @property
    def werkgebied(self):
        return self.consultatie.cyclus.werkgebied

    @property
    def is_beantwoord(self) -> bool:
        return bool(self.antwoord.strip())

    @property
    def onderdeel(self):
        return self.agendapunt or self.initiatief
