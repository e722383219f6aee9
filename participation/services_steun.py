"""Supporting an agendapunt or an initiative, and withdrawing that support.

Idempotent both ways: a second "Ik steun dit" (a double submit, two tabs, two requests at
once) leaves one support and says so calmly; withdrawing what is not there does nothing. The
audit entry names the item only, never the resident (supports are counted, not shown by
name), and bumps the page cache's public version, so every cached page with a count follows."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log

from .models_steun import Steunbetuiging


def _veld(onderwerp) -> str:
    from cycle.models import Agendapunt, Initiatief

    if isinstance(onderwerp, Agendapunt):
        return "agendapunt"
    if isinstance(onderwerp, Initiatief):
        return "initiatief"
    raise TypeError(onderwerp)


def mag_steunen(user, onderwerp) -> bool:
    return user.is_authenticated and user.has_perm("participation.steun_geven", onderwerp)


def steunen(*, user, onderwerp) -> bool:
    """``user`` supports ``onderwerp`` (an ``Agendapunt`` or an ``Initiatief``). True when a
    support was added, False when it was already there."""
    veld = _veld(onderwerp)
    if not mag_steunen(user, onderwerp):
        raise PermissionDenied
    with transaction.atomic():
        if Steunbetuiging.objects.filter(user=user, **{veld: onderwerp}).exists():
            return False
        try:
            # A savepoint: two requests at once meet at the unique constraint, and the loser
            # finds the winner's row instead of a 500.
            with transaction.atomic():
                Steunbetuiging.objects.create(user=user, **{veld: onderwerp})
        except IntegrityError:
            return False
        audit_log(
            action=f"participation.{veld}_gesteund",
            actor=None,
            target=onderwerp,
            data={veld: onderwerp.pk},
        )
    return True


def steun_intrekken(*, user, onderwerp) -> bool:
    """Withdraw ``user``'s support. True when one was removed. No permission is asked: a
    resident whose role ended may still take back what they gave."""
    veld = _veld(onderwerp)
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        weg = Steunbetuiging.objects.filter(user=user, **{veld: onderwerp}).delete()[0]
        if not weg:
            return False
        audit_log(
            action=f"participation.{veld}_steun_ingetrokken",
            actor=None,
            target=onderwerp,
            data={veld: onderwerp.pk},
        )
    return True


def melding_na_steunen(gelukt: bool) -> str:
    if gelukt:
        return _("Dank u wel: uw steun is geteld.")
    return _("U steunt dit al; uw steun is één keer geteld.")


def melding_na_intrekken(gelukt: bool) -> str:
    if gelukt:
        return _("Uw steun is ingetrokken.")
    return _("U steunde dit niet (meer); er is niets veranderd.")
