"""Writes of the api app: making and revoking a user's API keys.

Each runs in one transaction with its audit entry. The key itself is returned once, to be shown
once; only its digest is stored and the audit entry names the key by its prefix, never by its
value."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from people.models import Rol
from people.roles import acting_role, active_assignments

from .models import PREFIX_LENGTH, ApiSleutel, digest

# A user holds at most this many keys that are not revoked: one per system is the idea, and a
# limit keeps a leaked session from minting keys without end.
MAX_ACTIEVE_SLEUTELS = 10
NAAM_MAX = 100


def _rol(user) -> str:
    """The role a key is made or revoked in: a key belongs to no werkgebied, so the first
    role held anywhere (in the order the public history names roles)."""
    rollen = {a.rol for a in active_assignments(user)}
    for rol in (Rol.WIJKMANAGER, Rol.WIJKRAADSLID, Rol.ACCOUNTHOUDER, Rol.BEHEERDER, Rol.RAAD):
        if rol in rollen:
            return rol.value
    return acting_role(user)


def _naam(naam: str) -> str:
    naam = " ".join((naam or "").split())
    if not naam:
        raise ValidationError(
            {"naam": _("Geef de sleutel een naam, zoals het systeem dat hem gebruikt.")},
            code="required",
        )
    if len(naam) > NAAM_MAX:
        raise ValidationError(
            {
                "naam": _("Maximaal %(limit)d tekens (nu %(lengte)d).")
                % {"limit": NAAM_MAX, "lengte": len(naam)}
            },
            code="max_length",
        )
    return naam


def api_sleutel_maken(*, user, naam: str) -> tuple[ApiSleutel, str]:
    """A new key for ``user`` named ``naam``: the stored row and the key itself (shown once)."""
    naam = _naam(naam)
    with transaction.atomic():
        # One user's key creations one after the other, so the limit holds under races.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if not user.has_perm("api.create_sleutel"):
            raise PermissionDenied
        actief = ApiSleutel.objects.filter(user=user, ingetrokken__isnull=True)
        if actief.count() >= MAX_ACTIEVE_SLEUTELS:
            raise ValidationError(
                {
                    "naam": _(
                        "U heeft al %(max)d actieve API-sleutels, het maximum. Trek eerst een "
                        "sleutel in die u niet meer gebruikt."
                    )
                    % {"max": MAX_ACTIEVE_SLEUTELS}
                },
                code="te_veel",
            )
        if actief.filter(naam__iexact=naam).exists():
            raise ValidationError(
                {
                    "naam": _(
                        "U heeft al een actieve sleutel met deze naam. Kies een andere naam, "
                        "zodat u ze uit elkaar houdt."
                    )
                },
                code="unique",
            )
        key = ApiSleutel.nieuwe_sleutel()
        sleutel = ApiSleutel.objects.create(
            user=user, naam=naam, prefix=key[:PREFIX_LENGTH], sleutel_hash=digest(key)
        )
        audit_log(
            action="api.sleutel_gemaakt",
            actor=user,
            actor_rol=_rol(user),
            target=sleutel,
            data={"sleutel": sleutel.pk, "naam": naam, "prefix": sleutel.prefix},
        )
    return sleutel, key


def api_sleutel_intrekken(*, sleutel: ApiSleutel, user) -> ApiSleutel:
    """Revoke ``sleutel`` (its own user only). Revoking a revoked key again changes nothing."""
    with transaction.atomic():
        locked = ApiSleutel.objects.select_for_update().filter(pk=sleutel.pk).first()
        if locked is None or not user.has_perm("api.revoke_sleutel", locked):
            raise PermissionDenied
        if locked.ingetrokken is not None:
            return locked
        locked.ingetrokken = timezone.now()
        locked.save(update_fields=["ingetrokken"])
        audit_log(
            action="api.sleutel_ingetrokken",
            actor=user,
            actor_rol=_rol(user),
            target=locked,
            data={"sleutel": locked.pk, "naam": locked.naam, "prefix": locked.prefix},
        )
    return locked
