"""Reads of the twelve-month report: how every initiative of a programme ended its year, the
shares as percentages, and the share realised in the wijkraad's judgement against the city's
target; and the same per werkgebied for a whole year (the council's city-wide view).

Numbers are always counted from the initiatives themselves, never typed: an initiative whose
end is not recorded yet counts by its execution status (realised, stopped = dropped) or as
still open."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from .models import Afloop, Initiatief, Oordeel, Uitvoeringsstatus

# The city's target: 75% of the initiatives realised in the judgement of the wijkraad.
STREEFWAARDE_OORDEEL = 75

OPEN = "open"


def effectieve_afloop():
    """An expression for how an initiative ended its year: its recorded end, or what its
    execution status says, or ``open``."""
    return Case(
        When(~Q(afloop=""), then="afloop"),
        When(status=Uitvoeringsstatus.GEREALISEERD, then=Value(Afloop.GEREALISEERD)),
        When(status=Uitvoeringsstatus.GESTOPT, then=Value(Afloop.GESCHRAPT)),
        default=Value(OPEN),
        output_field=CharField(),
    )


# What ``effectieve_afloop`` can give.
EINDSTANDEN = (*Afloop.values, OPEN)


def eindstand_label(eindstand: str) -> str:
    """The report's word for an end state (``effectieve_afloop``)."""
    return _("nog niet vastgelegd") if eindstand == OPEN else str(Afloop(eindstand).label)


def _pct(deel: int, geheel: int) -> Decimal | None:
    if not geheel:
        return None
    return (Decimal(100) * deel / geheel).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Telling:
    totaal: int = 0
    gerealiseerd: int = 0
    doorgeschoven: int = 0
    geschrapt: int = 0
    open: int = 0
    beoordeeld: int = 0
    oordeel_gerealiseerd: int = 0

    @property
    def pct_gerealiseerd(self):
        return _pct(self.gerealiseerd, self.totaal)

    @property
    def pct_doorgeschoven(self):
        return _pct(self.doorgeschoven, self.totaal)

    @property
    def pct_geschrapt(self):
        return _pct(self.geschrapt, self.totaal)

    @property
    def pct_open(self):
        return _pct(self.open, self.totaal)

    @property
    def pct_oordeel_gerealiseerd(self):
        """Share realised in the wijkraad's judgement, of all initiatives (one not judged yet
        does not count as realised)."""
        return _pct(self.oordeel_gerealiseerd, self.totaal)

    @property
    def haalt_streefwaarde(self) -> bool | None:
        pct = self.pct_oordeel_gerealiseerd
        return None if pct is None else pct >= STREEFWAARDE_OORDEEL

    def __add__(self, other: "Telling") -> "Telling":
        return Telling(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
            }
        )


_AGGREGATEN = {
    "totaal": Count("pk"),
    "gerealiseerd": Count("pk", filter=Q(eindstand=Afloop.GEREALISEERD)),
    "doorgeschoven": Count("pk", filter=Q(eindstand=Afloop.DOORGESCHOVEN)),
    "geschrapt": Count("pk", filter=Q(eindstand=Afloop.GESCHRAPT)),
    "open": Count("pk", filter=Q(eindstand=OPEN)),
    "beoordeeld": Count("pk", filter=~Q(oordeel="")),
    "oordeel_gerealiseerd": Count("pk", filter=Q(oordeel=Oordeel.GEREALISEERD)),
}


def _tellingen_per(rijen, *groep: str) -> list[tuple[dict, Telling]]:
    """Initiatives counted per ``groep`` in one query: each group's values and figures."""
    gegroepeerd = (
        rijen.annotate(eindstand=effectieve_afloop()).values(*groep).annotate(**_AGGREGATEN)
    )
    return [(rij, Telling(**{name: rij[name] for name in _AGGREGATEN})) for rij in gegroepeerd]


def tellingen_per_cyclus(cyclus_ids) -> dict[int, Telling]:
    """The twelve-month figures of each cycle's programme, by cycle id (one query whatever
    the number of cycles; a cycle without initiatives counts zero)."""
    result = {pk: Telling() for pk in cyclus_ids}
    if not result:
        return result
    rijen = Initiatief.objects.filter(wijkprogramma__cyclus_id__in=list(result)).order_by()
    for rij, t in _tellingen_per(rijen, "wijkprogramma__cyclus_id"):
        result[rij["wijkprogramma__cyclus_id"]] = t
    return result


def _tel(rijen) -> Telling:
    """The figures of initiatives already read (annotated with ``eindstand``)."""
    t = Telling(totaal=len(rijen))
    for i in rijen:
        setattr(t, i.eindstand, getattr(t, i.eindstand) + 1)
        t.beoordeeld += bool(i.oordeel)
        t.oordeel_gerealiseerd += i.oordeel == Oordeel.GEREALISEERD
    return t


def twaalfmaanden(programma=None, *, cyclus_id=None) -> dict:
    """The report: every initiative of the programme (or of the cycle's programme) with how
    it ended, in agenda order, and the figures counted from them (one query)."""
    filter_ = (
        {"wijkprogramma": programma}
        if programma is not None
        else {"wijkprogramma__cyclus_id": cyclus_id}
    )
    rijen = list(
        Initiatief.objects.filter(**filter_)
        .annotate(
            eindstand=effectieve_afloop(),
            # The year of the programme a carried-over initiative went into (None: it waits).
            doorgeschoven_naar_jaar=Subquery(
                Initiatief.objects.filter(doorgeschoven_van=OuterRef("pk")).values(
                    "wijkprogramma__cyclus__jaar"
                )[:1]
            ),
        )
        .select_related("agendapunt", "cluster", "partner")
        .order_by("agendapunt__rang", "pk")
    )
    return {"initiatieven": rijen, "telling": _tel(rijen)}


def telling(programma) -> Telling:
    """The twelve-month figures of one programme."""
    return twaalfmaanden(programma)["telling"]


def stadsoverzicht(jaar: int) -> dict:
    """Per werkgebied with a programme in ``jaar``: its twelve-month figures; and the city
    total (one query, grouped by werkgebied)."""
    rijen = Initiatief.objects.filter(wijkprogramma__cyclus__jaar=jaar).order_by(
        "wijkprogramma__cyclus__werkgebied__naam"
    )
    werkgebieden = []
    totaal = Telling()
    for rij, t in _tellingen_per(
        rijen,
        "wijkprogramma__cyclus__werkgebied__slug",
        "wijkprogramma__cyclus__werkgebied__naam",
    ):
        totaal = totaal + t
        werkgebieden.append(
            {
                "slug": rij["wijkprogramma__cyclus__werkgebied__slug"],
                "naam": rij["wijkprogramma__cyclus__werkgebied__naam"],
                "telling": t,
            }
        )
    return {"jaar": jaar, "werkgebieden": werkgebieden, "totaal": totaal}


def wijkverslag_inhoud(verslag) -> dict:
    """What the wijkverslag shows beside its texts: the twelve-month report of its cycle's
    programme, read from the initiatives (the same for everyone: it is public with the
    report)."""
    rapport = twaalfmaanden(cyclus_id=verslag.cyclus_id)
    return {
        "rapport": rapport if rapport["initiatieven"] else None,
        "streefwaarde": STREEFWAARDE_OORDEEL,
    }
