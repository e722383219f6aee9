"""The wijkbudget and its ledger.

- ``Budget``: the money of one werkgebied for one year, set by a beheerder.
- ``Budgetdeel``: one part of it (programme actions, bewonersinitiatieven, knelpunten) with its
  amount and two running balances, ``gereserveerd`` (committed: reserved minus released, paid
  money included) and ``betaald``. The database holds ``0 <= betaald <= gereserveerd <=
  bedrag`` on every row, so no code path can commit or pay more than the part holds.
- ``Boeking``: one immutable ledger row on a part. Each row carries its own effect on the two
  balances (``delta_gereserveerd``, ``delta_betaald``); the balances on the part are the sums
  of those, kept up to date in the same transaction as the booking (``budgets.services``).
  A correction is a new row with the negated effect of the row it corrects, never an edit:
  the rows cannot be changed or deleted (``save``/``delete`` refuse, and a database trigger
  refuses too, see the migration).

What a booking is for: the nullable foreign keys for what ``cycle`` and ``participation`` own
today (an initiatief of the programme, a knelpunt, a melding), plus ``bron`` (what kind of
thing) with ``bron_id`` (its primary key) for sources added later, such as the
bewonersinitiatieven, whose app points at its reservation itself; ``omschrijving`` keeps a
readable label. Foreign keys because they keep the ledger joinable and the reference exact;
``SET_NULL`` (with the label kept) because the financial record must survive the deletion of
what it paid for (a resident's melding removed under the AVG). Every row after a reservation
copies the reservation's references, so per-action totals are one ``GROUP BY``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BEDRAG = {"max_digits": 12, "decimal_places": 2}


class Deelsoort(models.TextChoices):
    PROGRAMMA = "programma", _("acties van het wijkprogramma")
    BEWONERSINITIATIEVEN = "bewonersinitiatieven", _("bewonersinitiatieven")
    KNELPUNTEN = "knelpunten", _("knelpuntenbudget")


class Boekingsoort(models.TextChoices):
    RESERVERING = "reservering", _("reservering")
    VRIJGAVE = "vrijgave", _("vrijgave")
    BETALING = "betaling", _("betaling")
    CORRECTIE = "correctie", _("correctie")


class Bron(models.TextChoices):
    INITIATIEF = "initiatief", _("actie van het wijkprogramma")
    KNELPUNT = "knelpunt", _("knelpunt")
    MELDING = "melding", _("melding")
    BEWONERSINITIATIEF = "bewonersinitiatief", _("bewonersinitiatief")
    OVERIG = "overig", _("overig")


class Budget(models.Model):
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        on_delete=models.PROTECT,
        related_name="budgetten",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    versie = models.PositiveIntegerField(default=1)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        ordering = ["werkgebied", "-jaar"]
        constraints = [
            models.UniqueConstraint(fields=["werkgebied", "jaar"], name="budgets_budget_uniek"),
            models.CheckConstraint(
                condition=Q(jaar__gte=2000) & Q(jaar__lte=2100), name="budgets_budget_jaar"
            ),
        ]

    def __str__(self):
        return f"{self.werkgebied} {self.jaar}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("budgets:publiek", args=[self.werkgebied.slug, self.jaar])


class Budgetdeel(models.Model):
    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="delen"
    )
    soort = models.CharField(_("deel"), max_length=30, choices=Deelsoort)
    bedrag = models.DecimalField(_("bedrag (euro)"), default=0, **BEDRAG)
    gereserveerd = models.DecimalField(_("gereserveerd"), default=0, **BEDRAG)
    betaald = models.DecimalField(_("betaald"), default=0, **BEDRAG)

    class Meta:
        verbose_name = _("budgetdeel")
        verbose_name_plural = _("budgetdelen")
        ordering = ["budget", "soort"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "soort"], name="budgets_deel_uniek"),
            models.CheckConstraint(condition=Q(betaald__gte=0), name="budgets_deel_betaald"),
            models.CheckConstraint(
                condition=Q(gereserveerd__gte=F("betaald")),
                name="budgets_deel_niet_meer_betaald_dan_gereserveerd",
            ),
            models.CheckConstraint(
                condition=Q(gereserveerd__lte=F("bedrag")),
                name="budgets_deel_niet_meer_gereserveerd_dan_budget",
            ),
        ]

    def __str__(self):
        return f"{self.budget} – {self.get_soort_display()}"

    @property
    def werkgebied(self):
        return self.budget.werkgebied

    @property
    def beschikbaar(self):
        return self.bedrag - self.gereserveerd

    @property
    def open(self):
        """Reserved and not yet paid."""
        return self.gereserveerd - self.betaald


class BoekingQuerySet(models.QuerySet):
    def delete(self):
        raise TypeError("Boekingen worden nooit verwijderd; boek een correctie.")

    def update(self, **kwargs):
        raise TypeError("Boekingen worden nooit gewijzigd; boek een correctie.")


class Boeking(models.Model):
    deel = models.ForeignKey(
        Budgetdeel, verbose_name=_("budgetdeel"), on_delete=models.PROTECT, related_name="boekingen"
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Boekingsoort)
    bedrag = models.DecimalField(_("bedrag (euro)"), **BEDRAG)
    delta_gereserveerd = models.DecimalField(**BEDRAG)
    delta_betaald = models.DecimalField(**BEDRAG)
    # The reservation a release, payment or correction belongs to: None for a reservation
    # itself; a correction carries the reservation of the row it corrects (for a corrected
    # reservation: that reservation). A reservation's group is itself plus its ``vervolg``.
    reservering = models.ForeignKey(
        "self",
        verbose_name=_("reservering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vervolg",
    )
    # One correction per booking at most: the unique one-to-one holds that.
    gecorrigeerd = models.OneToOneField(
        "self",
        verbose_name=_("correctie van"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correctie",
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geboekt door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    door_naam = models.CharField(_("geboekt door"), max_length=150, blank=True)
    reden = models.CharField(_("reden"), max_length=500)
    geboekt_op = models.DateTimeField(_("geboekt op"), default=timezone.now, db_index=True)
    bron = models.CharField(_("waarvoor"), max_length=30, choices=Bron, default=Bron.OVERIG)
    bron_id = models.PositiveBigIntegerField(null=True, blank=True)
    omschrijving = models.CharField(_("omschrijving"), max_length=300, blank=True)
    initiatief = models.ForeignKey(
        "cycle.Initiatief",
        verbose_name=_("initiatief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="boekingen",
    )
    knelpunt = models.ForeignKey(
        "cycle.Knelpunt",
        verbose_name=_("knelpunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="boekingen",
    )
    melding = models.ForeignKey(
        "participation.Melding",
        verbose_name=_("melding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="boekingen",
    )

    objects = BoekingQuerySet.as_manager()

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        ordering = ["geboekt_op", "pk"]
        indexes = [
            models.Index(fields=["deel", "geboekt_op"], name="budgets_boeking_deel_op"),
            models.Index(fields=["bron", "bron_id"], name="budgets_boeking_bron"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="budgets_boeking_positief"),
            models.CheckConstraint(
                condition=(
                    Q(
                        soort="reservering",
                        reservering__isnull=True,
                        gecorrigeerd__isnull=True,
                        delta_gereserveerd=F("bedrag"),
                        delta_betaald=0,
                    )
                    | Q(
                        soort="vrijgave",
                        reservering__isnull=False,
                        gecorrigeerd__isnull=True,
                        delta_gereserveerd=-F("bedrag"),
                        delta_betaald=0,
                    )
                    | Q(
                        soort="betaling",
                        reservering__isnull=False,
                        gecorrigeerd__isnull=True,
                        delta_gereserveerd=0,
                        delta_betaald=F("bedrag"),
                    )
                    | Q(soort="correctie", gecorrigeerd__isnull=False)
                ),
                name="budgets_boeking_soort_effect",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} € {self.bedrag}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Boekingen worden nooit gewijzigd; boek een correctie.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Boekingen worden nooit verwijderd; boek een correctie.")

    @property
    def werkgebied(self):
        return self.deel.budget.werkgebied


# The bewonersinitiatieven (issue 12) live in their own module.
from .models_bi import *  # noqa: E402, F403
