"""Bijeenkomsten (meetings) of a werkgebied and the findings (bevindingen) of a wijkschouw.

A meeting is planned by the wijkmanager of its werkgebied (a wijkraadslid plans the wijkraad's
own meetings); it appears in the public calendar and the iCalendar feeds when it is public. Its
outcome notes (verslag) and number of attendees are written after it took place. A wijkschouw
(inspection walk) collects findings on a phone; each carries a client-made UUID so that a
finding sent again after the connection came back is stored once. The wijkmanager turns
findings into meldingen in one step (``participation.services_bijeenkomsten``), and the finding
keeps the melding it became. Everything here changes only through that module."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycle.models import Fase, Participatieniveau

# More people than this at one wijk meeting is a typing error.
MAX_AANWEZIGEN = 5000


class Soort(models.TextChoices):
    WIJKRAADVERGADERING = "wijkraadvergadering", _("wijkraadvergadering")
    THEMABIJEENKOMST = "themabijeenkomst", _("themabijeenkomst")
    BUURTGESPREK = "buurtgesprek", _("buurtgesprek")
    WERKGROEP = "werkgroep", _("werkgroep")
    WIJKSCHOUW = "wijkschouw", _("wijkschouw")


class Bijeenkomst(models.Model):
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="bijeenkomsten",
        db_index=False,
    )
    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("cyclus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bijeenkomsten",
    )
    fase = models.CharField(_("fase"), max_length=20, choices=Fase, blank=True)
    soort = models.CharField(_("soort"), max_length=30, choices=Soort)
    titel = models.CharField(_("titel"), max_length=200)
    begin = models.DateTimeField(_("begint om"))
    einde = models.DateTimeField(_("eindigt om"))
    plaats = models.CharField(_("plaats"), max_length=200)
    adres = models.CharField(_("adres"), max_length=200, blank=True)
    niveau = models.CharField(_("participatieniveau"), max_length=20, choices=Participatieniveau)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    verslag = models.TextField(_("verslag (na afloop)"), max_length=20000, blank=True)
    aantal_aanwezigen = models.PositiveIntegerField(
        _("aantal aanwezigen (na afloop)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AANWEZIGEN)],
    )
    openbaar = models.BooleanField(
        _("openbaar"),
        default=True,
        help_text=_("In de openbare agenda en de agendafeed (een werkgroep kan besloten zijn)."),
    )
    geannuleerd = models.BooleanField(_("geannuleerd"), default=False)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepland door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("gepland op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    # Raised on every change: a form read before someone else's change saves nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["begin", "pk"]
        indexes = [
            models.Index(fields=["werkgebied", "begin", "id"], name="bijeenkomst_werkgebied"),
            models.Index(
                fields=["begin", "id"], name="bijeenkomst_openbaar", condition=Q(openbaar=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gt=F("begin")),
                name="bijeenkomst_einde_na_begin",
                violation_error_message=_("Een bijeenkomst eindigt na het begin."),
            ),
            models.CheckConstraint(
                condition=Q(aantal_aanwezigen__isnull=True)
                | Q(aantal_aanwezigen__lte=MAX_AANWEZIGEN),
                name="bijeenkomst_aanwezigen_redelijk",
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("bijeenkomst-detail", kwargs={"slug": self.werkgebied.slug, "pk": self.pk})

    @property
    def is_voorbij(self) -> bool:
        return self.einde <= timezone.now()

    @property
    def is_wijkschouw(self) -> bool:
        return self.soort == Soort.WIJKSCHOUW

    @property
    def mist_verslag(self) -> bool:
        return self.is_voorbij and not self.geannuleerd and not self.verslag


class Bevinding(models.Model):
    """One finding of a wijkschouw: text, an optional photo (re-encoded without metadata, as a
    melding's) and an optional point in Rotterdam. Not public: the participants and the
    wijkmanager see them; the melding made of it follows the melding rules."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        verbose_name=_("wijkschouw"),
        on_delete=models.CASCADE,
        related_name="bevindingen",
    )
    # Made by the phone before sending: a finding sent twice (the connection dropped after the
    # server stored it) is stored once.
    uuid = models.UUIDField(_("kenmerk"), unique=True, default=uuid.uuid4)
    tekst = models.TextField(_("bevinding"), max_length=2000)
    foto = models.FileField(_("foto"), upload_to="bevindingen/%Y/%m/", max_length=200, blank=True)
    foto_type = models.CharField(_("soort foto"), max_length=20, blank=True)
    foto_breedte = models.PositiveIntegerField(_("breedte"), null=True, blank=True)
    foto_hoogte = models.PositiveIntegerField(_("hoogte"), null=True, blank=True)
    lengtegraad = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    breedtegraad = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The wijk the point lies in (none without a point): the melding made of it goes there.
    wijk = models.ForeignKey(
        "places.Wijk",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    buurtcode = models.CharField(_("CBS-buurtcode"), max_length=12, blank=True)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now)
    melding = models.OneToOneField(
        "participation.Melding",
        verbose_name=_("melding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bevinding",
    )

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["ingediend_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lengtegraad__isnull=True, breedtegraad__isnull=True)
                | Q(lengtegraad__isnull=False, breedtegraad__isnull=False),
                name="bevinding_punt_volledig",
            ),
        ]

    def __str__(self):
        return self.tekst[:60]

    @property
    def werkgebied(self):
        return self.bijeenkomst.werkgebied
