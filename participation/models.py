"""Meldingen: what residents report about their wijk, and what became of it.

A melding moves ``nieuw → in_behandeling → doorgezet / opgenomen / afgehandeld /
niet_in_behandeling``; a duplicate is linked to its main melding and closed with it. Transitions
change state only; ``participation.services`` is the single way in. The reporter's address and
photos are personal data: only the wijkmanagers of the werkgebied (and beheerders) see them,
and the retention task removes them a year after the melding is closed."""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class Thema(models.Model):
    """What a melding is about (reference data a beheerder edits), with the number of working
    days within which a melding of this theme should be handled."""

    naam = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    afhandeltermijn = models.PositiveSmallIntegerField(
        _("afhandeltermijn in werkdagen"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    actief = models.BooleanField(
        _("actief"), default=True, help_text=_("Alleen actieve thema's kunnen gekozen worden.")
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


def werkdagen_na(begin: datetime.date, werkdagen: int) -> datetime.date:
    """The date ``werkdagen`` working days (Monday to Friday) after ``begin``."""
    dag = begin
    while werkdagen > 0:
        dag += datetime.timedelta(days=1)
        if dag.weekday() < 5:
            werkdagen -= 1
    return dag


class Meldingstatus(models.TextChoices):
    NIEUW = "nieuw", _("nieuw")
    IN_BEHANDELING = "in_behandeling", _("in behandeling")
    DOORGEZET = "doorgezet", _("doorgezet")
    OPGENOMEN = "opgenomen", _("opgenomen in de wijkaanpak")
    AFGEHANDELD = "afgehandeld", _("afgehandeld")
    NIET_IN_BEHANDELING = "niet_in_behandeling", _("niet in behandeling genomen")


OPEN_STATUSSEN = (Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET)
GESLOTEN_STATUSSEN = (
    Meldingstatus.OPGENOMEN,
    Meldingstatus.AFGEHANDELD,
    Meldingstatus.NIET_IN_BEHANDELING,
)
# How long after "afgehandeld" the reporter can say it is not solved, and so reopen it.
HEROPEN_TERMIJN = datetime.timedelta(days=14)


def nieuwe_code() -> str:
    """An unguessable tracking code: 10 characters from an alphabet without look-alikes
    (about 50 bits), grouped for reading aloud over the phone."""
    alfabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    tekens = "".join(secrets.choice(alfabet) for _ in range(10))
    return f"{tekens[:5]}-{tekens[5:]}"


def may_triage(instance, user) -> bool:
    return user.has_perm("participation.triage_melding", instance)


def may_answer(instance, user) -> bool:
    return user.has_perm("participation.answer_melding", instance)


class Melding(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("volgcode"), max_length=11, unique=True, default=nieuwe_code)
    tekst = models.TextField(_("wat is er aan de hand"), max_length=5000)
    thema = models.ForeignKey(
        Thema, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="meldingen"
    )
    # No index of its own on wijk, werkgebied, cluster or status: the composite indexes in
    # Meta begin with them, and every index is work for each of the many inserts.
    wijk = models.ForeignKey(
        "places.Wijk",
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        related_name="meldingen",
        db_index=False,
    )
    # The wijk's werkgebied when the melding came in: who triages it, and the scope every
    # permission checks. Empty for a wijk without a wijkraad: then only beheerders handle it.
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen",
        db_index=False,
    )
    buurtcode = models.CharField(_("CBS-buurtcode"), max_length=12, blank=True)
    plek = models.CharField(_("straat of plek"), max_length=200, blank=True)
    lengtegraad = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    breedtegraad = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    betreft_groep = models.BooleanField(
        _("betreft een groep bewoners"),
        default=False,
        help_text=_("Nee: het gaat alleen om de melder zelf."),
    )
    # Personal data: never public, never in an export, a PDF or the audit log.
    email = models.EmailField(_("e-mailadres voor updates"), blank=True)
    # The signed-in resident who reported it ("Mijn wijk" lists it, notifications reach
    # them). Personal data like the address: deleting the account empties it.
    melder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("melder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meldingen",
        db_index=False,
    )

    status = FSMField(
        _("status"),
        choices=Meldingstatus,
        default=Meldingstatus.NIEUW,
        protected=True,
    )
    publiceerbaar = models.BooleanField(
        _("tekst openbaar"),
        default=False,
        help_text=_(
            "De tekst is gecontroleerd en bevat geen namen, adressen of andere persoonsgegevens."
        ),
    )
    termijn_op = models.DateField(_("af te handelen op"))
    hoofdmelding = models.ForeignKey(
        "self",
        verbose_name=_("dubbel van"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dubbelen",
    )
    cluster = models.ForeignKey(
        "people.Cluster",
        verbose_name=_("doorgezet naar cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen",
        db_index=False,
    )
    partner = models.ForeignKey(
        "people.Partner",
        verbose_name=_("doorgezet naar partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen",
    )
    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("opgenomen in cyclus"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen",
    )
    # Once taken into the cycle, the agendapunt of that cycle's wijkagenda it feeds (the
    # tracking page shows it once the agenda is public). Removing the point keeps the melding.
    agendapunt = models.ForeignKey(
        "cycle.Agendapunt",
        verbose_name=_("opgenomen in agendapunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meldingen",
    )
    # Once taken into the cycle, the initiative of that cycle's wijkprogramma that came from it
    # (the tracking page shows it once the programme is public). Removing it keeps the melding.
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("geleid tot initiatief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meldingen",
    )
    # For the cluster or partner it is forwarded to; never shown to the public.
    notitie = models.TextField(_("notitie bij het doorzetten"), max_length=5000, blank=True)
    # Shown to the reporter on the tracking page (and mailed): the answer, or the reason why
    # the melding is not taken up.
    antwoord = models.TextField(_("antwoord aan de melder"), max_length=5000, blank=True)
    # The reporter's own word after "afgehandeld": solved or not, and why not.
    melder_reactie = models.TextField(_("reactie van de melder"), max_length=2000, blank=True)
    steun = models.PositiveIntegerField(_("aantal steunbetuigingen"), default=0)
    opgelost = models.BooleanField(_("volgens de melder opgelost"), null=True, blank=True)
    # Incremented on every change, so a stale triage form changes nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now, db_index=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    afgesloten_op = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    contact_verwijderd_op = models.DateTimeField(
        _("contactgegevens verwijderd op"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-ingediend_op"]
        indexes = [
            models.Index(fields=["werkgebied", "status", "-ingediend_op"], name="melding_triage"),
            models.Index(fields=["wijk", "thema", "-ingediend_op"], name="melding_wijk_thema"),
            models.Index(fields=["cluster", "status"], name="melding_cluster"),
            # "Mijn meldingen": most meldingen have no account behind them.
            models.Index(
                fields=["melder", "-ingediend_op"],
                name="melding_melder",
                condition=Q(melder__isnull=False),
            ),
            models.Index(
                fields=["afgesloten_op"],
                name="melding_bewaartermijn",
                condition=Q(contact_verwijderd_op__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lengtegraad__isnull=True, breedtegraad__isnull=True)
                | Q(lengtegraad__isnull=False, breedtegraad__isnull=False),
                name="melding_punt_volledig",
                violation_error_message=_("Een plek op de kaart heeft twee coördinaten."),
            ),
            models.CheckConstraint(
                condition=~Q(hoofdmelding=models.F("id")),
                name="melding_niet_dubbel_van_zichzelf",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("melding-volgen", kwargs={"code": self.code})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSSEN

    def is_te_laat(self, today=None) -> bool:
        return self.is_open and self.termijn_op < (today or timezone.localdate())

    def kan_heropenen(self, now=None) -> bool:
        """Whether the reporter may still say it is not solved (and so reopen it)."""
        if self.status != Meldingstatus.AFGEHANDELD or self.afgesloten_op is None:
            return False
        return (now or timezone.now()) <= self.afgesloten_op + HEROPEN_TERMIJN

    # Transitions: state only. Permission asks the same rules as the views.

    @transition(
        field=status,
        # Also back from a cluster or partner that says it is not theirs.
        source=[Meldingstatus.NIEUW, Meldingstatus.DOORGEZET],
        target=Meldingstatus.IN_BEHANDELING,
        permission=may_triage,
        custom={"label": _("In behandeling nemen")},
    )
    def in_behandeling_nemen(self):
        pass

    @transition(
        field=status,
        source=[Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET],
        target=Meldingstatus.DOORGEZET,
        permission=may_triage,
        custom={"label": _("Doorzetten naar cluster of partner")},
    )
    def doorzetten(self):
        pass

    @transition(
        field=status,
        source=[Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET],
        target=Meldingstatus.OPGENOMEN,
        permission=may_triage,
        custom={"label": _("Opnemen in de wijkaanpak")},
    )
    def opnemen(self):
        pass

    @transition(
        field=status,
        source=[Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET],
        target=Meldingstatus.AFGEHANDELD,
        permission=may_answer,
        custom={"label": _("Afhandelen met een antwoord")},
    )
    def afhandelen(self):
        pass

    @transition(
        field=status,
        source=[Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET],
        target=Meldingstatus.NIET_IN_BEHANDELING,
        permission=may_triage,
        custom={"label": _("Niet in behandeling nemen")},
    )
    def niet_in_behandeling_nemen(self):
        pass

    @transition(
        field=status,
        source=Meldingstatus.AFGEHANDELD,
        target=Meldingstatus.IN_BEHANDELING,
        # No permission: the reporter holds no account; the service checks the tracking code
        # and the two weeks.
        custom={"label": _("Heropenen (de melder: niet opgelost)")},
    )
    def heropenen(self):
        pass


class Foto(models.Model):
    """A photo of a melding, re-encoded without metadata when it came in (see
    ``participation.photos``). Personal data: shown only to whoever may triage the melding."""

    melding = models.ForeignKey(
        Melding, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="fotos"
    )
    bestand = models.FileField(_("bestand"), upload_to="meldingen/%Y/%m/", max_length=200)
    content_type = models.CharField(_("soort bestand"), max_length=20)
    breedte = models.PositiveIntegerField(_("breedte"))
    hoogte = models.PositiveIntegerField(_("hoogte"))
    grootte = models.PositiveIntegerField(_("grootte in bytes"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["pk"]

    def __str__(self):
        return self.bestand.name


class Steun(models.Model):
    """One resident's support for an open melding ("ik heb dit ook"): counted, never named."""

    melding = models.ForeignKey(
        Melding,
        verbose_name=_("melding"),
        on_delete=models.CASCADE,
        related_name="steunbetuigingen",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")

    def __str__(self):
        return f"{self.melding} +1"


class Spoorsoort(models.TextChoices):
    """Where a melding went. The product, programme and report issues add their kinds
    (agendapunt, initiatief, resultaat) with a column each; the tracking page lists the rows."""

    CYCLUS = "cyclus", _("opgenomen in de wijkaanpak")
    INITIATIEF = "initiatief", _("geleid tot een initiatief")


class Spoor(models.Model):
    """One step of a melding's trail into the wijkaanpak: what it fed, in order."""

    melding = models.ForeignKey(
        Melding, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="spoor"
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Spoorsoort)
    cyclus = models.ForeignKey(
        "cycle.Werkcyclus",
        verbose_name=_("cyclus"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kind ``initiatief``: the initiative it led to (the step goes when the link is undone; a
    # removed initiative leaves the step without it).
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    toelichting = models.TextField(_("toelichting"), max_length=2000, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("spoorstap")
        verbose_name_plural = _("spoor")
        ordering = ["aangemaakt_op", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(soort="cyclus") | Q(cyclus__isnull=False),
                name="spoor_cyclus_heeft_cyclus",
            ),
        ]

    def __str__(self):
        return f"{self.melding}: {self.get_soort_display()}"


def nieuw_volgtoken() -> str:
    """The key of one follower to confirm and to unsubscribe: 256 random bits."""
    return secrets.token_urlsafe(32)


class Volger(models.Model):
    """A resident who follows one initiative by e-mail (no account needed). Double opt-in:
    nothing but the confirmation mail goes to an address until its owner followed the link
    in it; unconfirmed followers are removed after ``participation.services_volgen
    .BEVESTIG_TERMIJN``. Personal data: never public, never in the audit log."""

    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.CASCADE,
        related_name="volgers",
    )
    email = models.EmailField(_("e-mailadres"), max_length=254)
    # The only key to this row from outside: confirming and unsubscribing need it, and it
    # opens this one follower of this one initiative and nothing else.
    token = models.CharField(_("sleutel"), max_length=64, unique=True, default=nieuw_volgtoken)
    bevestigd_op = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    # When the last confirmation mail was put in the outbox: asking again sends it again, but
    # not more than once per ``OPNIEUW_NA`` (nobody can flood an address with them).
    bevestiging_gevraagd_op = models.DateTimeField(_("bevestiging gevraagd op"), null=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                "initiatief", Lower("email"), name="volger_een_per_adres_per_initiatief"
            ),
        ]
        indexes = [
            # The retention task asks for old unconfirmed rows only.
            models.Index(
                fields=["aangemaakt_op"],
                name="volger_onbevestigd",
                condition=Q(bevestigd_op__isnull=True),
            ),
            # The fan-out walks the confirmed followers of one initiative by id.
            models.Index(
                fields=["initiatief", "id"],
                name="volger_bevestigd",
                condition=Q(bevestigd_op__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.initiatief_id}: {self.pk}"

    @property
    def is_bevestigd(self) -> bool:
        return self.bevestigd_op is not None


class Volgbericht(models.Model):
    """One change of an initiative its confirmed followers are to hear about: written in the
    transaction of the change (next to its audit entry), then fanned out into the outbox by a
    Celery task in batches (``laatste_volger``: how far it got), and swept by beat when the
    broker was down. ``verwerkt_op`` is set once every follower has their notice."""

    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    audit_entry = models.OneToOneField(
        "audit.AuditEntry",
        verbose_name=_("logregel"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    laatste_volger = models.PositiveBigIntegerField(_("verwerkt tot volger"), default=0)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    verwerkt_op = models.DateTimeField(_("verwerkt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bericht aan volgers")
        verbose_name_plural = _("berichten aan volgers")
        indexes = [
            models.Index(
                fields=["aangemaakt_op"],
                name="volgbericht_open",
                condition=Q(verwerkt_op__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.initiatief_id} ({self.audit_entry_id})"


# The participation plan and the wijkraad's advice (issue 11), in a module of their own.
# Consultations and reactions live in their own module; imported here so Django finds them.
from .models_bijeenkomsten import Bevinding, Bijeenkomst  # noqa: E402, F401
from .models_consultatie import *  # noqa: E402, F403
from .models_plan import *  # noqa: E402, F403
from .models_steun import Steunbetuiging  # noqa: E402, F401


class Gebiedvolging(models.Model):
    """A resident with an account who follows a werkgebied or one wijk: they hear in the
    portal (and by e-mail, as they chose) when something is published there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="gebiedvolgingen",
    )
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="volgingen",
    )
    wijk = models.ForeignKey(
        "places.Wijk",
        verbose_name=_("wijk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="volgingen",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("gevolgd gebied")
        verbose_name_plural = _("gevolgde gebieden")
        ordering = ["-aangemaakt_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(werkgebied__isnull=False, wijk__isnull=True)
                | Q(werkgebied__isnull=True, wijk__isnull=False),
                name="gebiedvolging_werkgebied_of_wijk",
                violation_error_message=_("Volg een werkgebied of een wijk (één van beide)."),
            ),
            models.UniqueConstraint(
                fields=["user", "werkgebied"],
                condition=Q(werkgebied__isnull=False),
                name="gebiedvolging_een_per_werkgebied",
            ),
            models.UniqueConstraint(
                fields=["user", "wijk"],
                condition=Q(wijk__isnull=False),
                name="gebiedvolging_een_per_wijk",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.werkgebied_id or self.wijk_id}"
