"""Bewonersinitiatieven (Rotterdam's Subsidieregeling bewonersinitiatieven 2023): the rules per
werkgebied (``Regeling``), the application with its cost lines, co-signers, the decision with
Zwolle's seven spelregels as an assessment list, and the receipts of the verantwoording.

The application is the lifecycle header (status, version); content hangs from it. The state
changes only through ``budgets.services_bi``; money is ``Decimal`` euros, never float."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

MAXIMUM_STANDAARD = Decimal("10000.00")
MAXIMUM_VERHOOGD = Decimal("20000.00")
AANTAL_MEDEONDERTEKENAARS = 4


class Verdeling(models.TextChoices):
    OP_IS_OP = "op_is_op", _("wie het eerst komt, het eerst maalt (op is op)")
    RONDES = "rondes", _("in rondes")


class Beslisser(models.TextChoices):
    WIJKRAAD = "wijkraad", _("de wijkraad (een wijkraadslid legt het besluit vast)")
    WIJKMANAGER = "wijkmanager", _("de wijkmanager (gedelegeerd)")


class Regeling(models.Model):
    """The rules of one werkgebied; the defaults are Rotterdam's regulation of 1 October 2023."""

    werkgebied = models.OneToOneField(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.CASCADE,
        related_name="bi_regeling",
    )
    maximum = models.DecimalField(
        _("maximum per initiatief (euro)"),
        max_digits=12,
        decimal_places=2,
        default=MAXIMUM_STANDAARD,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAXIMUM_VERHOOGD)],
        help_text=_("€ 10.000, of € 20.000 waar dat zo is vastgesteld."),
    )
    weken_vooraf = models.PositiveSmallIntegerField(
        _("aanvragen minstens zoveel weken vóór de activiteit"), default=6
    )
    minimumleeftijd = models.PositiveSmallIntegerField(_("minimumleeftijd aanvrager"), default=18)
    beslistermijn_weken = models.PositiveSmallIntegerField(_("beslistermijn (weken)"), default=6)
    verlengd_tot_weken = models.PositiveSmallIntegerField(
        _("beslistermijn na verlenging (weken)"), default=20
    )
    verdeling = models.CharField(
        _("verdeling"), max_length=20, choices=Verdeling, default=Verdeling.OP_IS_OP
    )
    beslisser = models.CharField(
        _("wie beslist"), max_length=20, choices=Beslisser, default=Beslisser.WIJKRAAD
    )

    class Meta:
        verbose_name = _("regeling bewonersinitiatieven")
        verbose_name_plural = _("regelingen bewonersinitiatieven")
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__gt=0) & Q(maximum__lte=MAXIMUM_VERHOOGD),
                name="budgets_regeling_maximum",
            ),
            models.CheckConstraint(
                condition=Q(verlengd_tot_weken__gte=models.F("beslistermijn_weken")),
                name="budgets_regeling_verlenging",
            ),
        ]

    def __str__(self):
        return str(self.werkgebied)


class Ronde(models.Model):
    """A round of applications, where the werkgebied decides in rounds."""

    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.CASCADE,
        related_name="bi_rondes",
    )
    naam = models.CharField(_("naam"), max_length=100)
    open_vanaf = models.DateField(_("open vanaf"))
    sluit_op = models.DateField(_("sluit op"))

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["open_vanaf"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sluit_op__gte=models.F("open_vanaf")), name="budgets_ronde_periode"
            )
        ]

    def __str__(self):
        return self.naam


class BIStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    INGEDIEND = "ingediend", _("ingediend")
    IN_BEOORDELING = "in_beoordeling", _("in beoordeling")
    TOEGEKEND = "toegekend", _("toegekend")
    AFGEWEZEN = "afgewezen", _("afgewezen")
    UITBETAALD = "uitbetaald", _("uitbetaald")
    VERANTWOORD = "verantwoord", _("verantwoord")


# Zwolle's seven spelregels (seed 000), the assessment list of every decision.
SPELREGELS = [
    ("bewoners", _("Het initiatief komt van bewoners.")),
    ("draagvlak", _("Er is draagvlak in de straat of buurt.")),
    ("algemeen_belang", _("Het dient het algemeen belang.")),
    ("eigen_bijdrage", _("De bewoners leveren een eigen bijdrage.")),
    ("past", _("Het past in het wijkprogramma of het wijkakkoord.")),
    ("derden", _("Bijdragen van derden zijn gezocht.")),
    ("niet_structureel", _("Het vraagt geen structurele financiering van de gemeente.")),
]
SPELREGEL_CODES = [code for code, _label in SPELREGELS]


class Bewonersinitiatief(ConcurrentTransitionMixin, models.Model):
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="bewonersinitiatieven",
    )
    # SET_NULL: a resident may delete their account (AVG); the decision and money stay.
    aanvrager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aanvrager"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="bewonersinitiatieven",
    )
    ronde = models.ForeignKey(
        Ronde, verbose_name=_("ronde"), null=True, blank=True, on_delete=models.PROTECT
    )
    titel = models.CharField(_("titel"), max_length=200)
    wat = models.TextField(_("wat gaat u doen?"))
    voor_wie = models.TextField(_("voor wie is het?"))
    activiteit_datum = models.DateField(_("datum van de activiteit"))
    uitvoerders = models.TextField(_("wie voert het uit?"))
    eigen_bijdrage = models.DecimalField(
        _("eigen bijdrage (euro)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    andere_financiers = models.TextField(_("andere financiers"), blank=True)
    bijdrage_anderen = models.DecimalField(
        _("bijdrage van andere financiers (euro)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
    )
    geboortedatum = models.DateField(_("geboortedatum aanvrager"), null=True, blank=True)
    verklaring_meerderjarig = models.BooleanField(
        _("ik verklaar dat ik 18 jaar of ouder ben"), default=False
    )
    gevraagd_bedrag = models.DecimalField(
        _("gevraagd bedrag (euro)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    status = FSMField(
        _("status"), choices=BIStatus, default=BIStatus.CONCEPT, protected=True, db_index=True
    )
    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    beslis_uiterlijk = models.DateField(
        _("besluit uiterlijk"), null=True, blank=True, db_index=True
    )
    verlengings_reden = models.TextField(_("reden van de verlenging"), blank=True)
    toegekend_bedrag = models.DecimalField(
        _("toegekend bedrag (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    afwijzing_redenen = models.TextField(_("redenen van de afwijzing"), blank=True)
    besloten_op = models.DateTimeField(_("besloten op"), null=True, blank=True)
    besluit_door = models.CharField(_("besluit door"), max_length=20, blank=True)
    # The ledger's reservation of the awarded amount (its payment and release follow it).
    reservering = models.OneToOneField(
        "budgets.Boeking",
        verbose_name=_("reservering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bewonersinitiatief",
    )
    uitbetaald_bedrag = models.DecimalField(
        _("uitbetaald bedrag (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    uitbetaald_op = models.DateTimeField(_("uitbetaald op"), null=True, blank=True)
    verslag = models.TextField(_("wat heeft u gedaan?"), blank=True)
    werkelijke_kosten = models.DecimalField(
        _("werkelijke kosten (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    verantwoord_op = models.DateTimeField(_("verantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bewonersinitiatief")
        verbose_name_plural = _("bewonersinitiatieven")
        ordering = ["-aangemaakt_op", "-pk"]
        indexes = [models.Index(fields=["werkgebied", "status"], name="budgets_bi_wg_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(eigen_bijdrage__gte=0) & Q(bijdrage_anderen__gte=0),
                name="budgets_bi_bijdragen",
            ),
            models.CheckConstraint(
                condition=Q(toegekend_bedrag__isnull=True)
                | (
                    Q(toegekend_bedrag__gt=0) & Q(toegekend_bedrag__lte=models.F("gevraagd_bedrag"))
                ),
                name="budgets_bi_toegekend_max_gevraagd",
            ),
            models.CheckConstraint(
                condition=Q(uitbetaald_bedrag__isnull=True)
                | Q(uitbetaald_bedrag__lte=models.F("toegekend_bedrag")),
                name="budgets_bi_uitbetaald_max_toegekend",
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("bi-detail", kwargs={"slug": self.werkgebied.slug, "pk": self.pk})

    @property
    def is_te_laat(self) -> bool:
        """Undecided after its decision term."""
        return (
            self.status in (BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING)
            and self.beslis_uiterlijk is not None
            and self.beslis_uiterlijk < datetime.date.today()
        )

    # Transitions change the state only; ``budgets.services_bi`` checks and records.
    @transition(field=status, source=BIStatus.CONCEPT, target=BIStatus.INGEDIEND)
    def indienen(self):
        pass

    @transition(field=status, source=BIStatus.INGEDIEND, target=BIStatus.IN_BEOORDELING)
    def beoordelen(self):
        pass

    @transition(field=status, source=BIStatus.IN_BEOORDELING, target=BIStatus.TOEGEKEND)
    def toekennen(self):
        pass

    @transition(field=status, source=BIStatus.IN_BEOORDELING, target=BIStatus.AFGEWEZEN)
    def afwijzen(self):
        pass

    @transition(field=status, source=BIStatus.TOEGEKEND, target=BIStatus.UITBETAALD)
    def uitbetalen(self):
        pass

    @transition(field=status, source=BIStatus.UITBETAALD, target=BIStatus.VERANTWOORD)
    def verantwoorden(self):
        pass


class Kostenpost(models.Model):
    """One part of the activiteitenplan with its cost."""

    initiatief = models.ForeignKey(
        Bewonersinitiatief, on_delete=models.CASCADE, related_name="kostenposten"
    )
    onderdeel = models.CharField(_("onderdeel"), max_length=200)
    bedrag = models.DecimalField(_("kosten (euro)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("kostenpost")
        verbose_name_plural = _("kostenposten")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="budgets_kostenpost_positief")
        ]

    def __str__(self):
        return self.onderdeel


def nieuw_token() -> str:
    return secrets.token_urlsafe(32)


class Medeondertekening(models.Model):
    """One of the four other residents who sign. Their name and e-mail address only (no home
    address); they confirm by the one-time link in their mail."""

    initiatief = models.ForeignKey(
        Bewonersinitiatief, on_delete=models.CASCADE, related_name="medeondertekeningen"
    )
    naam = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    token = models.CharField(max_length=64, unique=True, default=nieuw_token, editable=False)
    bevestigd_op = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("medeondertekening")
        verbose_name_plural = _("medeondertekeningen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                "initiatief", Lower("email"), name="budgets_medeondertekening_uniek"
            )
        ]

    def __str__(self):
        return self.naam

    @property
    def is_bevestigd(self) -> bool:
        return self.bevestigd_op is not None


class Toetsing(models.Model):
    """One of the seven spelregels, marked with a note, in the decision."""

    initiatief = models.ForeignKey(
        Bewonersinitiatief, on_delete=models.CASCADE, related_name="toetsingen"
    )
    spelregel = models.CharField(_("spelregel"), max_length=30, choices=SPELREGELS)
    voldoet = models.BooleanField(_("voldoet"))
    toelichting = models.TextField(_("toelichting"))

    class Meta:
        verbose_name = _("toetsing")
        verbose_name_plural = _("toetsingen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiatief", "spelregel"], name="budgets_toetsing_uniek"
            )
        ]

    def __str__(self):
        return self.get_spelregel_display()


class Bon(models.Model):
    """A receipt of the verantwoording (an image, cleaned like a melding photo, or a PDF)."""

    initiatief = models.ForeignKey(
        Bewonersinitiatief, on_delete=models.CASCADE, related_name="bonnen"
    )
    bestand = models.FileField(_("bestand"), upload_to="bewonersinitiatieven/bonnen/")
    content_type = models.CharField(max_length=100)
    grootte = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("bon")
        verbose_name_plural = _("bonnen")
        ordering = ["pk"]

    def __str__(self):
        return self.bestand.name
