"""Reads of the wijkakkoord: the akkoord with its opgaven, doelen and resultaten, and per
opgave what each year's cycle did for it (the agendapunten and initiatieven that refer to it
or to its doelen). A fixed number of queries however large the akkoord or its years grow:
one per level of the akkoord, one per kind of contribution."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .models import (
    GELDENDE_AKKOORDSTATUSSEN,
    OPENBARE_STATUSSEN,
    Agendapunt,
    Doel,
    Initiatief,
    Resultaat,
    Wijkakkoord,
    Wijkopgave,
)


def akkoord_op_url(slug: str, startjaar: int) -> Wijkakkoord | None:
    return (
        Wijkakkoord.objects.select_related("werkgebied__gebied", "werkgebied__wijkraad")
        .select_related("opgesteld_door", "advies_vastgelegd_door", "besluit_vastgelegd_door")
        .filter(werkgebied__slug=slug, startjaar=startjaar)
        .first()
    )


def geldend_akkoord(werkgebied_id: int, jaar: int) -> Wijkakkoord | None:
    """The adopted akkoord of the werkgebied that covers programme year ``jaar`` (what the
    yearly cycles refer to)."""
    return (
        Wijkakkoord.objects.filter(
            werkgebied_id=werkgebied_id,
            startjaar__lte=jaar,
            eindjaar__gte=jaar,
            status__in=GELDENDE_AKKOORDSTATUSSEN,
        )
        .order_by("-startjaar")
        .first()
    )


def akkoorden_van(werkgebied, user) -> list[Wijkakkoord]:
    """The akkoorden of ``werkgebied`` that ``user`` may read, newest first (one query)."""
    akkoorden = list(Wijkakkoord.objects.filter(werkgebied=werkgebied).order_by("-startjaar"))
    for akkoord in akkoorden:
        akkoord.werkgebied = werkgebied
    return [a for a in akkoorden if user.has_perm("cycle.view_wijkakkoord", a)]


def akkoord_voor_jaar(werkgebied, jaar: int, user) -> Wijkakkoord | None:
    """The akkoord of ``werkgebied`` covering ``jaar`` that ``user`` may read (the cycle page's
    link; one query)."""
    akkoord = (
        Wijkakkoord.objects.filter(werkgebied=werkgebied, startjaar__lte=jaar, eindjaar__gte=jaar)
        .order_by("-startjaar")
        .first()
    )
    if akkoord is None:
        return None
    akkoord.werkgebied = werkgebied
    return akkoord if user.has_perm("cycle.view_wijkakkoord", akkoord) else None


def opgaven(akkoord: Wijkakkoord) -> list[Wijkopgave]:
    """The opgaven in order, with their doelen and each doel's resultaten (three queries)."""
    return list(
        Wijkopgave.objects.filter(akkoord=akkoord)
        .order_by("volgorde", "pk")
        .prefetch_related(
            Prefetch(
                "doelen",
                queryset=Doel.objects.order_by("pk").prefetch_related(
                    Prefetch("resultaten", queryset=Resultaat.objects.order_by("pk"))
                ),
            )
        )
    )


@dataclass
class Jaarbijdrage:
    """What the cycle of one year did for one opgave."""

    jaar: int
    agendapunten: list = field(default_factory=list)
    initiatieven: list = field(default_factory=list)


def _openbaar(prefix: str) -> Q:
    """The product is public: in consultation or published, or published before (then its
    published version is)."""
    return Q(**{f"{prefix}__status__in": OPENBARE_STATUSSEN}) | Q(
        **{f"{prefix}__gepubliceerd_op__isnull": False}
    )


def bijdragen(akkoord: Wijkakkoord, *, alleen_openbaar: bool) -> dict[int, list[Jaarbijdrage]]:
    """Per opgave id: per year of the akkoord that did something for it, the agendapunten and
    initiatieven (with their execution status) that refer to it or one of its doelen. Two
    queries. ``alleen_openbaar``: only from agendas and programmes the public may read."""
    punten = Agendapunt.objects.filter(wijkopgave__akkoord=akkoord).select_related(
        "wijkagenda__cyclus", "doel"
    )
    initiatieven = Initiatief.objects.filter(wijkopgave__akkoord=akkoord).select_related(
        "wijkprogramma__cyclus", "doel", "cluster", "partner"
    )
    if alleen_openbaar:
        punten = punten.filter(_openbaar("wijkagenda"))
        initiatieven = initiatieven.filter(_openbaar("wijkprogramma"))
    per_opgave: dict[int, dict[int, Jaarbijdrage]] = defaultdict(dict)
    for punt in punten.order_by("wijkagenda__cyclus__jaar", "rang", "pk"):
        jaar = punt.wijkagenda.cyclus.jaar
        per_opgave[punt.wijkopgave_id].setdefault(jaar, Jaarbijdrage(jaar)).agendapunten.append(
            punt
        )
    for initiatief in initiatieven.order_by("wijkprogramma__cyclus__jaar", "titel", "pk"):
        jaar = initiatief.wijkprogramma.cyclus.jaar
        per_opgave[initiatief.wijkopgave_id].setdefault(
            jaar, Jaarbijdrage(jaar)
        ).initiatieven.append(initiatief)
    return {opgave_id: [jaren[j] for j in sorted(jaren)] for opgave_id, jaren in per_opgave.items()}


def opgave_keuzes(akkoord: Wijkakkoord):
    return Wijkopgave.objects.filter(akkoord=akkoord).order_by("volgorde", "pk")


def doel_keuzes(akkoord: Wijkakkoord):
    return (
        Doel.objects.filter(opgave__akkoord=akkoord)
        .select_related("opgave")
        .order_by("opgave__volgorde", "pk")
    )
