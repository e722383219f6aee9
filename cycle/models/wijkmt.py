"""The wijk-MT of a werkgebied (its management team): the wijkraad delegation the wijkmanager
chose, its meetings (overleggen) and their besluitenlijst. The chair and the accounthouders
are not stored: they follow from the roles and the clusters active in the werkgebied (see
``cycle.selectors_wijkmt``). Everything here changes only through ``cycle.services_wijkmt``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Besluit", "Overleg", "WijkMTDelegatie", "WijkMTLid"]


class WijkMTDelegatie(models.Model):
    """Which wijkraadsleden sit in the wijk-MT of one werkgebied. One row per werkgebied,
    made the first time its wijkmanager chooses; ``versie`` guards two people choosing at
    once (0: nobody chose yet)."""

    werkgebied = models.OneToOneField(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.CASCADE,
        related_name="wijkmt_delegatie",
    )
    versie = models.PositiveIntegerField(_("versie"), default=0)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("wijkraaddelegatie in het wijk-MT")
        verbose_name_plural = _("wijkraaddelegaties in het wijk-MT")

    def __str__(self):
        return str(self.werkgebied)


class WijkMTLid(models.Model):
    """One wijkraadslid of the delegation. Counts only while the member holds an active
    wijkraadslid role in the werkgebied: an ended role drops them from every list without
    anyone removing the row."""

    delegatie = models.ForeignKey(
        WijkMTDelegatie,
        verbose_name=_("delegatie"),
        on_delete=models.CASCADE,
        related_name="leden",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wijkraadslid"),
        on_delete=models.CASCADE,
        related_name="wijkmt_lidmaatschappen",
    )

    class Meta:
        verbose_name = _("lid van de wijkraaddelegatie")
        verbose_name_plural = _("leden van de wijkraaddelegatie")
        constraints = [
            models.UniqueConstraint(fields=["delegatie", "user"], name="cycle_wijkmtlid_uniek"),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def werkgebied(self):
        return self.delegatie.werkgebied


class Overleg(models.Model):
    """A meeting of the wijk-MT: when, where, what was on the agenda, the notes; its
    decisions are its besluitenlijst."""

    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="wijkmt_overleggen",
    )
    datum = models.DateField(_("datum"))
    locatie = models.CharField(_("locatie"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    notities = models.TextField(_("verslag en notities"), max_length=20000, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    # Raised on every change: a form read before someone else's change saves nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("overleg van het wijk-MT")
        verbose_name_plural = _("overleggen van het wijk-MT")
        ordering = ["-datum", "-pk"]
        indexes = [
            models.Index(fields=["werkgebied", "-datum", "-id"], name="overleg_werkgebied_datum"),
        ]

    def __str__(self):
        return f"{self.werkgebied} – {self.datum:%d-%m-%Y}"


class Besluit(models.Model):
    """One decision of a meeting: what was decided, who acts on it and by when, and the
    initiative and/or knelpunt (of the same werkgebied) it is about."""

    overleg = models.ForeignKey(
        Overleg,
        verbose_name=_("overleg"),
        on_delete=models.CASCADE,
        related_name="besluiten",
    )
    tekst = models.TextField(_("besluit"), max_length=3000)
    # The actiehouder: a member's account, or a name (someone outside the portal).
    actiehouder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actiehouder (lid van het wijk-MT)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actiehouder_naam = models.CharField(_("actiehouder (naam)"), max_length=150, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # SET_NULL: the minutes stay as they were when an initiative of a programme still being
    # drafted is removed.
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="besluiten",
    )
    knelpunt = models.ForeignKey(
        "cycle.Knelpunt",
        verbose_name=_("knelpunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="besluiten",
    )
    aangemaakt_op = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("besluit van het wijk-MT")
        verbose_name_plural = _("besluitenlijst")
        ordering = ["overleg", "pk"]

    def __str__(self):
        return self.tekst[:60]

    @property
    def werkgebied(self):
        return self.overleg.werkgebied

    @property
    def actiehouder_label(self) -> str:
        if self.actiehouder_id is not None:
            return self.actiehouder.naam or self.actiehouder.email
        return self.actiehouder_naam
