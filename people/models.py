"""People and their scoped roles: the user model (login by e-mail), the organisations they act
for (clusters of the city, external partners) and role assignments with a scope and period."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str) -> str:
    """E-mail addresses are one identity whatever their case: stored lower-case and trimmed."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Sign-in in any case finds the one account (addresses are stored lower-case).
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    naam = models.CharField(_("naam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Mag inloggen op de beheeromgeving."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # The sign-in before the current one: "since your last visit" (see ``apps.py``).
    vorige_login = models.DateTimeField(_("vorige keer ingelogd"), null=True, blank=True)
    # Unread notifications, kept on the row every signed-in request reads anyway: the count
    # in the navigation costs no query (``people.notificaties`` keeps it exact).
    ongelezen = models.PositiveIntegerField(_("ongelezen notificaties"), default=0)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["naam", "email"]
        constraints = [
            # Together with unique=True this makes addresses unique regardless of case.
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="people_email_kleine_letters",
                violation_error_message=_("Een e-mailadres wordt in kleine letters opgeslagen."),
            ),
        ]

    def __str__(self):
        return self.naam or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return self.naam

    def get_short_name(self):
        return self.naam.split(" ")[0] if self.naam else self.email


class Cluster(models.Model):
    """A cluster (department) of the city, such as Stadsbeheer."""

    naam = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Partner(models.Model):
    """An external partner in the wijk: woningcorporatie, politie, welzijn, ..."""

    class Soort(models.TextChoices):
        WONINGCORPORATIE = "woningcorporatie", _("woningcorporatie")
        POLITIE = "politie", _("politie")
        WELZIJN = "welzijn", _("welzijn")
        ONDERWIJS = "onderwijs", _("onderwijs")
        OVERIG = "overig", _("overig")

    naam = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    soort = models.CharField(_("soort"), max_length=30, choices=Soort, default=Soort.OVERIG)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Rol(models.TextChoices):
    BEWONER = "bewoner", _("bewoner")
    WIJKMANAGER = "wijkmanager", _("wijkmanager")
    ACCOUNTHOUDER = "accounthouder", _("accounthouder")
    WIJKRAADSLID = "wijkraadslid", _("wijkraadslid")
    RAAD = "raad", _("raad")
    BEHEERDER = "beheerder", _("beheerder")


_GEEN_WERKGEBIED = Q(werkgebied__isnull=True)
_GEEN_GEBIED = Q(gebied__isnull=True)
_GEEN_CLUSTER = Q(cluster__isnull=True)

# Each role has exactly the scope it needs, nothing more: a missing scope must never read as
# "city-wide", and a stray one must never be silently ignored. (rol, condition, message)
ROL_SCOPES = [
    (
        Rol.WIJKMANAGER,
        _GEEN_CLUSTER
        & (
            (Q(werkgebied__isnull=False) & _GEEN_GEBIED)
            | (_GEEN_WERKGEBIED & Q(gebied__isnull=False))
        ),
        _("Een wijkmanager heeft een werkgebied of een gebied (niet allebei) en geen cluster."),
    ),
    (
        Rol.ACCOUNTHOUDER,
        Q(cluster__isnull=False) & Q(gebied__isnull=False) & _GEEN_WERKGEBIED,
        _("Een accounthouder heeft een cluster en een gebied, en geen werkgebied."),
    ),
    (
        Rol.WIJKRAADSLID,
        Q(werkgebied__isnull=False) & _GEEN_GEBIED & _GEEN_CLUSTER,
        _("Een wijkraadslid hoort bij één werkgebied, zonder gebied of cluster."),
    ),
    (
        Rol.BEWONER,
        Q(werkgebied__isnull=False) & _GEEN_GEBIED & _GEEN_CLUSTER,
        _("Een bewoner hoort bij één werkgebied, zonder gebied of cluster."),
    ),
    (
        Rol.RAAD,
        _GEEN_WERKGEBIED & _GEEN_GEBIED & _GEEN_CLUSTER,
        _("De rol raad geldt voor de hele stad: kies geen werkgebied, gebied of cluster."),
    ),
    (
        Rol.BEHEERDER,
        _GEEN_WERKGEBIED & _GEEN_GEBIED & _GEEN_CLUSTER,
        _("De rol beheerder geldt voor de hele stad: kies geen werkgebied, gebied of cluster."),
    ),
]


class RoltoewijzingQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(geldig_vanaf__lte=on).filter(
            Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=on)
        )


class Roltoewijzing(models.Model):
    """One role of one user, limited to a scope (werkgebied, gebied, cluster) and a period."""

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="rollen"
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol)
    werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roltoewijzingen",
    )
    gebied = models.ForeignKey(
        "places.Gebied",
        verbose_name=_("gebied"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roltoewijzingen",
        help_text=_("Geldt voor alle werkgebieden in dit gebied."),
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roltoewijzingen",
    )
    geldig_vanaf = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    geldig_tot = models.DateField(_("geldig tot en met"), null=True, blank=True)

    objects = RoltoewijzingQuerySet.as_manager()

    class Meta:
        verbose_name = _("roltoewijzing")
        verbose_name_plural = _("roltoewijzingen")
        ordering = ["rol", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=models.F("geldig_vanaf")),
                name="people_rol_periode_geldig",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
            *[
                models.CheckConstraint(
                    condition=~Q(rol=rol) | scope,
                    name=f"people_scope_{rol}",
                    violation_error_message=message,
                )
                for rol, scope, message in ROL_SCOPES
            ],
        ]

    def __str__(self):
        scope = self.werkgebied or self.gebied or self.cluster or _("heel Rotterdam")
        return f"{self.user} – {self.get_rol_display()} ({scope})"


class Frequentie(models.TextChoices):
    """How a resident wants their notifications by e-mail (the portal always shows them)."""

    METEEN = "meteen", _("meteen, per bericht")
    WEKELIJKS = "wekelijks", _("één keer per week, in een overzicht")
    NOOIT = "nooit", _("niet per e-mail, alleen in het portaal")


class Instellingen(models.Model):
    """A resident's own settings, and the state of their sign-up: the werkgebied they chose
    waits here until they confirm their address (then it becomes their bewoner role)."""

    user = models.OneToOneField(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="instellingen",
    )
    frequentie = models.CharField(
        _("e-mail over nieuwe berichten"),
        max_length=10,
        choices=Frequentie,
        default=Frequentie.METEEN,
    )
    # The sign-up: chosen werkgebied, and when the address was confirmed (None: not yet).
    aanmelding_werkgebied = models.ForeignKey(
        "places.Werkgebied",
        verbose_name=_("werkgebied bij aanmelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    aangemeld_op = models.DateTimeField(_("aangemeld op"), null=True, blank=True)
    bevestigd_op = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    # The ISO week ("2026-W49") of the last weekly overview: never two for one week.
    laatste_overzicht = models.CharField(_("laatste weekoverzicht"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("instellingen")
        verbose_name_plural = _("instellingen")

    def __str__(self):
        return str(self.user_id)

    @property
    def wacht_op_bevestiging(self) -> bool:
        return self.aangemeld_op is not None and self.bevestigd_op is None


class Notificatie(models.Model):
    """One message to one user in the portal ("uw melding is afgehandeld", "nieuws over een
    initiatief dat u volgt"). Mailed at once, in the weekly overview or not at all, as the
    user chose (``mail``); ``notice`` is the outbox row that carried it."""

    class Mail(models.TextChoices):
        GEEN = "geen", _("niet per e-mail")
        WACHT = "wacht", _("wacht op het weekoverzicht")
        VERSTUURD = "verstuurd", _("per e-mail verstuurd")

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="notificaties"
    )
    # Namespaced like audit actions: "participation.melding_status".
    soort = models.CharField(_("soort"), max_length=100)
    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True)
    # A path inside the portal ("/meldingen/ABC/"), never an outside address.
    url = models.CharField(_("link"), max_length=500, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    gelezen_op = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=Mail, default=Mail.GEEN)
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("bericht in de outbox"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        ordering = ["-aangemaakt_op", "-pk"]
        indexes = [
            models.Index(fields=["user", "-aangemaakt_op"], name="notificatie_per_user"),
            # The weekly overview asks for what waits, per user.
            models.Index(
                fields=["user", "id"],
                name="notificatie_wacht",
                condition=Q(mail="wacht"),
            ),
        ]

    def __str__(self):
        return self.titel
