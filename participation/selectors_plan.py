"""Reads of the participation plan and the wijkraad's advice, each in a fixed number of
queries whatever the data."""

from django.db.models import Q
from django.utils import timezone

from cycle.models import WERKFASEN
from people.models import Rol

from .models import Advies, Adviesonderwerp, Adviesstatus, Planfase

MIJN_WERK_MAX = 10


def planfasen(cyclus) -> tuple[object | None, list]:
    """(the plan or None, its five phases in phase order: a ``Planfase`` or None each). One
    query."""
    rijen = list(Planfase.objects.filter(plan__cyclus=cyclus).select_related("plan"))
    per_fase = {r.fase: r for r in rijen}
    plan = rijen[0].plan if rijen else None
    return plan, [(fase, per_fase.get(fase)) for fase in WERKFASEN]


# The phase whose kaders hold for a product's consultation.
FASE_VAN_PRODUCT = {
    "wijkanalyse": "analyse",
    "wijkagenda": "agenda",
    "wijkprogramma": "programma",
    "wijkverslag": "verantwoording",
}


def planfase_van_product(cyclus, soort: str) -> Planfase | None:
    """The plan's phase of a product (its level and kaders), or None. One query."""
    fase = FASE_VAN_PRODUCT.get(soort)
    if fase is None:
        return None
    return Planfase.objects.filter(plan__cyclus=cyclus, fase=fase).first()


def _met_onderwerp(qs):
    return qs.select_related("werkgebied", "cyclus__werkgebied", "wijkakkoord__werkgebied")


def adviezen_van_werkgebied(werkgebied):
    """Every advice of ``werkgebied``, newest first (paginated by the view)."""
    return _met_onderwerp(Advies.objects.filter(werkgebied=werkgebied)).order_by(
        "-aangemaakt_op", "-pk"
    )


def advies_op_url(slug: str, pk: int) -> Advies | None:
    return _met_onderwerp(Advies.objects.filter(werkgebied__slug=slug, pk=pk)).first()


def adviezen_over(cyclus, onderwerp: str) -> list[Advies]:
    """The advice on one subject of ``cyclus`` (the plan, the agenda, the programme). One
    query."""
    return list(
        _met_onderwerp(Advies.objects.filter(cyclus=cyclus, onderwerp=onderwerp)).order_by(
            "aangemaakt_op", "pk"
        )
    )


def adviezen_voor_akkoord(akkoord) -> list[Advies]:
    """The wijkraad's formal advice on one wijkakkoord, oldest first. One query."""
    return list(
        _met_onderwerp(Advies.objects.filter(wijkakkoord=akkoord)).order_by("aangemaakt_op", "pk")
    )


def adviezen_voor_product(product) -> list[Advies]:
    if product.SOORT not in (Adviesonderwerp.WIJKAGENDA, Adviesonderwerp.WIJKPROGRAMMA):
        return []
    return adviezen_over(product.cyclus, product.SOORT)


def _gebied_scope(assignments, rol) -> Q | None:
    werkgebieden, gebieden = set(), set()
    for a in assignments:
        if a.rol == rol:
            if a.werkgebied_id:
                werkgebieden.add(a.werkgebied_id)
            elif a.gebied_id:
                gebieden.add(a.gebied_id)
    if not werkgebieden and not gebieden:
        return None
    return Q(werkgebied_id__in=werkgebieden) | Q(werkgebied__gebied_id__in=gebieden)


def wacht_op_advies(assignments) -> tuple[list[Advies], bool] | None:
    """For a wijkraadslid: the asked advice of their werkgebieden, soonest deadline first (at
    most ``MIJN_WERK_MAX``, and whether there are more). One query; None without the role."""
    scope = _gebied_scope(assignments, Rol.WIJKRAADSLID)
    if scope is None:
        return None
    rows = list(
        _met_onderwerp(Advies.objects.filter(scope, status=Adviesstatus.GEVRAAGD)).order_by(
            "termijn", "pk"
        )[: MIJN_WERK_MAX + 1]
    )
    return rows[:MIJN_WERK_MAX], len(rows) > MIJN_WERK_MAX


def wacht_op_antwoord(assignments) -> tuple[list[Advies], bool] | None:
    """For a wijkmanager: the given advice of their werkgebieden still to be answered, oldest
    first. One query; None without the role."""
    scope = _gebied_scope(assignments, Rol.WIJKMANAGER)
    if scope is None:
        return None
    rows = list(
        _met_onderwerp(Advies.objects.filter(scope, status=Adviesstatus.GEGEVEN)).order_by(
            "gegeven_op", "pk"
        )[: MIJN_WERK_MAX + 1]
    )
    return rows[:MIJN_WERK_MAX], len(rows) > MIJN_WERK_MAX


def today():
    return timezone.localdate()
