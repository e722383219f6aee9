"""A publication is one immutable version of a published product: what was published (its
HTML, frozen at that moment), when and by whom, and the archival PDF that a Celery worker
renders from that HTML."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cycle.models import PRODUCT_MODELLEN

SOORTEN = [(model.SOORT, model._meta.verbose_name) for model in PRODUCT_MODELLEN]


class Pdfstatus(models.TextChoices):
    WACHTEND = "wachtend", _("PDF wordt gemaakt")
    KLAAR = "klaar", _("PDF beschikbaar")
    MISLUKT = "mislukt", _("PDF maken mislukt")


def _pdf_pad(publicatie, filename: str) -> str:
    return (
        f"publicaties/{publicatie.werkgebied.slug}/{publicatie.jaar}/"
        f"{publicatie.soort}-v{publicatie.versie}.pdf"
    )


class PublicatieQuerySet(models.QuerySet):
    def met_opvolger(self):
        """Each version with what replaced it, if anything: the next version's number, date
        and the reason of that correction (``opvolger_*``, None for the current version).
        Subqueries on the unique (product, versie) index: no extra query per row."""
        opvolger = Publicatie.objects.filter(
            product_type=OuterRef("product_type"),
            product_id=OuterRef("product_id"),
            versie=OuterRef("versie") + 1,
        )
        return self.annotate(
            opvolger_versie=Subquery(opvolger.values("versie")[:1]),
            opvolger_op=Subquery(opvolger.values("gepubliceerd_op")[:1]),
            opvolger_reden=Subquery(opvolger.values("correctie_reden")[:1]),
        )


class Publicatie(models.Model):
    # The product it publishes, and, copied from it, what the archive filters on.
    product_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    product_id = models.PositiveIntegerField()
    product = GenericForeignKey("product_type", "product_id")
    soort = models.CharField(_("soort"), max_length=20, choices=SOORTEN)
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="publicaties",
    )
    jaar = models.PositiveSmallIntegerField(_("programmajaar"))
    versie = models.PositiveSmallIntegerField(_("versie"))
    titel = models.CharField(_("titel"), max_length=200)

    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"))
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the public may read about who published: a name or a role, never an address.
    gepubliceerd_door_naam = models.CharField(_("gepubliceerd door (naam)"), max_length=150)
    # The product as it was published, as a standalone HTML document. Never changed.
    html = models.TextField(_("HTML bij publicatie"))
    # Why this version replaces the one before it (given when the product was reopened for a
    # correction); empty for a first version.
    correctie_reden = models.TextField(_("reden van de correctie"), blank=True)

    pdf = models.FileField(_("PDF"), upload_to=_pdf_pad, blank=True, max_length=255)
    pdf_sha256 = models.CharField(_("SHA-256 van de PDF"), max_length=64, blank=True)
    pdf_grootte = models.PositiveIntegerField(_("grootte van de PDF in bytes"), null=True)
    pdf_status = models.CharField(
        _("PDF"), max_length=10, choices=Pdfstatus, default=Pdfstatus.WACHTEND
    )
    pdf_fout = models.TextField(_("reden dat de PDF niet gemaakt kon worden"), blank=True)
    pdf_pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # A worker that renders claims the version until then; a killed worker's claim runs out
    # and the sweep hands the version to another.
    pdf_bezig_tot = models.DateTimeField(null=True, blank=True)
    pdf_gemaakt_op = models.DateTimeField(_("PDF gemaakt op"), null=True, blank=True)

    objects = PublicatieQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = ["-gepubliceerd_op", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_type", "product_id", "versie"], name="publicatie_versie_uniek"
            ),
            models.CheckConstraint(condition=Q(versie__gte=1), name="publicatie_versie_vanaf_1"),
            # A correction says why; a first version corrects nothing.
            models.CheckConstraint(
                condition=Q(versie=1, correctie_reden="")
                | (Q(versie__gt=1) & ~Q(correctie_reden="")),
                name="publicatie_correctie_heeft_reden",
            ),
            models.CheckConstraint(
                condition=~Q(pdf_status="klaar") | (~Q(pdf="") & ~Q(pdf_sha256="")),
                name="publicatie_klaar_heeft_pdf",
            ),
        ]
        indexes = [
            models.Index(fields=["werkgebied", "jaar", "soort"], name="publicatie_archief"),
            models.Index(
                fields=["pdf_bezig_tot"],
                name="publicatie_wachtend",
                condition=Q(pdf_status="wachtend"),
            ),
        ]

    def __str__(self):
        return f"{self.titel} (versie {self.versie})"

    def get_absolute_url(self):
        """The page of this version: its text, its PDF (or how far that is), its checksum."""
        return reverse("publicatie-detail", kwargs=self._kwargs())

    def get_html_url(self):
        """The text as published: the frozen standalone document."""
        return reverse("publicatie-html", kwargs=self._kwargs())

    def get_pdf_url(self):
        return reverse("publicatie-pdf", kwargs=self._kwargs())

    def _kwargs(self) -> dict:
        return {
            "slug": self.werkgebied.slug,
            "jaar": self.jaar,
            "soort": self.soort,
            "versie": self.versie,
        }

    def opvolger_url(self) -> str | None:
        """The page of the version that replaced this one (needs ``met_opvolger()``)."""
        if getattr(self, "opvolger_versie", None) is None:
            return None
        return reverse(
            "publicatie-detail", kwargs={**self._kwargs(), "versie": self.opvolger_versie}
        )

    @property
    def pdf_bestandsnaam(self) -> str:
        return f"{self.soort}-{self.werkgebied.slug}-{self.jaar}-v{self.versie}.pdf"
