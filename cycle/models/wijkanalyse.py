"""The content of the wijkanalyse: the themes of the wijkaanpak (reference data), the analysis
per theme with its evidence, and the checklist "Wat is er aan de hand in de wijk?" (seed 000,
bijlage 1) that residents and professionals answer during the analysis phase.

Answers to the checklist are not content of the product: answering does not touch the product's
version (a resident's answer must not make the wijkmanager's open page stale). Quoting an
answer in a theme is content, and goes through the product's edit guard."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ChecklistAntwoord",
    "ChecklistInvulling",
    "ChecklistVraag",
    "Respondent",
    "ThemaAnalyse",
    "Wijkthema",
]


class Wijkthema(models.Model):
    """A theme of the wijkaanpak (schoon, heel, veilig…): what analyses and agendas are
    organised by. Reference data a beheerder edits; a theme in use is never deleted, only made
    inactive."""

    naam = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    omschrijving = models.TextField(_("omschrijving"), blank=True, max_length=1000)
    actief = models.BooleanField(
        _("actief"), default=True, help_text=_("Alleen actieve thema's kunnen gekozen worden.")
    )

    class Meta:
        verbose_name = _("wijkthema")
        verbose_name_plural = _("wijkthema's")
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


class ThemaAnalyse(models.Model):
    """Part 3 of the wijkanalyse: one theme with its strengths, problems and opportunities,
    and the evidence for them (figures in words, and quoted checklist answers)."""

    wijkanalyse = models.ForeignKey(
        "cycle.Wijkanalyse",
        verbose_name=_("wijkanalyse"),
        on_delete=models.CASCADE,
        related_name="themas",
    )
    thema = models.ForeignKey(
        Wijkthema, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="analyses"
    )
    sterktes = models.TextField(_("sterktes"), blank=True, max_length=5000)
    problemen = models.TextField(_("problemen"), blank=True, max_length=5000)
    kansen = models.TextField(_("kansen"), blank=True, max_length=5000)
    onderbouwing = models.TextField(
        _("onderbouwing: cijfers en bronnen"),
        blank=True,
        max_length=5000,
        help_text=_("Cijfers uit de wijkbarometer, meldingen, gesprekken, andere bronnen."),
    )
    citaten = models.ManyToManyField(
        "cycle.ChecklistAntwoord",
        verbose_name=_("geciteerde antwoorden uit de checklist"),
        blank=True,
        related_name="themaanalyses",
    )

    class Meta:
        verbose_name = _("analyse per thema")
        verbose_name_plural = _("analyses per thema")
        ordering = ["thema__volgorde", "thema__naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijkanalyse", "thema"],
                name="cycle_thema_eenmaal_per_analyse",
                violation_error_message=_("Dit thema is in deze wijkanalyse al uitgewerkt."),
            )
        ]

    def __str__(self):
        return str(self.thema)

    @property
    def werkgebied(self):
        return self.wijkanalyse.cyclus.werkgebied

    @property
    def heeft_inhoud(self) -> bool:
        return any(v.strip() for v in (self.sterktes, self.problemen, self.kansen))


class ChecklistVraag(models.Model):
    """One of the 40 questions of the checklist, in its group (reference data from the seed)."""

    nummer = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    groep = models.CharField(_("groep"), max_length=100)
    tekst = models.CharField(_("vraag"), max_length=300)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("vraag van de checklist")
        verbose_name_plural = _("vragen van de checklist")
        ordering = ["nummer"]

    def __str__(self):
        return f"{self.nummer}. {self.tekst}"


class Respondent(models.TextChoices):
    """Who answered the checklist: a resident, or a professional in one of their roles."""

    BEWONER = "bewoner", _("bewoner")
    WIJKMANAGER = "wijkmanager", _("wijkmanager")
    ACCOUNTHOUDER = "accounthouder", _("accounthouder")
    WIJKRAADSLID = "wijkraadslid", _("wijkraadslid")


class ChecklistInvulling(models.Model):
    """The checklist of one respondent, in one role, for one cycle's wijkanalyse. Changeable
    until the checklist closes."""

    wijkanalyse = models.ForeignKey(
        "cycle.Wijkanalyse",
        verbose_name=_("wijkanalyse"),
        on_delete=models.CASCADE,
        related_name="checklists",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevuld door"),
        on_delete=models.CASCADE,
        related_name="checklists",
    )
    respondent = models.CharField(_("als"), max_length=20, choices=Respondent)
    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Incremented on every save: a form loaded before the respondent's last save in another
    # tab overwrites nothing.
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("ingevulde checklist")
        verbose_name_plural = _("ingevulde checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["wijkanalyse", "user", "respondent"],
                name="cycle_checklist_eenmaal_per_rol",
            )
        ]
        indexes = [models.Index(fields=["wijkanalyse", "respondent"], name="checklist_per_soort")]

    def __str__(self):
        return f"{self.wijkanalyse} – {self.get_respondent_display()}"


class ChecklistAntwoord(models.Model):
    """One answer to one question. Shown to the public only where it is quoted, and then
    without the respondent's name: as "een bewoner", "een accounthouder"."""

    invulling = models.ForeignKey(
        ChecklistInvulling,
        verbose_name=_("ingevulde checklist"),
        on_delete=models.CASCADE,
        related_name="antwoorden",
    )
    vraag = models.ForeignKey(
        ChecklistVraag, verbose_name=_("vraag"), on_delete=models.PROTECT, related_name="antwoorden"
    )
    tekst = models.TextField(_("antwoord"), max_length=2000)

    class Meta:
        verbose_name = _("antwoord op de checklist")
        verbose_name_plural = _("antwoorden op de checklist")
        ordering = ["vraag__nummer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invulling", "vraag"], name="cycle_checklist_een_antwoord_per_vraag"
            )
        ]

    def __str__(self):
        return self.tekst[:60]
