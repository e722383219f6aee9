"""Rotterdam's places: gebieden, wijken, werkgebieden (the area of one wijkraad) with their
wijkraad, and the Wijkprofiel indices per wijk. Reference data, loaded by ``import_rotterdam``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .urls_cache import slug_url


class Gebied(models.Model):
    code = models.CharField(_("CBS-code"), max_length=10, unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    cbs_wijknaam = models.CharField(_("CBS-wijknaam"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Werkgebied(models.Model):
    """The area of one wijkraad (or dorpsraad): the unit of the yearly werkcyclus."""

    naam = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    gebied = models.ForeignKey(
        Gebied, verbose_name=_("gebied"), on_delete=models.PROTECT, related_name="werkgebieden"
    )

    class Meta:
        verbose_name = _("werkgebied")
        verbose_name_plural = _("werkgebieden")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return slug_url("werkgebied-detail", self.slug)


class Wijkraad(models.Model):
    class Soort(models.TextChoices):
        WIJKRAAD = "wijkraad", _("wijkraad")
        DORPSRAAD = "dorpsraad", _("dorpsraad")

    naam = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort, default=Soort.WIJKRAAD)
    werkgebied = models.OneToOneField(
        Werkgebied, verbose_name=_("werkgebied"), on_delete=models.CASCADE, related_name="wijkraad"
    )

    class Meta:
        verbose_name = _("wijkraad")
        verbose_name_plural = _("wijkraden")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Wijk(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    gebied = models.ForeignKey(
        Gebied, verbose_name=_("gebied"), on_delete=models.PROTECT, related_name="wijken"
    )
    werkgebied = models.ForeignKey(
        Werkgebied,
        verbose_name=_("werkgebied"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijken",
        help_text=_("Leeg voor een wijk zonder wijkraad (CS-kwartier)."),
    )
    cbs_buurtcodes = models.JSONField(_("CBS-buurtcodes"), default=list, blank=True)
    inwoners = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    inwoners_jaar = models.PositiveSmallIntegerField(_("peiljaar inwoners"), null=True, blank=True)
    opmerking = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return slug_url("wijk-detail", self.slug)


class WijkprofielScore(models.Model):
    """Wijkprofiel indices of one wijk in one measuring year (100 = city average of 2014)."""

    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="wijkprofiel"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    fysieke_index = models.PositiveSmallIntegerField(_("fysieke index"))
    veiligheidsindex = models.PositiveSmallIntegerField(_("veiligheidsindex"))
    sociale_index = models.PositiveSmallIntegerField(_("sociale index"))

    class Meta:
        verbose_name = _("Wijkprofielscore")
        verbose_name_plural = _("Wijkprofielscores")
        ordering = ["wijk", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["wijk", "jaar"], name="places_wijkprofiel_uniek_jaar")
        ]

    def __str__(self):
        return f"{self.wijk} {self.jaar}"
