"""The one place where bewonersinitiatieven touch the ledger. Every booking is made by the
ledger's own services (``budgets.services``); this module only calls them, inside the
caller's transaction, so that a decision and its booking commit (or roll back) together.

An initiative is charged to the bewonersinitiatieven part of its werkgebied's budget for the
year of its activity."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import services as ledger
from .models import Bron, Deelsoort


class LedgerWeigert(Exception):
    """The ledger refused the booking; ``message`` is its Dutch reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _deel(initiatief):
    return ledger.deel_van(
        initiatief.werkgebied, initiatief.activiteit_datum.year, Deelsoort.BEWONERSINITIATIEVEN
    )


def _fout(exc: ValidationError) -> LedgerWeigert:
    if hasattr(exc, "error_dict"):
        berichten = [m for fouten in exc.message_dict.values() for m in fouten]
    else:
        berichten = exc.messages
    return LedgerWeigert(" ".join(berichten))


def beschikbaar(*, initiatief) -> Decimal | None:
    """What is left in the part (None: no budget for bewonersinitiatieven that year)."""
    deel = _deel(initiatief)
    return None if deel is None else ledger.beschikbaar(deel)


def reserveren(*, initiatief, bedrag: Decimal, user):
    deel = _deel(initiatief)
    if deel is None:
        raise LedgerWeigert(
            _(
                "Er is voor %(jaar)s geen budget voor bewonersinitiatieven vastgesteld in "
                "%(werkgebied)s. Er is niets toegekend."
            )
            % {"jaar": initiatief.activiteit_datum.year, "werkgebied": initiatief.werkgebied}
        )
    try:
        return ledger.reserveren(
            deel,
            bedrag,
            user=user,
            reden=_("Bewonersinitiatief toegekend"),
            bron=Bron.BEWONERSINITIATIEF,
            bron_id=initiatief.pk,
            omschrijving=initiatief.titel,
        )
    except ValidationError as exc:
        raise _fout(exc) from exc


def betalen(*, initiatief, bedrag: Decimal, user):
    try:
        return ledger.betalen(
            initiatief.reservering, bedrag, user=user, reden=_("Bewonersinitiatief uitbetaald")
        )
    except ValidationError as exc:
        raise _fout(exc) from exc


def vrijgeven(*, initiatief, user):
    """Release what the reservation still holds (reserved and not paid), if anything."""
    if ledger.open_bedrag(initiatief.reservering) <= 0:
        return None
    try:
        return ledger.vrijgeven(
            initiatief.reservering, user=user, reden=_("Restant na verantwoording vrijgegeven")
        )
    except ValidationError as exc:
        raise _fout(exc) from exc
