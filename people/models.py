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
