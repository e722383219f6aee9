"""The yearly werkcyclus of a werkgebied and the products of its phases.

A cycle moves ``analyse → agenda → programma → uitvoering → verantwoording → afgerond``; each
phase ends in a product with its own life ``concept → consultatie → vastgesteld →
gepubliceerd``; a published product can be reopened as a correction (``correctie →
vastgesteld → gepubliceerd`` again: a new version). Transitions change state only;
``cycle.services`` is the single way in."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ..voorwaarden import blokkades


class Fase(models.TextChoices):
    ANALYSE = "analyse", _("wijkanalyse")
    AGENDA = "agenda", _("wijkagenda")
    PROGRAMMA = "programma", _("wijkprogramma")
    UITVOERING = "uitvoering", _("uitvoering")
    VERANTWOORDING = "verantwoording", _("verantwoording")
    AFGEROND = "afgerond", _("afgerond")


# The five working phases, in order; each has planned dates. ``afgerond`` is the end state.
WERKFASEN = [Fase.ANALYSE, Fase.AGENDA, Fase.PROGRAMMA, Fase.UITVOERING, Fase.VERANTWOORDING]
FASE_VOLGORDE = {fase: index for index, fase in enumerate([*WERKFASEN, Fase.AFGEROND])}


class Productstatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    CONSULTATIE = "consultatie", _("in consultatie")
    VASTGESTELD = "vastgesteld", _("vastgesteld")
    GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")
    # Published before and reopened to correct it: the published version stays the public
    # one until the correction is adopted and published as the next version.
    CORRECTIE = "correctie", _("in correctie")


VASTGESTELDE_STATUSSEN = (Productstatus.VASTGESTELD, Productstatus.GEPUBLICEERD)
OPENBARE_STATUSSEN = (Productstatus.CONSULTATIE, Productstatus.GEPUBLICEERD)


def delft_kalender(jaar: int) -> dict[str, datetime.date]:
    """Planned dates for programme year ``jaar`` after the Delft calendar: analysis and agenda
    just after the summer before, programme drafted September–November and adopted in December,
    execution January–December, the report from late December, finished in spring."""
    vorig, volgend = jaar - 1, jaar + 1
    return {
        "analyse_begin": datetime.date(vorig, 4, 1),
        "analyse_eind": datetime.date(vorig, 9, 15),
        "agenda_begin": datetime.date(vorig, 8, 15),
        "agenda_eind": datetime.date(vorig, 9, 30),
        "programma_begin": datetime.date(vorig, 9, 1),
        "programma_eind": datetime.date(vorig, 12, 15),
        "uitvoering_begin": datetime.date(jaar, 1, 1),
        "uitvoering_eind": datetime.date(jaar, 12, 31),
        "verantwoording_begin": datetime.date(jaar, 12, 15),
        "verantwoording_eind": datetime.date(volgend, 4, 30),
    }


class Opsteller(models.TextChoices):
    WIJKMANAGER = "wijkmanager", _("de wijkmanager")
    WIJKRAAD = "wijkraad", _("de wijkraad")


class Vaststelling(models.TextChoices):
    WIJKMANAGER = "wijkmanager", _("de wijkmanager stelt vast")
    COLLEGE = "college", _("het college stelt vast; de wijkmanager legt het besluit vast")


class Taakverdeling(models.Model):
    """Who drafts and who adopts the products of one werkgebied. Without a row the defaults
    hold: the wijkmanager drafts and adopts everything."""

    werkgebied = models.OneToOneField(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.CASCADE,
        related_name="taakverdeling",
    )
    wijkverslag_opsteller = models.CharField(
        _("wie stelt het wijkverslag op"),
        max_length=20,
        choices=Opsteller,
        default=Opsteller.WIJKMANAGER,
        help_text=_("In Rotterdam schrijft de wijkraad het wijkverslag."),
    )
    vaststelling = models.CharField(
        _("vaststelling van de producten"),
        max_length=20,
        choices=Vaststelling,
        default=Vaststelling.WIJKMANAGER,
        help_text=_(
            "Bij vaststelling door het college vult de wijkmanager bij het vaststellen de "
            "referentie van het collegebesluit in."
        ),
    )

    class Meta:
        verbose_name = _("taakverdeling")
        verbose_name_plural = _("taakverdelingen")

    def __str__(self):
        return str(self.werkgebied)


STANDAARD_TAAKVERDELING = Taakverdeling()


def taakverdeling_van(werkgebied) -> Taakverdeling:
    """The task division of ``werkgebied`` (cached on it after the first look-up)."""
    if werkgebied is None:
        return STANDAARD_TAAKVERDELING
    try:
        return werkgebied.taakverdeling
    except Taakverdeling.DoesNotExist:
        return STANDAARD_TAAKVERDELING


def _is_adopted(product) -> bool:
    return product is not None and product.status in VASTGESTELDE_STATUSSEN


def wijkanalyse_vastgesteld(cyclus) -> bool:
    return _is_adopted(getattr(cyclus, "wijkanalyse", None))


def wijkagenda_vastgesteld(cyclus) -> bool:
    return _is_adopted(getattr(cyclus, "wijkagenda", None))


def wijkprogramma_vastgesteld(cyclus) -> bool:
    return _is_adopted(getattr(cyclus, "wijkprogramma", None))


def alles_gepubliceerd(cyclus) -> bool:
    return not cyclus.niet_gepubliceerd()


def may_advance(instance, user) -> bool:
    return user.has_perm("cycle.advance_werkcyclus", instance)


def _planning_constraints():
    return [
        models.CheckConstraint(
            condition=Q(**{f"{fase}_eind__gte": F(f"{fase}_begin")}),
            name=f"cycle_{fase}_eind_na_begin",
            violation_error_message=_("Het einde van een fase ligt vóór het begin."),
        )
        for fase in WERKFASEN
    ]


class Werkcyclus(ConcurrentTransitionMixin, models.Model):
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="cycli",
    )
    jaar = models.PositiveSmallIntegerField(
        _("programmajaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    fase = FSMField(_("fase"), choices=Fase, default=Fase.ANALYSE, protected=True, db_index=True)

    analyse_begin = models.DateField(_("begin wijkanalyse"))
    analyse_eind = models.DateField(_("einde wijkanalyse"))
    agenda_begin = models.DateField(_("begin wijkagenda"))
    agenda_eind = models.DateField(_("einde wijkagenda"))
    programma_begin = models.DateField(_("begin wijkprogramma"))
    programma_eind = models.DateField(_("einde wijkprogramma"))
    uitvoering_begin = models.DateField(_("begin uitvoering"))
    uitvoering_eind = models.DateField(_("einde uitvoering"))
    verantwoording_begin = models.DateField(_("begin verantwoording"))
    verantwoording_eind = models.DateField(_("einde verantwoording"))

    # When each phase really started and ended, set by the services on each step.
    analyse_gestart = models.DateField(_("wijkanalyse gestart op"), null=True, blank=True)
    analyse_afgerond = models.DateField(_("wijkanalyse afgerond op"), null=True, blank=True)
    agenda_gestart = models.DateField(_("wijkagenda gestart op"), null=True, blank=True)
    agenda_afgerond = models.DateField(_("wijkagenda afgerond op"), null=True, blank=True)
    programma_gestart = models.DateField(_("wijkprogramma gestart op"), null=True, blank=True)
    programma_afgerond = models.DateField(_("wijkprogramma afgerond op"), null=True, blank=True)
    uitvoering_gestart = models.DateField(_("uitvoering gestart op"), null=True, blank=True)
    uitvoering_afgerond = models.DateField(_("uitvoering afgerond op"), null=True, blank=True)
    verantwoording_gestart = models.DateField(_("verantwoording gestart op"), null=True, blank=True)
    verantwoording_afgerond = models.DateField(
        _("verantwoording afgerond op"), null=True, blank=True
    )
    # Incremented on every change, so a stale planning form or step changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("werkcyclus")
        verbose_name_plural = _("werkcycli")
        ordering = ["werkgebied__naam", "-jaar"]
        constraints = [
            models.UniqueConstraint(fields=["werkgebied", "jaar"], name="cycle_een_per_jaar"),
            *_planning_constraints(),
        ]

    def __str__(self):
        return f"{self.werkgebied} {self.jaar}"

    def get_absolute_url(self):
        return reverse(
            "werkcyclus-detail", kwargs={"slug": self.werkgebied.slug, "jaar": self.jaar}
        )

    @property
    def is_afgerond(self) -> bool:
        return self.fase == Fase.AFGEROND

    def planning(self, fase: str) -> tuple[datetime.date, datetime.date]:
        return getattr(self, f"{fase}_begin"), getattr(self, f"{fase}_eind")

    def werkelijk(self, fase: str) -> tuple[datetime.date | None, datetime.date | None]:
        return getattr(self, f"{fase}_gestart"), getattr(self, f"{fase}_afgerond")

    def uitvoeringsjaar_voorbij(self, today: datetime.date) -> bool:
        return today > datetime.date(self.jaar, 12, 31)

    def reden_verplicht(self, transition: str, *, today: datetime.date) -> bool:
        """Whether taking ``transition`` now needs a reason: leaving ``uitvoering`` before
        the execution year is over (the transition declares it in its ``custom``)."""
        method = getattr(type(self), transition, None)
        fsm = getattr(method, "_django_fsm", None)
        meta = fsm.get_transition(self.fase) if fsm is not None else None
        if meta is None or meta.custom.get("reden_verplicht") != "uitvoering_loopt_nog":
            return False
        return not self.uitvoeringsjaar_voorbij(today)

    def niet_gepubliceerd(self) -> list["Product"]:
        """The products that still have to be published before the cycle can close."""
        return [p for p in self.producten() if p.status != Productstatus.GEPUBLICEERD]

    def ontbreekt_voor_afronden(self) -> list[str]:
        return [str(p._meta.verbose_name) for p in self.niet_gepubliceerd()]

    def producten(self) -> list["Product"]:
        """The four products in phase order (loaded with ``select_related`` by selectors)."""
        return [getattr(self, model.related_name()) for model in PRODUCT_MODELLEN]

    def huidig_product(self):
        """The product the current phase works on; in ``uitvoering`` the adopted programme."""
        model = PRODUCT_VAN_FASE.get(self.fase)
        return getattr(self, model.related_name()) if model else None

    # Transitions: state only. Conditions are pure; permission asks the same rules as views.

    @transition(
        field=fase,
        source=Fase.ANALYSE,
        target=Fase.AGENDA,
        conditions=[wijkanalyse_vastgesteld],
        permission=may_advance,
        custom={
            "label": _("Naar fase wijkagenda"),
            "blocked": _("De wijkanalyse moet eerst vastgesteld zijn."),
        },
    )
    def naar_agenda(self):
        pass

    @transition(
        field=fase,
        source=Fase.AGENDA,
        target=Fase.PROGRAMMA,
        conditions=[wijkagenda_vastgesteld],
        permission=may_advance,
        custom={
            "label": _("Naar fase wijkprogramma"),
            "blocked": _("De wijkagenda moet eerst vastgesteld zijn."),
        },
    )
    def naar_programma(self):
        pass

    @transition(
        field=fase,
        source=Fase.PROGRAMMA,
        target=Fase.UITVOERING,
        conditions=[wijkprogramma_vastgesteld],
        permission=may_advance,
        custom={
            "label": _("Naar fase uitvoering"),
            "blocked": _("Het wijkprogramma moet eerst vastgesteld zijn."),
        },
    )
    def naar_uitvoering(self):
        pass

    @transition(
        field=fase,
        source=Fase.UITVOERING,
        target=Fase.VERANTWOORDING,
        conditions=[wijkprogramma_vastgesteld],
        permission=may_advance,
        custom={
            "label": _("Naar fase verantwoording"),
            "blocked": _("Het wijkprogramma moet eerst vastgesteld zijn."),
            # Before the execution year is over, leaving it needs a reason (in the history).
            "reden_verplicht": "uitvoering_loopt_nog",
            "reden_hulp": _(
                "Het uitvoeringsjaar is nog niet voorbij. Waarom wordt de uitvoering nu al "
                "afgesloten? De reden komt in de geschiedenis."
            ),
        },
    )
    def naar_verantwoording(self):
        pass

    @transition(
        field=fase,
        source=Fase.VERANTWOORDING,
        target=Fase.AFGEROND,
        conditions=[alles_gepubliceerd],
        permission=may_advance,
        custom={
            "label": _("Cyclus afronden"),
            "blocked": _("Alle producten van de cyclus moeten eerst gepubliceerd zijn."),
            "ontbreekt": "ontbreekt_voor_afronden",
        },
    )
    def afronden(self):
        pass


def product_in_fase(product) -> bool:
    return product.cyclus.fase in product.WERKFASEN


def product_in_fase_of_correctie(product) -> bool:
    """A correction is made whatever phase the cycle has reached (even after it closed)."""
    return product.status == Productstatus.CORRECTIE or product_in_fase(product)


def product_heeft_inhoud(product) -> bool:
    return not product.ontbreekt()


def consultatie_niet_geblokkeerd(product) -> bool:
    return not blokkades(product, "ter_consultatie")


def vaststelling_niet_geblokkeerd(product) -> bool:
    return not blokkades(product, "vaststellen")


def may_consult_product(instance, user) -> bool:
    return user.has_perm("cycle.consult_product", instance)


def may_adopt_product(instance, user) -> bool:
    return user.has_perm("cycle.adopt_this_product", instance)


def may_publish_product(instance, user) -> bool:
    return user.has_perm("cycle.publish_product", instance)


def may_correct_product(instance, user) -> bool:
    return user.has_perm("cycle.correct_product", instance)


class Product(ConcurrentTransitionMixin, models.Model):
    """A phase product as a document: title, text sections and its lifecycle."""

    cyclus = models.OneToOneField(
        Werkcyclus,
        verbose_name=_("werkcyclus"),
        on_delete=models.CASCADE,
        related_name="%(class)s",
    )
    titel = models.CharField(_("titel"), max_length=200)
    status = FSMField(
        _("status"), choices=Productstatus, default=Productstatus.CONCEPT, protected=True
    )
    # Incremented on every edit, so a stale edit form cannot overwrite someone else's work.
    versie = models.PositiveIntegerField(_("versie"), default=1)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    # Where the college adopts (see Taakverdeling): the reference of its decision.
    besluitreferentie = models.CharField(_("besluit van het college"), max_length=100, blank=True)
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    # Why the published product was reopened (the latest correction); the next published
    # version carries it, and the version it replaces shows it.
    correctie_reden = models.TextField(_("reden van de correctie"), blank=True)

    # Filled in by each product: the phase(s) it belongs to, its sections, the slug in URLs.
    WERKFASEN: tuple[str, ...] = ()
    SECTIES: tuple[str, ...] = ()
    VERPLICHTE_SECTIES: tuple[str, ...] = ()
    SOORT = ""

    class Meta:
        abstract = True

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        cyclus = self.cyclus
        return reverse(
            "product-detail",
            kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "soort": self.SOORT},
        )

    @classmethod
    def related_name(cls) -> str:
        return cls._meta.model_name

    @property
    def werkgebied(self):
        return self.cyclus.werkgebied

    @property
    def is_openbaar(self) -> bool:
        return self.status in OPENBARE_STATUSSEN

    @property
    def is_bewerkbaar(self) -> bool:
        if self.status == Productstatus.CORRECTIE:
            return True
        return self.status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE) and (
            product_in_fase(self)
        )

    @property
    def is_eerder_gepubliceerd(self) -> bool:
        """Published at least once: its versions are public, whatever its status now."""
        return self.gepubliceerd_op is not None

    def algemene_titel(self) -> str:
        """A title that says what the product is without its own words: "Wijkanalyse
        Crooswijk 2027"."""
        cyclus = self.cyclus
        return f"{capfirst(self._meta.verbose_name)} {cyclus.werkgebied.naam} {cyclus.jaar}"

    @property
    def in_correctie(self) -> bool:
        """Reopened after publication and not yet published again (being corrected, or the
        correction adopted and waiting to be published)."""
        return self.status == Productstatus.CORRECTIE or (
            self.status == Productstatus.VASTGESTELD and self.is_eerder_gepubliceerd
        )

    def reden_verplicht(self, transition: str, *, today: datetime.date | None = None) -> bool:
        """Whether taking ``transition`` needs a reason (the transition declares it)."""
        method = getattr(type(self), transition, None)
        fsm = getattr(method, "_django_fsm", None)
        meta = fsm.get_transition(self.status) if fsm is not None else None
        return meta is not None and meta.custom.get("reden_verplicht") == "altijd"

    def ontbreekt(self) -> list[str]:
        """What is missing before this product can go to consultation or be adopted, as the
        names of the parts (empty when complete): the adoption check. Each product type
        declares its required sections and extends ``_ontbreekt`` with its content's own
        check. Kept on the instance per version: one page asks it for every step it shows,
        and every change to the content raises the version."""
        cached = getattr(self, "_ontbreekt_cache", None)
        if cached is None or cached[0] != self.versie:
            cached = (self.versie, self._ontbreekt())
            self._ontbreekt_cache = cached
        return list(cached[1])

    def _ontbreekt(self) -> list[str]:
        missing = [] if self.titel.strip() else [str(_("titel"))]
        missing += [
            str(self._meta.get_field(naam).verbose_name)
            for naam in self.VERPLICHTE_SECTIES
            if not getattr(self, naam).strip()
        ]
        return missing

    def ontbreekt_voor_consultatie(self) -> list[str]:
        """The content check plus what other apps require before consultation (see
        ``cycle.voorwaarden``); not kept per version, as those apps' state has its own."""
        return self.ontbreekt() + blokkades(self, "ter_consultatie")

    def ontbreekt_voor_vaststelling(self) -> list[str]:
        return self.ontbreekt() + blokkades(self, "vaststellen")

    def secties(self) -> list[tuple[str, str]]:
        """(heading, text) of each section, in order."""
        return [
            (self._meta.get_field(naam).verbose_name, getattr(self, naam)) for naam in self.SECTIES
        ]

    @transition(
        field=status,
        source=Productstatus.CONCEPT,
        target=Productstatus.CONSULTATIE,
        conditions=[product_in_fase, product_heeft_inhoud, consultatie_niet_geblokkeerd],
        permission=may_consult_product,
        custom={
            "label": _("Ter consultatie voorleggen"),
            "blocked": _("Dit stuk is nog niet compleet."),
            "ontbreekt": "ontbreekt_voor_consultatie",
        },
    )
    def ter_consultatie(self):
        pass

    @transition(
        field=status,
        source=[Productstatus.CONCEPT, Productstatus.CONSULTATIE, Productstatus.CORRECTIE],
        target=Productstatus.VASTGESTELD,
        conditions=[
            product_in_fase_of_correctie,
            product_heeft_inhoud,
            vaststelling_niet_geblokkeerd,
        ],
        permission=may_adopt_product,
        custom={
            "label": _("Vaststellen"),
            "blocked": _("Dit stuk is nog niet compleet."),
            "ontbreekt": "ontbreekt_voor_vaststelling",
            "besluit": True,
        },
    )
    def vaststellen(self):
        pass

    @transition(
        field=status,
        source=Productstatus.VASTGESTELD,
        target=Productstatus.GEPUBLICEERD,
        permission=may_publish_product,
        # Cannot be undone and mails the council: the user confirms it explicitly.
        custom={"label": _("Publiceren"), "blocked": "", "bevestigen": True},
    )
    def publiceren(self):
        pass

    @transition(
        field=status,
        source=Productstatus.GEPUBLICEERD,
        target=Productstatus.CORRECTIE,
        permission=may_correct_product,
        custom={
            "label": _("Heropenen voor correctie"),
            "blocked": "",
            "reden_verplicht": "altijd",
            "reden_hulp": _(
                "Wat moet er verbeterd worden? De reden staat openbaar bij de nieuwe versie en "
                "bij de versie die zij vervangt. De gepubliceerde versie blijft beschikbaar tot "
                "de correctie is vastgesteld en gepubliceerd."
            ),
        },
    )
    def heropenen(self):
        pass


class Wijkanalyse(Product):
    """Phase 1: the state of the wijk, in Zwolle's four parts: the wijkfoto (the barometer and
    the meldingen, read live, plus the wijkmanager's text), the evaluation of the previous
    programme, the analysis per theme (``ThemaAnalyse``, with its evidence) and the
    conclusions. The checklist "Wat is er aan de hand in de wijk?" is answered during the
    phase and quoted as evidence."""

    wijkbeschrijving = models.TextField(_("wijkfoto: beschrijving van de wijk"), blank=True)
    evaluatie = models.TextField(_("evaluatie van het vorige wijkprogramma"), blank=True)
    conclusies = models.TextField(_("conclusies en aanbevelingen"), blank=True)

    WERKFASEN = (Fase.ANALYSE,)
    SECTIES = ("wijkbeschrijving", "evaluatie", "conclusies")
    VERPLICHTE_SECTIES = ("wijkbeschrijving", "conclusies")
    SOORT = "wijkanalyse"

    class Meta:
        verbose_name = _("wijkanalyse")
        verbose_name_plural = _("wijkanalyses")

    def _ontbreekt(self) -> list[str]:
        """The adoption check: the texts, at least one analysed theme, and every theme with
        something said about it and the evidence for it."""
        missing = super()._ontbreekt()
        themas = list(self.themas.annotate(n_citaten=models.Count("citaten")))
        if not themas:
            missing.append(str(_("nog geen enkel thema geanalyseerd")))
        leeg = sum(1 for t in themas if not t.heeft_inhoud)
        if leeg:
            missing.append(
                ngettext(
                    "%(n)d thema zonder sterktes, problemen of kansen",
                    "%(n)d thema's zonder sterktes, problemen of kansen",
                    leeg,
                )
                % {"n": leeg}
            )
        zonder = sum(1 for t in themas if not t.onderbouwing.strip() and not t.n_citaten)
        if zonder:
            missing.append(
                ngettext(
                    "%(n)d thema zonder onderbouwing",
                    "%(n)d thema's zonder onderbouwing",
                    zonder,
                )
                % {"n": zonder}
            )
        return missing


class Wijkagenda(Product):
    """Phase 2: the collective issues that get priority, ranked (``Agendapunt``), and the
    points where policy should change (``Beleidssignaal``), answered by the clusters."""

    toelichting = models.TextField(_("toelichting op de agenda"), blank=True)

    WERKFASEN = (Fase.AGENDA,)
    SECTIES = ("toelichting",)
    VERPLICHTE_SECTIES = ()
    SOORT = "wijkagenda"

    class Meta:
        verbose_name = _("wijkagenda")
        verbose_name_plural = _("wijkagenda's")

    def _ontbreekt(self) -> list[str]:
        """The adoption check: at least one agendapunt, each with a theme and evidence."""
        missing = super()._ontbreekt()
        punten = list(
            self.agendapunten.annotate(
                n_analyses=models.Count("themaanalyses", distinct=True),
                n_citaten=models.Count("citaten", distinct=True),
            )
        )
        if not punten:
            missing.append(str(_("nog geen agendapunten")))
        zonder_thema = sum(1 for p in punten if p.thema_id is None)
        if zonder_thema:
            missing.append(
                ngettext(
                    "%(n)d agendapunt zonder thema",
                    "%(n)d agendapunten zonder thema",
                    zonder_thema,
                )
                % {"n": zonder_thema}
            )
        zonder_bewijs = sum(
            1 for p in punten if not (p.onderbouwing.strip() or p.n_analyses or p.n_citaten)
        )
        if zonder_bewijs:
            missing.append(
                ngettext(
                    "%(n)d agendapunt zonder onderbouwing",
                    "%(n)d agendapunten zonder onderbouwing",
                    zonder_bewijs,
                )
                % {"n": zonder_bewijs}
            )
        return missing


class Wijkprogramma(Product):
    """Phase 3: the agenda turned into initiatives (``Initiatief``); executed in phase 4."""

    toelichting = models.TextField(_("toelichting"), blank=True)
    bestedingsvoorstel = models.TextField(_("bestedingsvoorstel wijkbudget"), blank=True)

    WERKFASEN = (Fase.PROGRAMMA,)
    SECTIES = ("toelichting", "bestedingsvoorstel")
    VERPLICHTE_SECTIES = ()
    SOORT = "wijkprogramma"

    class Meta:
        verbose_name = _("wijkprogramma")
        verbose_name_plural = _("wijkprogramma's")

    def _ontbreekt(self) -> list[str]:
        """The adoption check: at least one initiative, and each with a trekker and the
        toezegging of its owner (seed 004: clusters commit, every action has a trekker)."""
        missing = super()._ontbreekt()
        initiatieven = list(self.initiatieven.values_list("toezegging", "trekker_naam"))
        if not initiatieven:
            missing.append(str(_("nog geen initiatieven")))
        zonder_toezegging = sum(
            1 for toezegging, _naam in initiatieven if toezegging != "toegezegd"
        )
        if zonder_toezegging:
            missing.append(
                ngettext(
                    "%(n)d initiatief zonder toezegging van de eigenaar",
                    "%(n)d initiatieven zonder toezegging van de eigenaar",
                    zonder_toezegging,
                )
                % {"n": zonder_toezegging}
            )
        zonder_trekker = sum(1 for _toezegging, naam in initiatieven if not naam.strip())
        if zonder_trekker:
            missing.append(
                ngettext(
                    "%(n)d initiatief zonder trekker",
                    "%(n)d initiatieven zonder trekker",
                    zonder_trekker,
                )
                % {"n": zonder_trekker}
            )
        return missing


class Wijkverslag(Product):
    """Phase 5: the twelve-month report (read from the initiatives, never typed), the story
    of the year and its lessons, and the financial account."""

    resultaten = models.TextField(_("terugblik en lessen"), blank=True)
    jaarrekening = models.TextField(_("jaarrekening"), blank=True)
    vooruitblik = models.TextField(_("vooruitblik"), blank=True)

    WERKFASEN = (Fase.VERANTWOORDING,)
    SECTIES = ("resultaten", "jaarrekening", "vooruitblik")
    VERPLICHTE_SECTIES = ("resultaten",)
    SOORT = "wijkverslag"

    class Meta:
        verbose_name = _("wijkverslag")
        verbose_name_plural = _("wijkverslagen")

    def _ontbreekt(self) -> list[str]:
        """The adoption check: the texts, and every initiative of the year's programme with
        its end recorded (realised, carried over or dropped)."""
        from .wijkprogramma import Initiatief

        missing = super()._ontbreekt()
        open_ = (
            Initiatief.objects.filter(wijkprogramma__cyclus_id=self.cyclus_id, afloop="")
            .exclude(status__in=("gerealiseerd", "gestopt"))
            .count()
        )
        if open_:
            missing.append(
                ngettext(
                    "%(n)d initiatief waarvan de afloop nog niet is vastgelegd",
                    "%(n)d initiatieven waarvan de afloop nog niet is vastgelegd",
                    open_,
                )
                % {"n": open_}
            )
        return missing


PRODUCT_MODELLEN: tuple[type[Product], ...] = (Wijkanalyse, Wijkagenda, Wijkprogramma, Wijkverslag)
PRODUCT_PER_SOORT = {model.SOORT: model for model in PRODUCT_MODELLEN}
# The reverse one-to-one names on Werkcyclus, for select_related.
PRODUCT_RELATIONS = [model.related_name() for model in PRODUCT_MODELLEN]
PRODUCT_VAN_FASE = {
    Fase.ANALYSE: Wijkanalyse,
    Fase.AGENDA: Wijkagenda,
    Fase.PROGRAMMA: Wijkprogramma,
    Fase.UITVOERING: Wijkprogramma,
    Fase.VERANTWOORDING: Wijkverslag,
}
