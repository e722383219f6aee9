"""The content of the wijkagenda: the ranked agendapunten (collective issues, each with its
theme and evidence) and the beleidssignalen (points where city or partner policy should
change), answered in writing by the cluster they are addressed to.

The rank of an agendapunt is unique and gap-free per agenda: the services renumber under the
agenda's row lock, and the unique constraint is deferred so that a swap inside one transaction
is allowed while the end state is checked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .wijkakkoord import AkkoordVerwijzing

__all__ = ["Agendapunt", "Beleidssignaal", "Opmerking", "Signaalstatus"]


class Agendapunt(AkkoordVerwijzing):
    """One collective issue on the wijkagenda, in the order of priority (``rang`` 1 first)."""

    wijkagenda = models.ForeignKey(
        "cycle.Wijkagenda",
        verbose_name=_("wijkagenda"),
        on_delete=models.CASCADE,
        related_name="agendapunten",
    )
    rang = models.PositiveSmallIntegerField(_("rang"))
    titel = models.CharField(_("titel"), max_length=200)
    probleem = models.TextField(
        _("het probleem in de woorden van bewoners"),
        max_length=5000,
        help_text=_("Beschrijf het zoals bewoners het zeggen, niet in beleidstaal."),
    )
    thema = models.ForeignKey(
        "cycle.Wijkthema",
        verbose_name=_("thema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agendapunten",
    )
    wijken = models.ManyToManyField(
        "places.Wijk",
        verbose_name=_("betreft de wijken"),
        blank=True,
        related_name="agendapunten",
        help_text=_("Leeg: het hele werkgebied."),
    )
    buurten = models.CharField(
        _("buurten"),
        max_length=300,
        blank=True,
        help_text=_("Als het punt maar een paar buurten of straten betreft: welke."),
    )
    # The evidence: analysed themes of this cycle's wijkanalyse, quoted checklist answers,
    # and figures in words. Meldingen taken into the cycle point at the agendapunt themselves.
    themaanalyses = models.ManyToManyField(
        "cycle.ThemaAnalyse",
        verbose_name=_("onderbouwing uit de wijkanalyse"),
        blank=True,
        related_name="agendapunten",
    )
    citaten = models.ManyToManyField(
        "cycle.ChecklistAntwoord",
        verbose_name=_("geciteerde antwoorden uit de checklist"),
        blank=True,
        related_name="agendapunten",
    )
    onderbouwing = models.TextField(
        _("onderbouwing: cijfers en bronnen"), blank=True, max_length=5000
    )
    # Seed 000's first failure factor: an agenda of individual complaints. The drafter
    # confirms that the point serves a group of residents; the database holds them to it.
    collectief = models.BooleanField(
        _("dit punt dient een groep bewoners, niet één persoon of één adres"), default=False
    )

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["wijkagenda", "rang"]
        constraints = [
            *AkkoordVerwijzing.Meta.constraints,
            models.UniqueConstraint(
                fields=["wijkagenda", "rang"],
                name="cycle_agendapunt_rang_uniek",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=Q(rang__gte=1), name="cycle_agendapunt_rang_positief"),
            models.CheckConstraint(
                condition=Q(collectief=True),
                name="cycle_agendapunt_collectief",
                violation_error_message=_(
                    "Op de wijkagenda staan alleen punten die een groep bewoners dienen."
                ),
            ),
        ]

    def __str__(self):
        return self.titel

    @property
    def werkgebied(self):
        return self.wijkagenda.cyclus.werkgebied


class Signaalstatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_BEHANDELING = "in_behandeling", _("in behandeling")
    BEANTWOORD = "beantwoord", _("beantwoord")


def may_answer_signaal(instance, user) -> bool:
    return user.has_perm("cycle.answer_beleidssignaal", instance)


class Beleidssignaal(ConcurrentTransitionMixin, models.Model):
    """A point for policy (aandachtspunt voor beleid), addressed to one cluster or partner,
    answered in writing; the answer is public with the agenda."""

    wijkagenda = models.ForeignKey(
        "cycle.Wijkagenda",
        verbose_name=_("wijkagenda"),
        on_delete=models.CASCADE,
        related_name="beleidssignalen",
    )
    titel = models.CharField(_("titel"), max_length=200)
    toelichting = models.TextField(_("toelichting"), max_length=5000)
    cluster = models.ForeignKey(
        "people.Cluster",
        verbose_name=_("gericht aan cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beleidssignalen",
    )
    partner = models.ForeignKey(
        "people.Partner",
        verbose_name=_("gericht aan partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beleidssignalen",
    )
    status = FSMField(
        _("status"),
        choices=Signaalstatus,
        default=Signaalstatus.OPEN,
        protected=True,
        db_index=True,
    )
    antwoord = models.TextField(_("antwoord"), blank=True, max_length=5000)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # Incremented on every change: a stale answer form changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("beleidssignaal")
        verbose_name_plural = _("beleidssignalen")
        ordering = ["wijkagenda", "aangemaakt_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=False, partner__isnull=True)
                | Q(cluster__isnull=True, partner__isnull=False),
                name="cycle_signaal_een_adres",
                violation_error_message=_("Richt het signaal aan één cluster óf één partner."),
            ),
            models.CheckConstraint(
                condition=~Q(status="beantwoord") | ~Q(antwoord=""),
                name="cycle_signaal_antwoord_bij_beantwoord",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status"], name="signaal_cluster_status")]

    def __str__(self):
        return self.titel

    @property
    def werkgebied(self):
        return self.wijkagenda.cyclus.werkgebied

    @property
    def geadresseerde(self):
        return self.cluster or self.partner

    @transition(
        field=status,
        source=Signaalstatus.OPEN,
        target=Signaalstatus.IN_BEHANDELING,
        permission=may_answer_signaal,
        custom={"label": _("In behandeling nemen")},
    )
    def in_behandeling_nemen(self):
        pass

    @transition(
        field=status,
        source=[Signaalstatus.OPEN, Signaalstatus.IN_BEHANDELING],
        target=Signaalstatus.BEANTWOORD,
        permission=may_answer_signaal,
        custom={"label": _("Antwoord versturen")},
    )
    def beantwoorden(self):
        pass


class Opmerking(models.Model):
    """A comment on a concept product by someone involved (a wijkraadslid, mostly), for the
    drafter. Not public: formal advice of the wijkraad is a separate, public thing."""

    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("werkcyclus"),
        on_delete=models.CASCADE,
        related_name="opmerkingen",
    )
    soort = models.CharField(_("product"), max_length=20)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    auteur_rol = models.CharField(_("als"), max_length=20, blank=True)
    tekst = models.TextField(_("opmerking"), max_length=3000)
    aangemaakt_op = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")
        ordering = ["cyclus", "soort", "aangemaakt_op", "pk"]
        indexes = [models.Index(fields=["cyclus", "soort"], name="opmerking_product")]

    def __str__(self):
        return self.tekst[:60]

    @property
    def werkgebied(self):
        return self.cyclus.werkgebied
