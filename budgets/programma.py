"""The wijkprogramma's bestedingsvoorstel: the condition on adoption (the actions' requests
from the wijkbudget fit in what the programma part has available) and the reservations that
adoption makes, inside the adoption's own transaction (``cycle.signals.product_overgegaan``):
if they cannot be made, the step is refused and rolled back whole.

A werkgebied without a budget for the programme's year has no wijkbudget kept in the portal:
its programme page says so, adoption is not blocked and nothing is reserved. The moment a
beheerder sets that year's budget, the check binds (``programma_reserveren`` then reserves
for a programme adopted before, e.g. in the demo)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .bedragen import euro
from .models import Boeking, Bron
from .selectors import bestedingsvoorstel
from .services import _lock_deel, reserveren, vrijgeven

NUL = Decimal("0.00")


def _is_programma(product) -> bool:
    return getattr(product, "SOORT", "") == "wijkprogramma"


def binnen_budget(product, transition: str) -> list[str]:
    """Registered with ``cycle.voorwaarden``: what stands in the way of adopting."""
    if transition != "vaststellen" or not _is_programma(product):
        return []
    voorstel = bestedingsvoorstel(product)
    if not voorstel.acties:
        return []
    if voorstel.deel is None:
        # Money asked from a wijkbudget that does not exist would be promised and never
        # reserved: the jaarrekening could not account for it.
        return [
            _(
                "de acties vragen %(nodig)s uit het wijkbudget, maar voor %(jaar)s is nog geen "
                "wijkbudget vastgesteld (dat doet de beheerder)"
            )
            % {"nodig": euro(voorstel.totaal), "jaar": product.cyclus.jaar}
        ]
    if voorstel.tekort > 0:
        return [
            _(
                "de acties vragen nog %(nodig)s uit het wijkbudget, maar er is maar "
                "%(beschikbaar)s beschikbaar (%(tekort)s te weinig)"
            )
            % {
                "nodig": euro(voorstel.nodig),
                "beschikbaar": euro(voorstel.beschikbaar),
                "tekort": euro(voorstel.tekort),
            }
        ]
    return []


def reserveer_bij_vaststelling(*, product, user, target, **kwargs) -> None:
    """The ``product_overgegaan`` receiver: adopting the programme reserves each action's
    request (what is not reserved for it yet; a lowered request after a correction releases
    the difference). Raises ``TransitionError`` when it cannot: the adoption rolls back."""
    if not _is_programma(product) or target != "vastgesteld":
        return
    programma_reserveren(product, user=user)


def programma_reserveren(product, *, user) -> None:
    """Reserve what an adopted programme's actions ask (idempotent: only what is missing)."""

    voorstel = bestedingsvoorstel(product)
    if voorstel.deel is None:
        return
    with transaction.atomic():
        # One lock for all, then read again: nobody books on the part between our reading
        # and our bookings.
        _lock_deel(voorstel.deel.pk)
        _reserveer(product, bestedingsvoorstel(product), user=user)


def _reserveer(product, voorstel, *, user) -> None:
    from cycle.services import TransitionError

    reden = _("Bestedingsvoorstel, vastgesteld met het wijkprogramma %(jaar)s") % {
        "jaar": product.cyclus.jaar
    }
    try:
        for actie, gevraagd, gereserveerd in voorstel.acties:
            if gevraagd > gereserveerd:
                reserveren(
                    voorstel.deel,
                    gevraagd - gereserveerd,
                    user=user,
                    reden=reden,
                    bron=Bron.INITIATIEF,
                    bron_id=actie.pk,
                    omschrijving=actie.titel,
                    initiatief=actie,
                )
            elif gevraagd < gereserveerd:
                _vrijgeven_tot(voorstel.deel, actie, gereserveerd - gevraagd, user=user)
    except ValidationError as error:
        raise TransitionError(
            _("Het bestedingsvoorstel past niet meer in het wijkbudget: %(fout)s")
            % {"fout": " ".join(error.messages)}
        ) from None


def _vrijgeven_tot(deel, actie, bedrag: Decimal, *, user) -> None:
    from .services import open_bedrag

    reden = _("Lager bedrag in het opnieuw vastgestelde wijkprogramma")
    for reservering in Boeking.objects.filter(
        deel=deel, initiatief=actie, soort="reservering"
    ).order_by("-pk"):
        if bedrag <= 0:
            return
        open_ = open_bedrag(reservering)
        if open_ > 0:
            deel_bedrag = min(open_, bedrag)
            vrijgeven(reservering, deel_bedrag, user=user, reden=reden)
            bedrag -= deel_bedrag
