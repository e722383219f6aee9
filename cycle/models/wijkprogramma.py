"""The content of the wijkprogramma (Rotterdam: the year's jaaractieplan) and of its
execution year: the initiatieven, each tied to an agendapunt, owned by a cluster, a partner
or a residents' group, with a named trekker; the owner's commitment (toezegging); in
``uitvoering`` each initiative's execution status, its progress updates and its knelpunten.

Two state machines on an initiative, each with its own field: ``toezegging`` (the owner's
answer while the programme is drafted) and ``status`` (its execution). Both change only
through ``cycle.services_programma``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .wijkakkoord import AkkoordVerwijzing

__all__ = [
    "AFGESLOTEN_STATUSSEN",
    "Afloop",
    "Financiering",
    "Initiatief",
    "Knelpunt",
    "Oordeel",
    "Participatieniveau",
    "Toezegging",
    "Uitvoeringsstatus",
    "Voortgang",
    "te_laat",
]


class Participatieniveau(models.TextChoices):
    """The participation ladder (seed 000, bijlage 1; Zwolle's spelregels)."""

    INFORMEREN = "informeren", _("informeren (meeweten)")
    RAADPLEGEN = "raadplegen", _("raadplegen (meedenken)")
    ADVISEREN = "adviseren", _("adviseren")
    COPRODUCEREN = "coproduceren", _("coproduceren (meedoen)")
    MEEBESLISSEN = "meebeslissen", _("meebeslissen")


class Financiering(models.TextChoices):
    GEEN = "geen", _("geen geld nodig")
    WIJKBUDGET = "wijkbudget", _("uit het wijkbudget")
    EIGEN_BUDGET = "eigen_budget", _("uit het eigen budget van de eigenaar")


class Toezegging(models.TextChoices):
    GEVRAAGD = "gevraagd", _("wacht op toezegging")
    TOEGEZEGD = "toegezegd", _("toegezegd")
    AFGEWEZEN = "afgewezen", _("afgewezen")


class Uitvoeringsstatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    IN_UITVOERING = "in_uitvoering", _("in uitvoering")
    VERTRAAGD = "vertraagd", _("vertraagd")
    GEREALISEERD = "gerealiseerd", _("gerealiseerd")
    GESTOPT = "gestopt", _("gestopt")


AFGESLOTEN_STATUSSEN = (Uitvoeringsstatus.GEREALISEERD, Uitvoeringsstatus.GESTOPT)


def te_laat(vandaag) -> Q:
    """Past its (expected) end on ``vandaag`` and not finished: ``Initiatief.is_te_laat`` as
    a filter, for the lists that count or mark what is overdue."""
    return ~Q(status__in=AFGESLOTEN_STATUSSEN) & (
        Q(verwacht_eind__lt=vandaag) | Q(verwacht_eind__isnull=True, eind__lt=vandaag)
    )


class Afloop(models.TextChoices):
    """How an initiative ends its year, in the twelve-month report (Rotterdam 2023: 62% / 35%
    / 3%)."""

    GEREALISEERD = "gerealiseerd", _("gerealiseerd")
    DOORGESCHOVEN = "doorgeschoven", _("doorgeschoven naar volgend jaar")
    GESCHRAPT = "geschrapt", _("geschrapt")


class Oordeel(models.TextChoices):
    """The wijkraad's judgement of an initiative (the city's target: 75% realised in the
    wijkraad's judgement)."""

    GEREALISEERD = "gerealiseerd", _("gerealiseerd")
    DEELS = "deels", _("deels gerealiseerd")
    NIET = "niet", _("niet gerealiseerd")


def may_commit(instance, user) -> bool:
    return user.has_perm("cycle.commit_initiatief", instance)


def may_execute(instance, user) -> bool:
    return user.has_perm("cycle.report_initiatief", instance)


class Initiatief(ConcurrentTransitionMixin, AkkoordVerwijzing):
    """One initiative (actie) of the wijkprogramma, serving one agendapunt of the same cycle."""

    wijkprogramma = models.ForeignKey(
        "cycle.Wijkprogramma",
        verbose_name=_("wijkprogramma"),
        on_delete=models.CASCADE,
        related_name="initiatieven",
    )
    # RESTRICT, not PROTECT: an agendapunt with initiatives cannot be removed on its own, but a
    # whole cycle (its agenda and programme together) can.
    agendapunt = models.ForeignKey(
        "cycle.Agendapunt",
        verbose_name=_("agendapunt"),
        on_delete=models.RESTRICT,
        related_name="initiatieven",
    )
    titel = models.CharField(_("titel"), max_length=200)
    beoogd_effect = models.TextField(
        _("beoogd effect"),
        max_length=5000,
        help_text=_("Wat verandert er in de wijk, en hoe helpt dat bij het agendapunt?"),
    )
    # The owner: exactly one of a cluster, a partner or a residents' group (by name).
    cluster = models.ForeignKey(
        "people.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatieven",
    )
    partner = models.ForeignKey(
        "people.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatieven",
    )
    bewonersgroep = models.CharField(_("bewonersgroep"), max_length=200, blank=True)
    # Seed 004, lesson 1: a dedicated trekker, by name; with a portal account (found by
    # e-mail address) the trekker also reports progress.
    trekker_naam = models.CharField(_("trekker"), max_length=150, blank=True)
    trekker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account van de trekker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="getrokken_initiatieven",
    )
    bijdragers = models.CharField(
        _("wie dragen bij"),
        max_length=300,
        blank=True,
        help_text=_("Andere clusters, partners of bewoners die meewerken."),
    )
    participatieniveau = models.CharField(
        _("participatie van bewoners"),
        max_length=20,
        choices=Participatieniveau,
        default=Participatieniveau.RAADPLEGEN,
    )
    start = models.DateField(_("geplande start"))
    eind = models.DateField(_("gepland einde"))
    bedrag = models.DecimalField(
        _("benodigd bedrag (euro)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    financiering = models.CharField(
        _("financiering"), max_length=20, choices=Financiering, default=Financiering.GEEN
    )
    succesindicator = models.CharField(
        _("succesindicator"),
        max_length=300,
        help_text=_("Waaraan ziet iedereen aan het eind van het jaar dat het gelukt is?"),
    )

    toezegging = FSMField(
        _("toezegging"),
        choices=Toezegging,
        default=Toezegging.GEVRAAGD,
        protected=True,
        db_index=True,
    )
    toezegging_reden = models.TextField(_("reden van afwijzing"), blank=True, max_length=3000)
    toezegging_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    toezegging_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    status = FSMField(
        _("uitvoering"),
        choices=Uitvoeringsstatus,
        default=Uitvoeringsstatus.GEPLAND,
        protected=True,
        db_index=True,
    )
    verwacht_eind = models.DateField(_("verwachte nieuwe einddatum"), null=True, blank=True)
    stopreden = models.TextField(_("reden van stoppen"), blank=True, max_length=3000)
    # The latest progress update, kept on the row for the overviews (one query for a list).
    percentage = models.PositiveSmallIntegerField(
        _("voortgang (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    laatste_update = models.DateTimeField(_("laatst bijgewerkt"), null=True, blank=True)

    # The twelve-month report: how the year ended for it, and the wijkraad's judgement.
    afloop = models.CharField(_("afloop"), max_length=20, choices=Afloop, blank=True)
    afloop_reden = models.TextField(_("reden van schrappen"), blank=True, max_length=3000)
    doorgeschoven_van = models.ForeignKey(
        "self",
        verbose_name=_("doorgeschoven van"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="doorgeschoven_naar",
    )
    oordeel = models.CharField(
        _("oordeel van de wijkraad"), max_length=20, choices=Oordeel, blank=True
    )
    oordeel_toelichting = models.TextField(
        _("toelichting op het oordeel"), blank=True, max_length=3000
    )
    oordeel_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oordeel gegeven door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    oordeel_op = models.DateTimeField(_("oordeel gegeven op"), null=True, blank=True)

    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # Incremented on every change: a stale form (the drafter's, the owner's, a row of the
    # bulk update) changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        ordering = ["wijkprogramma", "agendapunt__rang", "pk"]
        constraints = [
            *AkkoordVerwijzing.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(cluster__isnull=False, partner__isnull=True, bewonersgroep="")
                    | Q(cluster__isnull=True, partner__isnull=False, bewonersgroep="")
                    | (Q(cluster__isnull=True, partner__isnull=True) & ~Q(bewonersgroep=""))
                ),
                name="cycle_initiatief_een_eigenaar",
                violation_error_message=_(
                    "Kies één eigenaar: een cluster, een partner óf een bewonersgroep."
                ),
            ),
            models.CheckConstraint(
                condition=Q(eind__gte=F("start")),
                name="cycle_initiatief_eind_na_start",
                violation_error_message=_("Het einde ligt vóór de start."),
            ),
            models.CheckConstraint(
                condition=Q(bedrag__gte=0), name="cycle_initiatief_bedrag_niet_negatief"
            ),
            models.CheckConstraint(
                condition=Q(bedrag=0) | ~Q(financiering="geen"),
                name="cycle_initiatief_bedrag_met_financiering",
                violation_error_message=_("Zeg waar het geld vandaan komt."),
            ),
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="cycle_initiatief_percentage_max"
            ),
            models.CheckConstraint(
                condition=~Q(toezegging="afgewezen") | ~Q(toezegging_reden=""),
                name="cycle_initiatief_afwijzing_met_reden",
            ),
            models.CheckConstraint(
                condition=~Q(status="gestopt") | ~Q(stopreden=""),
                name="cycle_initiatief_stop_met_reden",
            ),
            models.CheckConstraint(
                condition=~Q(status="vertraagd") | Q(verwacht_eind__isnull=False),
                name="cycle_initiatief_vertraagd_met_datum",
            ),
            models.CheckConstraint(
                condition=~Q(afloop="geschrapt") | ~Q(afloop_reden=""),
                name="cycle_initiatief_geschrapt_met_reden",
            ),
            models.CheckConstraint(
                condition=~Q(afloop="gerealiseerd") | Q(status="gerealiseerd"),
                name="cycle_initiatief_afloop_gerealiseerd",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "toezegging"], name="initiatief_cluster_toezeg"),
            models.Index(fields=["cluster", "status"], name="initiatief_cluster_status"),
        ]

    def __str__(self):
        return self.titel

    @property
    def werkgebied(self):
        return self.wijkprogramma.cyclus.werkgebied

    @property
    def eigenaar(self) -> str:
        return str(self.cluster or self.partner or self.bewonersgroep)

    @property
    def is_afgesloten(self) -> bool:
        return self.status in AFGESLOTEN_STATUSSEN

    @property
    def is_te_laat(self) -> bool:
        """Past its (expected) end and not finished (``te_laat`` is the same as a filter)."""
        if self.is_afgesloten:
            return False
        return (self.verwacht_eind or self.eind) < timezone.localdate()

    # -------------------------------------------------- the owner's answer (toezegging)

    @transition(
        field=toezegging,
        source=[Toezegging.GEVRAAGD, Toezegging.AFGEWEZEN],
        target=Toezegging.TOEGEZEGD,
        permission=may_commit,
        custom={"label": _("Toezeggen")},
    )
    def toezeggen(self):
        pass

    @transition(
        field=toezegging,
        source=[Toezegging.GEVRAAGD, Toezegging.TOEGEZEGD],
        target=Toezegging.AFGEWEZEN,
        permission=may_commit,
        custom={"label": _("Afwijzen")},
    )
    def afwijzen(self):
        pass

    # The drafter changed what was committed to: the owner is asked again (the edit guard
    # has checked the drafter's permission).
    @transition(
        field=toezegging,
        source=[Toezegging.TOEGEZEGD, Toezegging.AFGEWEZEN],
        target=Toezegging.GEVRAAGD,
    )
    def opnieuw_vragen(self):
        pass

    # ------------------------------------------------------------------ execution

    @transition(
        field=status,
        source=[Uitvoeringsstatus.GEPLAND, Uitvoeringsstatus.VERTRAAGD],
        target=Uitvoeringsstatus.IN_UITVOERING,
        permission=may_execute,
        custom={"label": _("In uitvoering")},
    )
    def starten(self):
        pass

    @transition(
        field=status,
        source=[Uitvoeringsstatus.GEPLAND, Uitvoeringsstatus.IN_UITVOERING],
        target=Uitvoeringsstatus.VERTRAAGD,
        permission=may_execute,
        custom={"label": _("Vertraagd"), "datum": True},
    )
    def vertragen(self):
        pass

    @transition(
        field=status,
        source=[Uitvoeringsstatus.IN_UITVOERING, Uitvoeringsstatus.VERTRAAGD],
        target=Uitvoeringsstatus.GEREALISEERD,
        permission=may_execute,
        custom={"label": _("Gerealiseerd")},
    )
    def realiseren(self):
        pass

    @transition(
        field=status,
        source=[
            Uitvoeringsstatus.GEPLAND,
            Uitvoeringsstatus.IN_UITVOERING,
            Uitvoeringsstatus.VERTRAAGD,
        ],
        target=Uitvoeringsstatus.GESTOPT,
        permission=may_execute,
        custom={"label": _("Gestopt"), "reden": True},
    )
    def stoppen(self):
        pass


class Voortgang(models.Model):
    """A progress update on an initiative: a date, a percentage or a milestone, and text."""

    initiatief = models.ForeignKey(
        Initiatief,
        verbose_name=_("initiatief"),
        on_delete=models.CASCADE,
        related_name="voortgang",
    )
    datum = models.DateField(_("datum"))
    percentage = models.PositiveSmallIntegerField(
        _("voortgang (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    mijlpaal = models.CharField(_("mijlpaal"), max_length=200, blank=True)
    tekst = models.TextField(_("toelichting"), max_length=3000)
    status = models.CharField(_("status na deze update"), max_length=20, choices=Uitvoeringsstatus)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgangsupdate")
        verbose_name_plural = _("voortgangsupdates")
        ordering = ["initiatief", "-datum", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__lte=100),
                name="cycle_voortgang_percentage_max",
            ),
        ]
        indexes = [models.Index(fields=["initiatief", "-datum"], name="voortgang_initiatief")]

    def __str__(self):
        return f"{self.initiatief} – {self.datum}"

    @property
    def werkgebied(self):
        return self.initiatief.werkgebied


class Knelpunt(models.Model):
    """A blocker on an initiative, flagged by anyone involved; on the wijk-MT's list until it
    is resolved with a note."""

    initiatief = models.ForeignKey(
        Initiatief,
        verbose_name=_("initiatief"),
        on_delete=models.CASCADE,
        related_name="knelpunten",
    )
    beschrijving = models.TextField(_("wat zit er in de weg?"), max_length=3000)
    gemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeld door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    gemeld_op = models.DateTimeField(_("gemeld op"), auto_now_add=True)
    opgelost_op = models.DateTimeField(_("opgelost op"), null=True, blank=True, db_index=True)
    oplossing = models.TextField(_("hoe is het opgelost?"), blank=True, max_length=3000)
    opgelost_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgelost door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knelpunt")
        verbose_name_plural = _("knelpunten")
        ordering = ["initiatief", "gemeld_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opgelost_op__isnull=True) | ~Q(oplossing=""),
                name="cycle_knelpunt_oplossing_bij_opgelost",
            ),
        ]

    def __str__(self):
        return self.beschrijving[:60]

    @property
    def werkgebied(self):
        return self.initiatief.werkgebied

    @property
    def is_open(self) -> bool:
        return self.opgelost_op is None
