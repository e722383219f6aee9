"""The wijkbarometer: the Wijkprofiel indices over the years, of a wijk or a werkgebied
against its gebied and the whole city, and the wijkfoto the wijkanalyse starts from.

Roll-ups are weighted by inhabitants exactly as ``selectors.werkgebied_kerncijfers`` weighs the
latest year (wijken that share CBS buurten share one inhabitant count), for every measuring
year. The per-year series of every wijk, werkgebied, gebied and of the city are computed from
two queries and kept under the public version (``pagecache.services.memoised``); a change to
the places or an import bumps that version.

The charts are laid out here, in plain Python, and drawn by ``places/_barometer.html`` as
inline SVG: no chart library, because the portal's Content-Security-Policy forbids the inline
``<style>`` and scripts that SVG chart libraries emit, and because the accessible parts
(``role="img"``, ``<title>``/``<desc>`` named by ``aria-labelledby``, the table beside the
chart, dash patterns and markers besides colour) are what matters here and are easiest to
guarantee in our own template."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from pagecache.services import memoised

from .models import Werkgebied, Wijk, WijkprofielScore
from .selectors import _buurten

# The indices in the order of the portal's tables.
INDICES = ("sociale_index", "fysieke_index", "veiligheidsindex")

ONDERWERP, GEBIED, STAD = "onderwerp", "gebied", "stad"


def index_labels() -> dict[str, str]:
    return {
        "sociale_index": _("Sociale index"),
        "fysieke_index": _("Fysieke index"),
        "veiligheidsindex": _("Veiligheidsindex"),
    }


# --- The numbers ---------------------------------------------------------------------------


class _Wijk(NamedTuple):
    pk: int
    gebied_id: int
    werkgebied_id: int | None
    inwoners: int | None
    cbs_buurtcodes: list


# Values of one index per measuring year, aligned with ``Reekstabel.jaren``.
Waarden = tuple[int | None, ...]
# index field -> its values per year
Indexreeksen = dict[str, Waarden]


@dataclass(frozen=True)
class Reekstabel:
    """Every series the barometer can show: numbers only, the same in every language."""

    jaren: tuple[int, ...]
    wijk: dict[int, Indexreeksen]
    werkgebied: dict[int, Indexreeksen]
    gebied: dict[int, Indexreeksen]
    stad: Indexreeksen


def _gewogen(wijken: list[_Wijk], scores: dict, jaren: tuple[int, ...]) -> Indexreeksen:
    """Per index and year the inhabitant-weighted mean of ``wijken`` (those measured that year
    and with a known inhabitant count), rounded like the kerncijfers; None where none is."""
    sharing = Counter(_buurten(w) for w in wijken)
    weights = {w.pk: w.inwoners / sharing[_buurten(w)] for w in wijken if w.inwoners}
    reeksen = {}
    for i, veld in enumerate(INDICES):
        waarden = []
        for jaar in jaren:
            pairs = [
                (scores[pk, jaar][i], weight)
                for pk, weight in weights.items()
                if (pk, jaar) in scores
            ]
            total = sum(weight for _w, weight in pairs)
            waarden.append(
                round(sum(value * weight for value, weight in pairs) / total) if total else None
            )
        reeksen[veld] = tuple(waarden)
    return reeksen


def _reekstabel() -> Reekstabel:
    wijken = [
        _Wijk(*row)
        for row in Wijk.objects.order_by("pk").values_list(
            "pk", "gebied_id", "werkgebied_id", "inwoners", "cbs_buurtcodes"
        )
    ]
    scores = {
        (wijk_id, jaar): waarden
        for wijk_id, jaar, *waarden in WijkprofielScore.objects.values_list(
            "wijk_id", "jaar", *INDICES
        )
    }
    jaren = tuple(sorted({jaar for _pk, jaar in scores}))

    def groepen(attribuut):
        result: dict[int, list[_Wijk]] = {}
        for wijk in wijken:
            sleutel = getattr(wijk, attribuut)
            if sleutel is not None:
                result.setdefault(sleutel, []).append(wijk)
        return result

    return Reekstabel(
        jaren=jaren,
        wijk={
            w.pk: {
                veld: tuple(
                    scores[w.pk, jaar][i] if (w.pk, jaar) in scores else None for jaar in jaren
                )
                for i, veld in enumerate(INDICES)
            }
            for w in wijken
        },
        werkgebied={
            pk: _gewogen(leden, scores, jaren) for pk, leden in groepen("werkgebied_id").items()
        },
        gebied={pk: _gewogen(leden, scores, jaren) for pk, leden in groepen("gebied_id").items()},
        stad=_gewogen(wijken, scores, jaren),
    )


def reekstabel() -> Reekstabel:
    """All series, kept under the public version: at most two queries, plus reading the
    version (which a cached public page has already read)."""
    return memoised("places.barometer.reekstabel", _reekstabel)


def _leeg(jaren) -> Indexreeksen:
    return {veld: (None,) * len(jaren) for veld in INDICES}


# --- The chart layout ----------------------------------------------------------------------

# Geometry in SVG user units; the chart scales to the width of its column.
# Narrow, with large type: on a phone the chart shrinks to three quarters and its text stays
# legible (15 units become about 11 px).
BREEDTE = 460
HOOGTE = 310
LETTERGROOTTE = 15
_LINKS = 44  # room for the values on the y axis
_RECHTS = 16
_LEGENDA_REGEL = 20
_BOVEN = 3 * _LEGENDA_REGEL + 16  # the legend stacks its three lines above the plot
_ONDER = HOOGTE - 34  # room for the years under the x axis
_INSPRINGEN = 20  # keeps the first and last year's markers off the axes
_JAARLABEL = 44  # the width a year's label needs; closer years are labelled alternately


@dataclass(frozen=True)
class Stijl:
    """How a series is drawn: never by colour alone (WCAG 1.4.1) - each has its own dash
    pattern and marker shape. Each colour is at least 3:1 against white (WCAG 1.4.11)."""

    kleur: str
    breedte: float
    streep: str  # stroke-dasharray; "" for a solid line
    marker: str  # "rondje", "vierkant", "ruit"


STIJLEN = {
    ONDERWERP: Stijl(kleur="#00457c", breedte=3, streep="", marker="rondje"),  # 9.9:1
    GEBIED: Stijl(kleur="#8a4b00", breedte=2.5, streep="9 5", marker="vierkant"),  # 6.9:1
    STAD: Stijl(kleur="#4d4d4d", breedte=2, streep="2 4", marker="ruit"),  # 8.5:1
}


def marker_pad(soort: str, x: float, y: float, r: float = 4.5) -> str:
    """The outline of a marker centred on (x, y), as SVG path data."""
    if soort == "vierkant":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if soort == "ruit":
        d = r * 1.3
        return f"M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}z"
    boog = f"a{r:.1f} {r:.1f} 0 1 0"
    return f"M{x - r:.1f} {y:.1f}{boog} {2 * r:.1f} 0{boog} {-2 * r:.1f} 0z"


@dataclass(frozen=True)
class Lijn:
    rol: str
    naam: str
    stijl: Stijl
    # One polyline per unbroken run of measured years (a year without a value breaks the line).
    delen: list[str]
    markers: list[str]
    # The legend entry: the line sample from x 8 to 40 at y_legenda, its marker, its text.
    y_legenda: int
    y_legenda_tekst: int
    legenda_marker: str


@dataclass(frozen=True)
class Grafiek:
    breedte: int
    hoogte: int
    lettergrootte: int
    x0: int
    x1: int
    y_boven: int
    y_onder: int
    y_jaren: int
    # (y, value, is the city's 2014 average of 100)
    schaal: list[tuple[float, int, bool]]
    # (x, year) of every year with a label (all, or every other one when they are many)
    jaren: list[tuple[float, int]]
    lijnen: list[Lijn]


def _schaal(waarden: list[int]) -> tuple[int, int, int]:
    """Bottom, top and step of the y axis: round numbers around the values and 100."""
    laag, hoog = min([*waarden, 100]), max([*waarden, 100])
    stap = 10 if hoog - laag <= 50 else 20 if hoog - laag <= 120 else 50
    onder = math.floor((laag - stap / 2) / stap) * stap
    boven = math.ceil((hoog + stap / 2) / stap) * stap
    return max(onder, 0), boven, stap


def grafiek(jaren: tuple[int, ...], reeksen: list[tuple[str, str, Waarden]]) -> Grafiek:
    """Lay out a line chart of ``reeksen`` (role, name, values per year) over ``jaren``."""
    gemeten = [w for _rol, _naam, waarden in reeksen for w in waarden if w is not None]
    onder, boven, stap = _schaal(gemeten)
    x0, x1 = _LINKS, BREEDTE - _RECHTS

    def x(i: int) -> float:
        if len(jaren) == 1:
            return round((x0 + x1) / 2, 1)
        return round(x0 + _INSPRINGEN + i * (x1 - x0 - 2 * _INSPRINGEN) / (len(jaren) - 1), 1)

    def y(waarde: float) -> float:
        return round(_ONDER - (waarde - onder) * (_ONDER - _BOVEN) / (boven - onder), 1)

    lijnen = []
    for n, (rol, naam, waarden) in enumerate(reeksen):
        stijl = STIJLEN[rol]
        delen, deel, markers = [], [], []
        for i, waarde in enumerate(waarden):
            if waarde is None:
                if deel:
                    delen.append(deel)
                deel = []
                continue
            deel.append((x(i), y(waarde)))
            markers.append(marker_pad(stijl.marker, x(i), y(waarde)))
        if deel:
            delen.append(deel)
        y_legenda = 14 + n * _LEGENDA_REGEL
        lijnen.append(
            Lijn(
                rol=rol,
                naam=naam,
                stijl=stijl,
                delen=[" ".join(f"{px},{py}" for px, py in d) for d in delen if len(d) > 1],
                markers=markers,
                y_legenda=y_legenda,
                y_legenda_tekst=y_legenda + 5,
                legenda_marker=marker_pad(stijl.marker, 24, y_legenda),
            )
        )
    afstand = (x(1) - x(0)) if len(jaren) > 1 else _JAARLABEL
    elke = math.ceil(_JAARLABEL / afstand)
    # Counted from the last year, so the latest measurement is always labelled.
    gelabeld = [i for i in range(len(jaren)) if (len(jaren) - 1 - i) % elke == 0]
    return Grafiek(
        breedte=BREEDTE,
        hoogte=HOOGTE,
        lettergrootte=LETTERGROOTTE,
        x0=x0,
        x1=x1,
        y_boven=_BOVEN,
        y_onder=_ONDER,
        y_jaren=_ONDER + 22,
        schaal=[(y(w), w, w == 100) for w in range(onder, boven + 1, stap)],
        jaren=[(x(i), jaren[i]) for i in gelabeld],
        lijnen=lijnen,
    )


# --- The barometer -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reeks:
    rol: str  # ONDERWERP, GEBIED or STAD
    naam: str
    waarden: Waarden


@dataclass(frozen=True)
class Indexbarometer:
    veld: str
    label: str
    reeksen: list[Reeks]
    grafiek: Grafiek
    titel: str
    beschrijving: str
    # (year, the values of the series in that year)
    rijen: list[tuple[int, list[int | None]]]


@dataclass(frozen=True)
class Barometer:
    """One chart and one table per index: the subject against its gebied and the city."""

    sleutel: str  # unique on a page: the ids of the charts' titles derive from it
    naam: str
    gebied: str
    gewogen: bool  # the subject itself is a weighted roll-up (a werkgebied of several wijken)
    jaren: tuple[int, ...]
    indices: list[Indexbarometer]

    @property
    def leeg(self) -> bool:
        return not self.jaren


def _omschrijving(naam: str, gebied: str, jaren, reeksen: list[Reeks], label: str) -> str:
    laatste = next(
        (i for i in range(len(jaren) - 1, -1, -1) if reeksen[0].waarden[i] is not None), None
    )
    tekst = _(
        "Lijngrafiek van de %(index)s per meetjaar, %(van)s tot en met %(tot)s: %(naam)s "
        "(doorgetrokken lijn met rondjes), gebied %(gebied)s (streepjeslijn met vierkantjes) "
        "en Rotterdam (stippellijn met ruiten). 100 is het gemiddelde van Rotterdam in 2014."
    ) % {
        "index": label.lower(),
        "van": jaren[0],
        "tot": jaren[-1],
        "naam": naam,
        "gebied": gebied,
    }
    if laatste is not None:
        waarden = [r.waarden[laatste] for r in reeksen]
        tekst += " " + _(
            "In %(jaar)s: %(naam)s %(onderwerp)s, gebied %(gebied)s, Rotterdam %(stad)s."
        ) % {
            "jaar": jaren[laatste],
            "naam": naam,
            "onderwerp": waarden[0],
            "gebied": "–" if waarden[1] is None else waarden[1],
            "stad": "–" if waarden[2] is None else waarden[2],
        }
    return tekst + " " + _("Dezelfde cijfers staan in de tabel bij de grafiek.")


def _barometer(
    *, sleutel: str, naam: str, gebied: str, gewogen: bool, eigen, gebied_reeksen, tabel
) -> Barometer:
    labels = index_labels()
    jaren = tabel.jaren
    indices = []
    for veld in INDICES if jaren else ():
        reeksen = [
            Reeks(ONDERWERP, naam, eigen[veld]),
            Reeks(GEBIED, _("Gebied %(naam)s") % {"naam": gebied}, gebied_reeksen[veld]),
            Reeks(STAD, _("Rotterdam"), tabel.stad[veld]),
        ]
        indices.append(
            Indexbarometer(
                veld=veld,
                label=labels[veld],
                reeksen=reeksen,
                grafiek=grafiek(jaren, [(r.rol, r.naam, r.waarden) for r in reeksen]),
                titel=_("%(index)s: %(naam)s, %(van)s–%(tot)s")
                % {"index": labels[veld], "naam": naam, "van": jaren[0], "tot": jaren[-1]},
                beschrijving=_omschrijving(naam, gebied, jaren, reeksen, labels[veld]),
                rijen=[(jaar, [r.waarden[i] for r in reeksen]) for i, jaar in enumerate(jaren)],
            )
        )
    return Barometer(
        sleutel=sleutel, naam=naam, gebied=gebied, gewogen=gewogen, jaren=jaren, indices=indices
    )


def barometer_wijk(wijk: Wijk, *, tabel: Reekstabel | None = None) -> Barometer:
    """The barometer of ``wijk`` (load it with ``select_related("gebied")``). ``tabel``: the
    ``reekstabel()`` already read for another part of the same page."""
    tabel = tabel or reekstabel()
    return _barometer(
        sleutel=f"barometer-wijk-{wijk.slug}",
        naam=wijk.naam,
        gebied=wijk.gebied.naam,
        gewogen=False,
        eigen=tabel.wijk.get(wijk.pk) or _leeg(tabel.jaren),
        gebied_reeksen=tabel.gebied.get(wijk.gebied_id) or _leeg(tabel.jaren),
        tabel=tabel,
    )


def barometer_werkgebied(werkgebied: Werkgebied, *, tabel: Reekstabel | None = None) -> Barometer:
    """The barometer of ``werkgebied``, its wijken weighted by inhabitants (load it with
    ``select_related("gebied")``). ``tabel``: as for ``barometer_wijk``."""
    tabel = tabel or reekstabel()
    return _barometer(
        sleutel=f"barometer-werkgebied-{werkgebied.slug}",
        naam=_("Werkgebied %(naam)s") % {"naam": werkgebied.naam},
        gebied=werkgebied.gebied.naam,
        gewogen=True,
        eigen=tabel.werkgebied.get(werkgebied.pk) or _leeg(tabel.jaren),
        gebied_reeksen=tabel.gebied.get(werkgebied.gebied_id) or _leeg(tabel.jaren),
        tabel=tabel,
    )


# --- The wijkfoto --------------------------------------------------------------------------


@dataclass(frozen=True)
class Indexstand:
    """Where a werkgebied stands on one index: its latest measurement up to a year, the trend
    since the measurement before it, and the gebied and the city in the same year. Differences
    are the werkgebied's value minus the other (positive: the werkgebied scores higher)."""

    veld: str
    label: str
    jaar: int | None
    waarde: int | None
    vorig_jaar: int | None
    vorige_waarde: int | None
    trend: int | None
    gebied_waarde: int | None
    verschil_gebied: int | None
    stad_waarde: int | None
    verschil_stad: int | None


def _verschil(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def wijkfoto(
    werkgebied: Werkgebied, tot_jaar: int, *, tabel: Reekstabel | None = None
) -> list[Indexstand]:
    """Per index the werkgebied's latest weighted measurement in or before ``tot_jaar``.
    ``tabel``: as for ``barometer_wijk`` (a page showing both reads the series once)."""
    tabel = tabel or reekstabel()
    eigen = tabel.werkgebied.get(werkgebied.pk) or _leeg(tabel.jaren)
    gebied = tabel.gebied.get(werkgebied.gebied_id) or _leeg(tabel.jaren)
    labels = index_labels()
    standen = []
    for veld in INDICES:
        gemeten = [
            i
            for i, jaar in enumerate(tabel.jaren)
            if jaar <= tot_jaar and eigen[veld][i] is not None
        ]
        laatste = gemeten[-1] if gemeten else None
        vorige = gemeten[-2] if len(gemeten) > 1 else None

        def waarde(reeks, i, veld=veld):
            return None if i is None else reeks[veld][i]

        def jaar(i):
            return None if i is None else tabel.jaren[i]

        standen.append(
            Indexstand(
                veld=veld,
                label=labels[veld],
                jaar=jaar(laatste),
                waarde=waarde(eigen, laatste),
                vorig_jaar=jaar(vorige),
                vorige_waarde=waarde(eigen, vorige),
                trend=_verschil(waarde(eigen, laatste), waarde(eigen, vorige)),
                gebied_waarde=waarde(gebied, laatste),
                verschil_gebied=_verschil(waarde(eigen, laatste), waarde(gebied, laatste)),
                stad_waarde=waarde(tabel.stad, laatste),
                verschil_stad=_verschil(waarde(eigen, laatste), waarde(tabel.stad, laatste)),
            )
        )
    return standen
