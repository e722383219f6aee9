"""The participation plan of a werkcyclus and the wijkraad's formal advice.

``Participatieplan`` is the header (status, version) of one cycle's plan; it has one
``Planfase`` per working phase: the level on the participation ladder, the kaders (what residents
can and cannot influence), the groups to reach, the means, and when there is enough draagvlak.
It is public from the start: the kaders are declared before a phase begins (seed 000:
expectation management), and a product cannot go into consultation while its phase's kaders are
empty (``participation.voorwaarden``).

``Advies`` is the wijkraad's formal advice on the participation plan, the wijkagenda, the
wijkprogramma or the wijkakkoord: asked (``gevraagd``, by the wijkmanager, with a deadline) or
unasked, given on behalf of the wijkraad by a wijkraadslid (``gegeven``, with the date of the
wijkraad's decision), and answered (``beantwoord``) by the wijkmanager, or by the college with
the wijkmanager recording it. Transitions change state only; ``services_plan`` and
``services_advies`` are the only ways in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cycle.models import WERKFASEN, Fase, Participatieniveau

__all__ = [
    "CYCLUS_ONDERWERPEN",
    "Advies",
    "Adviesonderwerp",
    "Adviesstatus",
    "AntwoordVan",
    "Draagvlaksoort",
    "Middel",
    "Participatieplan",
    "Planfase",
    "Planstatus",
]

FASE_KEUZES = [(fase.value, fase.label) for fase in WERKFASEN]


class Planstatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    VASTGESTELD = "vastgesteld", _("vastgesteld")


class Middel(models.TextChoices):
    BIJEENKOMSTEN = "bijeenkomsten", _("bijeenkomsten")
    CONSULTATIE = "consultatie", _("consultatie op het concept")
    CHECKLIST = "checklist", _("de checklist ‘Wat is er aan de hand in de wijk?’")
    WIJKSCHOUW = "wijkschouw", _("wijkschouw")
    ANDERS = "anders", _("anders")


class Draagvlaksoort(models.TextChoices):
    STEUNBETUIGINGEN = "steunbetuigingen", _("steunbetuigingen")
    REACTIES = "reacties", _("reacties")
    DEELNEMERS = "deelnemers", _("deelnemers aan bijeenkomsten")
    HANDTEKENINGEN = "handtekeningen", _("handtekeningen")


def may_change_plan(instance, user) -> bool:
    return user.has_perm("participation.change_participatieplan", instance)


def plan_compleet(instance) -> bool:
    return not instance.ontbreekt()


class Participatieplan(ConcurrentTransitionMixin, models.Model):
    cyclus = models.OneToOneField(
        "cycle.Werkcyclus",
        verbose_name=_("werkcyclus"),
        on_delete=models.CASCADE,
        related_name="participatieplan",
    )
    status = FSMField(_("status"), choices=Planstatus, default=Planstatus.CONCEPT, protected=True)
    # Incremented on every change, so a stale edit form cannot overwrite someone else's work.
    versie = models.PositiveIntegerField(_("versie"), default=1)
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("participatieplan")
        verbose_name_plural = _("participatieplannen")

    def __str__(self):
        return str(_("Participatieplan %(cyclus)s") % {"cyclus": self.cyclus})

    def get_absolute_url(self):
        return plan_url(self.cyclus)

    @property
    def werkgebied(self):
        return self.cyclus.werkgebied

    @property
    def is_bewerkbaar(self) -> bool:
        return self.status == Planstatus.CONCEPT and self.cyclus.fase != Fase.AFGEROND

    def ontbreekt(self) -> list[str]:
        """What the plan lacks before it can be adopted: per phase the level and the kaders."""
        missing = []
        fasen = {f.fase: f for f in self.fasen.all()}
        for fase in WERKFASEN:
            planfase = fasen.get(fase)
            if planfase is None or not planfase.niveau:
                missing.append(
                    str(_("het niveau voor de fase %(fase)s") % {"fase": capfirst(fase.label)})
                )
            if planfase is None or not planfase.heeft_kaders:
                missing.append(
                    str(_("de kaders voor de fase %(fase)s") % {"fase": capfirst(fase.label)})
                )
        return missing

    @transition(
        field=status,
        source=Planstatus.CONCEPT,
        target=Planstatus.VASTGESTELD,
        conditions=[plan_compleet],
        permission=may_change_plan,
    )
    def vaststellen(self):
        pass


def plan_url(cyclus) -> str:
    return reverse("participatieplan", kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar})


class Planfase(models.Model):
    plan = models.ForeignKey(
        Participatieplan,
        verbose_name=_("participatieplan"),
        on_delete=models.CASCADE,
        related_name="fasen",
    )
    fase = models.CharField(_("fase"), max_length=20, choices=FASE_KEUZES)
    niveau = models.CharField(
        _("niveau op de participatieladder"),
        max_length=20,
        choices=Participatieniveau,
        blank=True,
    )
    wel_invloed = models.TextField(
        _("waar bewoners invloed op hebben"), blank=True, max_length=5000
    )
    geen_invloed = models.TextField(
        _("waar bewoners geen invloed op hebben"), blank=True, max_length=5000
    )
    doelgroepen = models.TextField(_("groepen die we willen bereiken"), blank=True, max_length=2000)
    # Codes of ``Middel``: a short list, read and written whole with the phase.
    middelen = models.JSONField(_("middelen"), default=list, blank=True)
    middelen_anders = models.CharField(_("andere middelen"), max_length=200, blank=True)
    draagvlak_aantal = models.PositiveIntegerField(
        _("draagvlak: minimaal aantal"), null=True, blank=True
    )
    draagvlak_soort = models.CharField(
        _("draagvlak: aantal wat"), max_length=20, choices=Draagvlaksoort, blank=True
    )

    class Meta:
        verbose_name = _("fase van het participatieplan")
        verbose_name_plural = _("fasen van het participatieplan")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "fase"], name="participation_planfase_uniek"),
            models.CheckConstraint(
                condition=Q(draagvlak_aantal__isnull=True, draagvlak_soort="")
                | (Q(draagvlak_aantal__isnull=False) & ~Q(draagvlak_soort="")),
                name="participation_planfase_draagvlak_compleet",
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.fase}"

    @property
    def fase_naam(self) -> str:
        return capfirst(Fase(self.fase).label)

    @property
    def heeft_kaders(self) -> bool:
        return bool(self.wel_invloed.strip() and self.geen_invloed.strip())

    def middelen_namen(self) -> list[str]:
        namen = []
        for code in self.middelen or []:
            if code == Middel.ANDERS:
                namen.append(self.middelen_anders or str(Middel.ANDERS.label))
            elif code in Middel.values:
                namen.append(str(Middel(code).label))
        return namen


# ----------------------------------------------------------------------- the wijkraad's advice


class Adviesonderwerp(models.TextChoices):
    PARTICIPATIEPLAN = "participatieplan", _("het participatieplan")
    WIJKAGENDA = "wijkagenda", _("de wijkagenda")
    WIJKPROGRAMMA = "wijkprogramma", _("het wijkprogramma")
    WIJKAKKOORD = "wijkakkoord", _("het wijkakkoord")


# The subjects that belong to one cycle (the others to a wijkakkoord).
CYCLUS_ONDERWERPEN = (
    Adviesonderwerp.PARTICIPATIEPLAN,
    Adviesonderwerp.WIJKAGENDA,
    Adviesonderwerp.WIJKPROGRAMMA,
)


class Adviesstatus(models.TextChoices):
    GEVRAAGD = "gevraagd", _("gevraagd")
    GEGEVEN = "gegeven", _("gegeven, wacht op antwoord")
    BEANTWOORD = "beantwoord", _("beantwoord")


class AntwoordVan(models.TextChoices):
    WIJKMANAGER = "wijkmanager", _("de wijkmanager")
    COLLEGE = "college", _("het college van burgemeester en wethouders")


def may_give_advice(instance, user) -> bool:
    return user.has_perm("participation.geef_advies", instance)


def may_answer_advice(instance, user) -> bool:
    return user.has_perm("participation.beantwoord_advies", instance)


class Advies(ConcurrentTransitionMixin, models.Model):
    """One formal advice of the wijkraad. The subject is explicit: ``onderwerp`` says what it
    is about, ``cyclus`` (for the plan, the agenda and the programme: each is one per cycle) or
    ``wijkakkoord`` says which one. Two nullable foreign keys and a check constraint rather than
    a generic relation: the database guarantees the link, and a product's page finds its advice
    by ``(cyclus, onderwerp)`` with one indexed query."""

    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="adviezen",
        db_index=False,
    )
    onderwerp = models.CharField(_("onderwerp"), max_length=20, choices=Adviesonderwerp)
    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("werkcyclus"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adviezen",
        db_index=False,
    )
    wijkakkoord = models.ForeignKey(
        "cycle.Wijkakkoord",
        verbose_name=_("wijkakkoord"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adviezen",
    )
    status = FSMField(
        _("status"), choices=Adviesstatus, default=Adviesstatus.GEVRAAGD, protected=True
    )
    ongevraagd = models.BooleanField(_("ongevraagd advies"), default=False)
    # The request.
    vraag = models.TextField(_("adviesvraag"), blank=True, max_length=5000)
    termijn = models.DateField(_("advies gevraagd vóór"), null=True, blank=True)
    gevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gevraagd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    gevraagd_op = models.DateTimeField(_("gevraagd op"), null=True, blank=True)
    # The advice, on behalf of the wijkraad.
    advies = models.TextField(_("advies"), blank=True, max_length=10000)
    besluitdatum = models.DateField(
        _("datum van het besluit van de wijkraad"), null=True, blank=True
    )
    gegeven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    gegeven_op = models.DateTimeField(_("gegeven op"), null=True, blank=True)
    # The answer, of the wijkmanager or of the college (recorded by the wijkmanager).
    antwoord = models.TextField(_("antwoord"), blank=True, max_length=10000)
    antwoord_van = models.CharField(
        _("antwoord van"), max_length=20, choices=AntwoordVan, blank=True
    )
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("advies")
        verbose_name_plural = _("adviezen")
        ordering = ["-aangemaakt_op", "-pk"]
        indexes = [
            models.Index(fields=["werkgebied", "status"], name="advies_werkgebied_status"),
            models.Index(fields=["cyclus", "onderwerp"], name="advies_cyclus_onderwerp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(onderwerp="wijkakkoord", wijkakkoord__isnull=False, cyclus__isnull=True)
                    | (
                        Q(onderwerp__in=[o.value for o in CYCLUS_ONDERWERPEN])
                        & Q(cyclus__isnull=False, wijkakkoord__isnull=True)
                    )
                ),
                name="participation_advies_onderwerp",
            ),
            models.CheckConstraint(
                condition=Q(ongevraagd=True) | (Q(termijn__isnull=False) & ~Q(vraag="")),
                name="participation_advies_vraag",
            ),
            models.CheckConstraint(
                condition=Q(status="gevraagd") | (Q(besluitdatum__isnull=False) & ~Q(advies="")),
                name="participation_advies_gegeven",
            ),
            models.CheckConstraint(
                condition=~Q(status="beantwoord") | (~Q(antwoord="") & ~Q(antwoord_van="")),
                name="participation_advies_antwoord",
            ),
        ]

    def __str__(self):
        return str(_("Advies over %(onderwerp)s") % {"onderwerp": self.onderwerp_titel()})

    def get_absolute_url(self):
        return reverse("advies-detail", kwargs={"slug": self.werkgebied.slug, "pk": self.pk})

    def onderwerp_titel(self) -> str:
        """ "de wijkagenda 2027", "het wijkakkoord 2026–2029"."""
        label = Adviesonderwerp(self.onderwerp).label
        if self.wijkakkoord_id and self.wijkakkoord is not None:
            return f"{label} {self.wijkakkoord.periode}"
        if self.cyclus_id and self.cyclus is not None:
            return f"{label} {self.cyclus.jaar}"
        return str(label)

    def onderwerp_url(self) -> str:
        """The page of what the advice is about."""
        if self.onderwerp == Adviesonderwerp.WIJKAKKOORD:
            return self.wijkakkoord.get_absolute_url()
        if self.onderwerp == Adviesonderwerp.PARTICIPATIEPLAN:
            return plan_url(self.cyclus)
        return reverse(
            "product-detail",
            kwargs={
                "slug": self.werkgebied.slug,
                "jaar": self.cyclus.jaar,
                "soort": self.onderwerp,
            },
        )

    def te_laat(self, today) -> bool:
        return (
            self.status == Adviesstatus.GEVRAAGD
            and self.termijn is not None
            and (self.termijn < today)
        )

    @transition(
        field=status,
        source=Adviesstatus.GEVRAAGD,
        target=Adviesstatus.GEGEVEN,
        permission=may_give_advice,
    )
    def geven(self):
        pass

    @transition(
        field=status,
        source=Adviesstatus.GEGEVEN,
        target=Adviesstatus.BEANTWOORD,
        permission=may_answer_advice,
    )
    def beantwoorden(self):
        pass
