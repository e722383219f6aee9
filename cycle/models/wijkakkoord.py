"""The wijkakkoord of a werkgebied: a four-year agreement between the wijkraad and the city
(seed 004; DOMAIN.md "Rotterdam today"). Its parts: the wijkvisie (the future picture), the
ordered wijkopgaven, per opgave the doelen (goals) and per doel the intended resultaten, each
with an optional measurable indicator.

The akkoord is its own lifecycle header (``concept → advies → vastgesteld → gepubliceerd``)
with who drafted it, the advice received (the wijkraad advises) and the adoption decision.
Its content changes only in ``concept``, the advice only in ``advies``; every write goes
through ``cycle.services_akkoord``, which locks the header, checks and raises ``versie`` and
audits. The yearly cycles refer to it: an agendapunt and an initiatief may point at one of its
opgaven and doelen (see the fields on those models).

At most one akkoord covers a year of a werkgebied. SQLite (``make run``) has no exclusion
constraint, so the service checks overlap under a lock on the werkgebied's row; the database
holds the fixed four-year span and one akkoord per start year."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

__all__ = [
    "AKKOORD_JAREN",
    "GELDENDE_AKKOORDSTATUSSEN",
    "AkkoordVerwijzing",
    "Akkoordstatus",
    "Doel",
    "Resultaat",
    "Wijkakkoord",
    "Wijkopgave",
]

# An akkoord covers four programme years: ``startjaar`` up to and including ``eindjaar``.
AKKOORD_JAREN = 4


class Akkoordstatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    ADVIES = "advies", _("voor advies bij de wijkraad")
    VASTGESTELD = "vastgesteld", _("vastgesteld")
    GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")


# The statuses in which the yearly cycles may refer to the akkoord: what was agreed.
GELDENDE_AKKOORDSTATUSSEN = (Akkoordstatus.VASTGESTELD, Akkoordstatus.GEPUBLICEERD)


def may_draft_akkoord(instance, user) -> bool:
    return user.has_perm("cycle.draft_wijkakkoord", instance)


def may_adopt_akkoord(instance, user) -> bool:
    return user.has_perm("cycle.adopt_wijkakkoord", instance)


def akkoord_inhoud_compleet(instance) -> bool:
    return not instance.ontbreekt_inhoud()


def akkoord_compleet(instance) -> bool:
    return not instance.ontbreekt()


def akkoord_besluit_vastgelegd(instance) -> bool:
    return bool(instance.vastgesteld_op and instance.besluitreferentie.strip())


class Wijkakkoord(ConcurrentTransitionMixin, models.Model):
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="wijkakkoorden",
    )
    startjaar = models.PositiveSmallIntegerField(
        _("eerste jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2097)]
    )
    eindjaar = models.PositiveSmallIntegerField(_("laatste jaar"))
    titel = models.CharField(_("titel"), max_length=200)
    wijkvisie = models.TextField(
        _("wijkvisie"),
        blank=True,
        max_length=10000,
        help_text=_("Het toekomstbeeld: hoe ziet de wijk er over vier jaar uit?"),
    )
    status = FSMField(
        _("status"),
        choices=Akkoordstatus,
        default=Akkoordstatus.CONCEPT,
        protected=True,
        db_index=True,
    )
    opgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The advice received (in Rotterdam the wijkraad's), recorded in ``advies``.
    advies = models.TextField(_("advies"), blank=True, max_length=10000)
    advies_van = models.CharField(_("advies van"), max_length=200, blank=True)
    advies_op = models.DateField(_("advies gegeven op"), null=True, blank=True)
    advies_vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advies vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The adoption decision: when, by which body, under which reference; and who recorded it.
    vastgesteld_op = models.DateField(_("vastgesteld op"), null=True, blank=True)
    vastgesteld_door = models.CharField(_("vastgesteld door"), max_length=200, blank=True)
    besluitreferentie = models.CharField(_("besluitreferentie"), max_length=100, blank=True)
    besluit_vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besluit vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    # Incremented on every change (content, advice, step): a stale page changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("wijkakkoord")
        verbose_name_plural = _("wijkakkoorden")
        ordering = ["werkgebied__naam", "-startjaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["werkgebied", "startjaar"], name="cycle_wijkakkoord_een_per_start"
            ),
            models.CheckConstraint(
                condition=Q(eindjaar=F("startjaar") + AKKOORD_JAREN - 1),
                name="cycle_wijkakkoord_vier_jaar",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["vastgesteld", "gepubliceerd"])
                | (Q(vastgesteld_op__isnull=False) & ~Q(besluitreferentie="") & ~Q(advies="")),
                name="cycle_wijkakkoord_besluit_bij_vaststelling",
            ),
            models.CheckConstraint(
                condition=~Q(status="gepubliceerd") | Q(gepubliceerd_op__isnull=False),
                name="cycle_wijkakkoord_gepubliceerd_op",
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse(
            "wijkakkoord-detail",
            kwargs={"slug": self.werkgebied.slug, "startjaar": self.startjaar},
        )

    @property
    def periode(self) -> str:
        return f"{self.startjaar}–{self.eindjaar}"

    @property
    def jaren(self) -> list[int]:
        return list(range(self.startjaar, self.eindjaar + 1))

    @property
    def is_openbaar(self) -> bool:
        return self.status == Akkoordstatus.GEPUBLICEERD

    @property
    def is_bewerkbaar(self) -> bool:
        return self.status == Akkoordstatus.CONCEPT

    # ------------------------------------------------------------ the adoption check

    def ontbreekt_inhoud(self) -> list[str]:
        """What the content lacks, item by item, naming each opgave and doel (empty when
        complete): needed before it goes to the wijkraad for advice. Three queries."""
        missing = []
        if not self.wijkvisie.strip():
            missing.append(gettext("de wijkvisie"))
        opgaven = list(self.opgaven.order_by("volgorde", "pk"))
        if not opgaven:
            missing.append(gettext("nog geen wijkopgaven"))
        doelen = list(Doel.objects.filter(opgave__akkoord=self).order_by("opgave_id", "pk"))
        met_resultaat = set(
            Resultaat.objects.filter(doel__opgave__akkoord=self).values_list("doel_id", flat=True)
        )
        met_doel = {d.opgave_id for d in doelen}
        for opgave in opgaven:
            if opgave.pk not in met_doel:
                missing.append(
                    gettext("opgave ‘%(titel)s’ heeft geen doel") % {"titel": opgave.titel}
                )
        for doel in doelen:
            if doel.pk not in met_resultaat:
                missing.append(
                    gettext("doel ‘%(titel)s’ heeft geen resultaat") % {"titel": doel.titel}
                )
        return missing

    def ontbreekt(self) -> list[str]:
        """The adoption check: the content's, and the advice recorded."""
        missing = self.ontbreekt_inhoud()
        if not self.advies.strip():
            missing.append(gettext("er is nog geen advies vastgelegd"))
        return missing

    # ------------------------------------------------------------- the lifecycle

    @transition(
        field=status,
        source=Akkoordstatus.CONCEPT,
        target=Akkoordstatus.ADVIES,
        conditions=[akkoord_inhoud_compleet],
        permission=may_draft_akkoord,
        custom={
            "label": _("Voor advies aan de wijkraad voorleggen"),
            "blocked": _("Het wijkakkoord is nog niet compleet."),
            "ontbreekt": "ontbreekt_inhoud",
        },
    )
    def naar_advies(self):
        pass

    @transition(
        field=status,
        source=Akkoordstatus.ADVIES,
        target=Akkoordstatus.VASTGESTELD,
        conditions=[akkoord_compleet, akkoord_besluit_vastgelegd],
        permission=may_adopt_akkoord,
        custom={
            "label": _("Vaststellen"),
            "blocked": _("Het wijkakkoord kan nog niet worden vastgesteld."),
            "ontbreekt": "ontbreekt",
        },
    )
    def vaststellen(self):
        pass

    @transition(
        field=status,
        source=Akkoordstatus.VASTGESTELD,
        target=Akkoordstatus.GEPUBLICEERD,
        permission=may_adopt_akkoord,
        custom={"label": _("Publiceren")},
    )
    def publiceren(self):
        pass


class Wijkopgave(models.Model):
    """One task of the akkoord (``volgorde`` 1 first, gap-free per akkoord)."""

    akkoord = models.ForeignKey(
        Wijkakkoord,
        verbose_name=_("wijkakkoord"),
        on_delete=models.CASCADE,
        related_name="opgaven",
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"))
    titel = models.CharField(_("titel"), max_length=200)
    beschrijving = models.TextField(_("beschrijving"), max_length=5000)

    class Meta:
        verbose_name = _("wijkopgave")
        verbose_name_plural = _("wijkopgaven")
        ordering = ["akkoord", "volgorde", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["akkoord", "volgorde"],
                name="cycle_wijkopgave_volgorde_uniek",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(volgorde__gte=1), name="cycle_wijkopgave_volgorde_positief"
            ),
        ]

    def __str__(self):
        return self.titel

    @property
    def werkgebied(self):
        return self.akkoord.werkgebied


class Doel(models.Model):
    """A goal under a wijkopgave."""

    opgave = models.ForeignKey(
        Wijkopgave,
        verbose_name=_("wijkopgave"),
        on_delete=models.CASCADE,
        related_name="doelen",
    )
    titel = models.CharField(_("doel"), max_length=300)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["opgave", "pk"]

    def __str__(self):
        return self.titel

    @property
    def werkgebied(self):
        return self.opgave.akkoord.werkgebied


class Resultaat(models.Model):
    """An intended result of a doel, with an optional measurable indicator."""

    doel = models.ForeignKey(
        Doel,
        verbose_name=_("doel"),
        on_delete=models.CASCADE,
        related_name="resultaten",
    )
    tekst = models.CharField(_("beoogd resultaat"), max_length=500)
    indicator = models.CharField(
        _("meetbare indicator"),
        max_length=300,
        blank=True,
        help_text=_("Optioneel: waaraan het resultaat te meten is."),
    )

    class Meta:
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")
        ordering = ["doel", "pk"]

    def __str__(self):
        return self.tekst

    @property
    def werkgebied(self):
        return self.doel.opgave.akkoord.werkgebied


class AkkoordVerwijzing(models.Model):
    """What an agendapunt or an initiative serves of the wijkakkoord: one of its opgaven and,
    within it, one of its doelen (optional; only of the adopted akkoord of the same
    werkgebied covering the cycle's year, checked by the services). PROTECT, not SET_NULL:
    an opgave is removed only while its akkoord is a concept, and losing the link silently
    would change an adopted product without a trace in its history."""

    wijkopgave = models.ForeignKey(
        "cycle.Wijkopgave",
        verbose_name=_("wijkopgave"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_set",
    )
    doel = models.ForeignKey(
        "cycle.Doel",
        verbose_name=_("doel uit het wijkakkoord"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_set",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(doel__isnull=True) | Q(wijkopgave__isnull=False),
                name="%(app_label)s_%(class)s_doel_met_opgave",
            ),
        ]
