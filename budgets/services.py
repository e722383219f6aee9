"""Writes of the wijkbudget and its ledger. The stable API for the other apps:

``budget_vaststellen(*, werkgebied, jaar, bedragen, user, reden="", expected_versie=None)``
    Create or change the budget of a werkgebied for a year (a beheerder's act). ``bedragen``
    maps a ``Deelsoort`` value to an amount (Decimal, int or text such as ``"1.234,56"``). A
    part cannot go below what is already reserved on it. Returns the ``Budget``.

``reserveren(deel, bedrag, *, user, reden, bron="overig", bron_id=None, omschrijving="",
initiatief=None, knelpunt=None, melding=None) -> Boeking``
    Commit ``bedrag`` of ``deel`` (a ``Budgetdeel``) to something. Refused (``ValidationError``
    on ``bedrag``) beyond ``beschikbaar(deel)``. ``bron``/``bron_id`` name what it is for when
    no foreign key fits (e.g. ``bron="bewonersinitiatief", bron_id=aanvraag.pk``).

``vrijgeven(reservering, bedrag=None, *, user, reden) -> Boeking``
    Release (part of) what a reservation still holds open; ``None`` releases all of it.

``betalen(reservering, bedrag, *, user, reden) -> Boeking``
    Pay (part of) what a reservation still holds open. A payment beyond it, or on a
    reservation that is fully paid or released, is refused.

``corrigeren(boeking, *, user, reden) -> Boeking``
    Reverse one booking with a new ``correctie`` row (the negated effect); a booking is
    corrected at most once, and not when the reversal would leave its reservation with more
    paid than reserved (correct the payment first) or the part over budget.

``beschikbaar(deel) -> Decimal``: what can still be reserved (read fresh from the database).
``open_bedrag(reservering) -> Decimal``: what a reservation holds, reserved and not paid.
``deel_van(werkgebied, jaar, soort) -> Budgetdeel | None``.

All booking services lock the part's row (``select_for_update``) and check availability
inside that lock, then update the part's running balances in the same transaction as the new
row; the database's check constraints on the part (``betaald <= gereserveerd <= bedrag``) hold
even against code that skips these services. Every write is audited (``budgets.*``). They do
not check permissions: the calling view or service asks the rules (``budgets/rules.py``) for
the act it performs (a beheerder setting a budget, a wijkmanager booking a knelpunt, the
wijkraad awarding a bewonersinitiatief). They raise ``ValidationError`` with a Dutch message on
the field ``bedrag`` (or ``reden``) and book nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import audit_log
from people.roles import acting_role

from .bedragen import euro, parse_bedrag
from .models import Boeking, Boekingsoort, Bron, Budget, Budgetdeel, Deelsoort

NUL = Decimal("0.00")

__all__ = [
    "beschikbaar",
    "betalen",
    "budget_vaststellen",
    "corrigeren",
    "deel_van",
    "open_bedrag",
    "reserveren",
    "vrijgeven",
]


def _reden(reden) -> str:
    reden = " ".join(str(reden or "").split())
    if not reden:
        raise ValidationError({"reden": _("Geef een reden voor deze boeking.")}, code="leeg")
    if len(reden) > 500:
        raise ValidationError(
            {"reden": _("Houd de reden kort: hoogstens 500 tekens.")}, code="te_lang"
        )
    return reden


def _bedrag(bedrag) -> Decimal:
    try:
        return parse_bedrag(bedrag)
    except ValidationError as error:
        raise ValidationError({"bedrag": error.messages}, code=error.code) from None


def _naam(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return (user.get_full_name() or user.get_username())[:150]


def _audit(boeking: Boeking, *, user, deel: Budgetdeel):
    audit_log(
        action=f"budgets.{boeking.soort}",
        actor=user,
        actor_rol=acting_role(user, deel.budget.werkgebied),
        target=boeking,
        data={
            "deel": deel.pk,
            "soort": boeking.soort,
            "bedrag": str(boeking.bedrag),
            "reden": boeking.reden,
            "reservering": boeking.reservering_id,
            "gecorrigeerd": boeking.gecorrigeerd_id,
            "bron": boeking.bron,
            "bron_id": boeking.bron_id,
        },
    )


def _lock_deel(deel_id: int) -> Budgetdeel:
    return (
        Budgetdeel.objects.select_for_update().select_related("budget__werkgebied").get(pk=deel_id)
    )


def _groep(reservering_id: int) -> tuple[Decimal, Decimal]:
    """(reserved, paid) of one reservation's group. Call with the part's row locked."""
    totaal = Boeking.objects.filter(pk=reservering_id).aggregate(
        g=Sum("delta_gereserveerd"), b=Sum("delta_betaald")
    )
    vervolg = Boeking.objects.filter(reservering_id=reservering_id).aggregate(
        g=Sum("delta_gereserveerd"), b=Sum("delta_betaald")
    )
    return (
        (totaal["g"] or NUL) + (vervolg["g"] or NUL),
        (totaal["b"] or NUL) + (vervolg["b"] or NUL),
    )


def _boek(deel: Budgetdeel, *, user, **velden) -> Boeking:
    boeking = Boeking(deel=deel, door=user if user and user.is_authenticated else None, **velden)
    boeking.door_naam = _naam(user)
    boeking.save()
    deel.gereserveerd += boeking.delta_gereserveerd
    deel.betaald += boeking.delta_betaald
    deel.save(update_fields=["gereserveerd", "betaald"])
    _audit(boeking, user=user, deel=deel)
    return boeking


# ----------------------------------------------------------------------------- reads


def beschikbaar(deel: Budgetdeel) -> Decimal:
    """What can still be reserved on ``deel``, read fresh from the database."""
    bedrag, gereserveerd = Budgetdeel.objects.values_list("bedrag", "gereserveerd").get(pk=deel.pk)
    return bedrag - gereserveerd


def open_bedrag(reservering: Boeking) -> Decimal:
    gereserveerd, betaald = _groep(reservering.pk)
    return gereserveerd - betaald


def deel_van(werkgebied, jaar: int, soort: str) -> Budgetdeel | None:
    return (
        Budgetdeel.objects.select_related("budget__werkgebied")
        .filter(budget__werkgebied=werkgebied, budget__jaar=jaar, soort=soort)
        .first()
    )


# ---------------------------------------------------------------------------- writes


def budget_vaststellen(
    *, werkgebied, jaar: int, bedragen: dict, user, reden: str = "", expected_versie=None
) -> Budget:
    fouten = {}
    schoon = {}
    for soort in Deelsoort.values:
        if soort not in bedragen:
            continue
        try:
            schoon[soort] = parse_bedrag(bedragen[soort], nul_toegestaan=True)
        except ValidationError as error:
            fouten[soort] = error.messages
    onbekend = set(bedragen) - set(Deelsoort.values)
    if onbekend:
        raise TypeError(f"unknown budget parts {sorted(onbekend)!r}")
    if fouten:
        raise ValidationError(fouten)
    with transaction.atomic():
        budget, nieuw = Budget.objects.select_for_update().get_or_create(
            werkgebied=werkgebied, jaar=jaar
        )
        if not nieuw and expected_versie is not None and budget.versie != expected_versie:
            raise ValidationError(
                _(
                    "Dit budget is gewijzigd nadat u de pagina opende. Er is niets opgeslagen; "
                    "lees het budget opnieuw en probeer het dan nog eens."
                ),
                code="stale",
            )
        delen = {d.soort: d for d in Budgetdeel.objects.select_for_update().filter(budget=budget)}
        oud = {soort: str(d.bedrag) for soort, d in delen.items()}
        for soort, bedrag in schoon.items():
            deel = delen.get(soort) or Budgetdeel(budget=budget, soort=soort)
            if bedrag < deel.gereserveerd:
                fouten[soort] = [
                    _(
                        "Er is al %(gereserveerd)s van dit deel gereserveerd; het budget kan "
                        "niet lager zijn."
                    )
                    % {"gereserveerd": euro(deel.gereserveerd)}
                ]
                continue
            deel.bedrag = bedrag
            deel.save()
        if fouten:
            transaction.set_rollback(True)
            raise ValidationError(fouten)
        if not nieuw:
            budget.versie += 1
            budget.save(update_fields=["versie", "gewijzigd_op"])
        audit_log(
            action="budgets.budget_vastgesteld",
            actor=user,
            actor_rol=acting_role(user, werkgebied),
            target=budget,
            data={
                "jaar": jaar,
                "oud": oud,
                "nieuw": {s: str(b) for s, b in schoon.items()},
                "reden": " ".join(str(reden or "").split())[:500],
            },
        )
    return budget


def reserveren(
    deel: Budgetdeel,
    bedrag,
    *,
    user,
    reden: str,
    bron: str = Bron.OVERIG,
    bron_id: int | None = None,
    omschrijving: str = "",
    initiatief=None,
    knelpunt=None,
    melding=None,
) -> Boeking:
    bedrag = _bedrag(bedrag)
    reden = _reden(reden)
    if bron not in Bron.values:
        raise TypeError(f"unknown bron {bron!r}")
    with transaction.atomic():
        deel = _lock_deel(deel.pk)
        if bedrag > deel.beschikbaar:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Er is nog %(beschikbaar)s beschikbaar in dit budget; %(bedrag)s "
                        "past daar niet in. Er is niets geboekt."
                    )
                    % {"beschikbaar": euro(deel.beschikbaar), "bedrag": euro(bedrag)}
                },
                code="te_weinig",
            )
        return _boek(
            deel,
            user=user,
            soort=Boekingsoort.RESERVERING,
            bedrag=bedrag,
            delta_gereserveerd=bedrag,
            delta_betaald=NUL,
            reden=reden,
            bron=bron,
            bron_id=bron_id,
            omschrijving=" ".join(str(omschrijving or "").split())[:300],
            initiatief=initiatief,
            knelpunt=knelpunt,
            melding=melding,
        )


def _vervolg_velden(reservering: Boeking) -> dict:
    """The references a follow-up row copies from its reservation."""
    return {
        "reservering_id": reservering.pk,
        "bron": reservering.bron,
        "bron_id": reservering.bron_id,
        "omschrijving": reservering.omschrijving,
        "initiatief_id": reservering.initiatief_id,
        "knelpunt_id": reservering.knelpunt_id,
        "melding_id": reservering.melding_id,
    }


def _reservering(reservering: Boeking) -> Boeking:
    reservering = Boeking.objects.get(pk=reservering.pk)
    if reservering.soort != Boekingsoort.RESERVERING:
        raise ValidationError(
            {
                "bedrag": _(
                    "Dit is geen reservering: alleen wat gereserveerd is kan worden betaald."
                )
            },
            code="geen_reservering",
        )
    return reservering


def vrijgeven(reservering: Boeking, bedrag=None, *, user, reden: str) -> Boeking:
    reden = _reden(reden)
    if bedrag is not None:
        bedrag = _bedrag(bedrag)
    with transaction.atomic():
        reservering = _reservering(reservering)
        deel = _lock_deel(reservering.deel_id)
        gereserveerd, betaald = _groep(reservering.pk)
        open_ = gereserveerd - betaald
        if open_ <= 0:
            raise ValidationError(
                {"bedrag": _("Deze reservering houdt niets meer vast: er is niets vrij te geven.")},
                code="niets_open",
            )
        if bedrag is None:
            bedrag = open_
        if bedrag > open_:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Van deze reservering staat nog %(open)s open; meer kan niet worden "
                        "vrijgegeven. Er is niets geboekt."
                    )
                    % {"open": euro(open_)}
                },
                code="te_veel",
            )
        return _boek(
            deel,
            user=user,
            soort=Boekingsoort.VRIJGAVE,
            bedrag=bedrag,
            delta_gereserveerd=-bedrag,
            delta_betaald=NUL,
            reden=reden,
            **_vervolg_velden(reservering),
        )


def betalen(reservering: Boeking, bedrag, *, user, reden: str) -> Boeking:
    bedrag = _bedrag(bedrag)
    reden = _reden(reden)
    with transaction.atomic():
        reservering = _reservering(reservering)
        deel = _lock_deel(reservering.deel_id)
        gereserveerd, betaald = _groep(reservering.pk)
        open_ = gereserveerd - betaald
        if open_ <= 0:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Deze reservering is al betaald of vrijgegeven: er staat niets meer "
                        "open. Er is niets geboekt."
                    )
                },
                code="niets_open",
            )
        if bedrag > open_:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Er is %(open)s gereserveerd en nog niet betaald; %(bedrag)s is meer "
                        "dan dat. Er is niets geboekt."
                    )
                    % {"open": euro(open_), "bedrag": euro(bedrag)}
                },
                code="te_veel",
            )
        return _boek(
            deel,
            user=user,
            soort=Boekingsoort.BETALING,
            bedrag=bedrag,
            delta_gereserveerd=NUL,
            delta_betaald=bedrag,
            reden=reden,
            **_vervolg_velden(reservering),
        )


def corrigeren(boeking: Boeking, *, user, reden: str) -> Boeking:
    reden = _reden(reden)
    with transaction.atomic():
        boeking = Boeking.objects.get(pk=boeking.pk)
        deel = _lock_deel(boeking.deel_id)
        if boeking.soort == Boekingsoort.CORRECTIE:
            raise ValidationError(
                _("Een correctie wordt niet zelf gecorrigeerd; boek opnieuw wat juist is."),
                code="correctie",
            )
        if Boeking.objects.filter(gecorrigeerd_id=boeking.pk).exists():
            raise ValidationError(_("Deze boeking is al gecorrigeerd."), code="al_gecorrigeerd")
        reservering_id = boeking.reservering_id or boeking.pk
        reservering = boeking if boeking.reservering_id is None else boeking.reservering
        gereserveerd, betaald = _groep(reservering_id)
        gereserveerd -= boeking.delta_gereserveerd
        betaald -= boeking.delta_betaald
        if betaald > gereserveerd or gereserveerd < 0:
            raise ValidationError(
                _(
                    "Na deze correctie zou er meer betaald zijn dan gereserveerd. Corrigeer "
                    "eerst de betaling."
                ),
                code="betaald",
            )
        if deel.gereserveerd - boeking.delta_gereserveerd > deel.bedrag:
            raise ValidationError(
                _(
                    "Na deze correctie zou er meer gereserveerd zijn dan het budget "
                    "(%(bedrag)s). Er is niets geboekt."
                )
                % {"bedrag": euro(deel.bedrag)},
                code="te_weinig",
            )
        velden = _vervolg_velden(reservering)
        return _boek(
            deel,
            user=user,
            soort=Boekingsoort.CORRECTIE,
            bedrag=boeking.bedrag,
            delta_gereserveerd=-boeking.delta_gereserveerd,
            delta_betaald=-boeking.delta_betaald,
            reden=reden,
            gecorrigeerd=boeking,
            **velden,
        )
