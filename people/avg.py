"""A user's own data (AVG/GDPR): download it, delete the account.

Apps that hold personal data of an account register what they add to the download and what
they do when the account goes (participation anonymises the meldingen, removes the follows),
from their ``AppConfig.ready()``: ``people`` imports none of them.

The download is built in the request: what one resident holds is bounded (meldingen are
rate-limited per address, notifications are a list of titles), so a Celery task and a mailed
link would add a stored copy of personal data without need. Each part is one query."""

import json
from collections.abc import Callable

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.services import audit_log

from .models import Instellingen, Notificatie, Rol, Roltoewijzing, User

_export: dict[str, Callable] = {}
_verwijder: dict[str, Callable] = {}


def register_gegevens(key: str, *, export: Callable, verwijderen: Callable) -> None:
    """``export(user) -> JSON-able``, ``verwijderen(user) -> dict`` of counts (no personal
    data: it goes into the audit entry)."""
    _export[key] = export
    _verwijder[key] = verwijderen


def gegevens(user: User) -> dict:
    try:
        instellingen = user.instellingen
    except Instellingen.DoesNotExist:
        instellingen = None
    data = {
        "account": {
            "email": user.email,
            "naam": user.naam,
            "aangemaakt_op": user.date_joined,
            "laatst_ingelogd": user.last_login,
        },
        "instellingen": {
            "frequentie": instellingen.frequentie if instellingen else None,
            "bevestigd_op": instellingen.bevestigd_op if instellingen else None,
        },
        "rollen": [
            {
                "rol": r.rol,
                "werkgebied": r.werkgebied.naam if r.werkgebied else None,
                "gebied": r.gebied.naam if r.gebied else None,
                "cluster": r.cluster.naam if r.cluster else None,
                "geldig_vanaf": r.geldig_vanaf,
                "geldig_tot": r.geldig_tot,
            }
            for r in Roltoewijzing.objects.filter(user=user).select_related(
                "werkgebied", "gebied", "cluster"
            )
        ],
        "notificaties": list(
            Notificatie.objects.filter(user=user)
            .order_by("pk")
            .values("soort", "titel", "tekst", "url", "aangemaakt_op", "gelezen_op")
        ),
    }
    for key, fn in _export.items():
        data[key] = fn(user)
    data["gemaakt_op"] = timezone.now()
    return data


def gegevens_json(user: User) -> bytes:
    return json.dumps(gegevens(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def mag_verwijderen(user) -> bool:
    """Self-service deletion is for residents' own accounts: an account that holds (or held)
    another role, or administers the portal, is closed by a beheerder (its actions are part
    of the record of the cycle)."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    return not Roltoewijzing.objects.filter(user=user).exclude(rol=Rol.BEWONER).exists()


def account_verwijderen(*, request, user: User) -> dict:
    """Delete ``user``'s account (the password was checked by the form): the apps anonymise
    or remove what they hold, the roles end with the account, the outbox forgets the address,
    the audit log keeps one entry with counts only, and the session ends."""
    from notices.models import Notice

    from .services_bewoners import VERWIJDERD

    # Asked again here, not only by the view: Django grants a superuser every permission.
    if not mag_verwijderen(user):
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        tellingen = {"rollen": Roltoewijzing.objects.filter(user=user).count()}
        for key, fn in _verwijder.items():
            tellingen[key] = fn(user)
        # Mails to them that wait are not sent; sent ones keep no address.
        Notice.objects.filter(user=user, status=Notice.Status.PENDING).update(
            status=Notice.Status.FAILED, last_error="Account verwijderd vóór verzending."
        )
        Notice.objects.filter(user=user).update(recipient=VERWIJDERD)
        Notice.objects.filter(recipient__iexact=user.email).update(recipient=VERWIJDERD)
        _anoniem_in_log(user)
        # The sign-in records (django-axes) name the address too.
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=user.email).delete()
        user.delete()
        audit_log(action="people.account_verwijderd", actor=None, target=None, data=tellingen)
    logout(request)
    return tellingen


def _anoniem_in_log(user: User) -> None:
    """The audit log is append-only, with one exception the AVG demands: the name and
    address of a person who deleted their account are erased from the entries they acted in
    (the role they acted in stays). A plain QuerySet: the log's own refuses updates."""
    from django.db.models import QuerySet

    from audit.models import AuditEntry

    QuerySet(AuditEntry).filter(actor=user).update(actor_label="", actor_naam="")
