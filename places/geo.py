"""Where a point lies in Rotterdam, and a small map to point with.

Owns the CBS buurt polygons (``data/buurten.geojson``, static, loaded once per process) and
answers which buurt, and so which wijken, contain a point. Which wijk a buurt belongs to is not
in the file but in the database (``Wijk.cbs_buurtcodes``) and is read per call: it is 71 small
rows, and reading it keeps the answer right after ``import_rotterdam`` or an edit in the admin.

Also draws the server-side SVG map of the buurten that belong to a wijk, which the melding form
shows as an optional aid (``static/js/kaart.js`` turns a click into a point).
"""

import functools
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from shapely.geometry import shape
from shapely.strtree import STRtree

from .models import Wijk

BUURTEN_PATH = Path(__file__).resolve().parent / "data" / "buurten.geojson"

# The map's viewBox is KAART_BREEDTE wide (plus a margin); its height follows from the shape.
KAART_BREEDTE = 1000
KAART_MARGE = 8
# Simplification tolerance in viewBox units (about half a screen pixel on a phone). Shared
# borders are simplified once for both buurten, so no gaps or overlaps appear between them.
KAART_TOLERANTIE = 0.8
KAART_PUNT_STRAAL = 7


@dataclass(frozen=True)
class Buurt:
    code: str
    naam: str


@dataclass(frozen=True)
class _Buurten:
    buurten: tuple[Buurt, ...]
    vormen: tuple[shapely.Geometry, ...]
    boom: STRtree


def _vlak(vorm: shapely.Geometry) -> shapely.Geometry:
    """Only the polygons: make_valid may return a collection with stray lines."""
    if vorm.geom_type in ("Polygon", "MultiPolygon"):
        return vorm
    delen = shapely.get_parts(vorm)
    return shapely.union_all([d for d in delen if d.geom_type in ("Polygon", "MultiPolygon")])


@functools.cache
def _buurten() -> _Buurten:
    with BUURTEN_PATH.open(encoding="utf-8") as bestand:
        features = json.load(bestand)["features"]
    buurten = tuple(
        Buurt(code=f["properties"]["id"], naam=f["properties"]["name"]) for f in features
    )
    # A few polygons in the source touch themselves in a point; make_valid keeps the area and
    # makes the predicates well defined.
    vormen = tuple(_vlak(shapely.make_valid(shape(f["geometry"]))) for f in features)
    return _Buurten(buurten=buurten, vormen=vormen, boom=STRtree(vormen))


def _punt(lengtegraad, breedtegraad) -> tuple[float, float] | None:
    """``(lon, lat)`` as floats, or None for anything that is not a place on Earth."""
    try:
        lon, lat = float(lengtegraad), float(breedtegraad)
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def buurt_bij_punt(lengtegraad: float, breedtegraad: float) -> Buurt | None:
    """The CBS buurt that contains the point (WGS84), also one that belongs to no wijk."""
    punt = _punt(lengtegraad, breedtegraad)
    if punt is None:
        return None
    data = _buurten()
    # A point on a shared border lies in both buurten; the lowest index keeps it deterministic.
    treffers = data.boom.query(shapely.Point(punt), predicate="intersects")
    return data.buurten[int(treffers.min())] if len(treffers) else None


def _wijken_per_buurt() -> dict[str, tuple[int, ...]]:
    """CBS buurt code -> ids of the wijken it belongs to (two for Groot-IJsselmonde)."""
    per_buurt = defaultdict(list)
    for pk, codes in Wijk.objects.order_by("pk").values_list("pk", "cbs_buurtcodes"):
        if isinstance(codes, list):
            for code in codes:
                if isinstance(code, str):
                    per_buurt[code].append(pk)
    return {code: tuple(pks) for code, pks in per_buurt.items()}


def wijken_bij_punt(lengtegraad: float, breedtegraad: float) -> list[Wijk]:
    """The wijken whose buurten contain the point: usually one, two in Groot-IJsselmonde, none
    outside Rotterdam's wijken (harbour and industrial buurten included) or for a non-point."""
    buurt = buurt_bij_punt(lengtegraad, breedtegraad)
    if buurt is None:
        return []
    ids = _wijken_per_buurt().get(buurt.code)
    return list(Wijk.objects.filter(pk__in=ids)) if ids else []


def buurt_namen() -> dict[str, str]:
    """CBS buurt code -> buurt name, for all 92 buurten in the file."""
    return {buurt.code: buurt.naam for buurt in _buurten().buurten}


# --- The map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kaart:
    """The heavy, language-independent part of the map for one buurt -> wijken mapping."""

    min_lengtegraad: float
    max_breedtegraad: float
    schaal: float  # viewBox units per degree of latitude
    cos: float  # longitude degrees are shorter by this factor at Rotterdam's latitude
    view_box: tuple[float, float, float, float]
    # (wijk ids, the rest of the <path> element after its class attribute)
    paden: tuple[tuple[tuple[int, ...], str], ...]

    def projecteer(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.min_lengtegraad) * self.cos * self.schaal,
            (self.max_breedtegraad - lat) * self.schaal,
        )

    def bevat(self, x: float, y: float) -> bool:
        links, boven, breedte, hoogte = self.view_box
        return links <= x <= links + breedte and boven <= y <= boven + hoogte


def _getal(waarde: float) -> str:
    tekst = f"{waarde:.1f}"
    if tekst.endswith(".0"):
        tekst = tekst[:-2]
    return "0" if tekst == "-0" else tekst


def _ring(coords) -> str:
    punten = [f"{_getal(x)} {_getal(y)}" for x, y in coords[:-1]]
    return f"M{punten[0]}L{' '.join(punten[1:])}Z" if len(punten) >= 3 else ""


def _pad(vorm) -> str:
    ringen = []
    for polygoon in shapely.get_parts(vorm):
        if isinstance(polygoon, shapely.Polygon) and not polygoon.is_empty:
            ringen.append(_ring(polygoon.exterior.coords))
            ringen.extend(_ring(binnen.coords) for binnen in polygoon.interiors)
    return "".join(ringen)


@functools.lru_cache(maxsize=4)
def _kaart(indeling: tuple[tuple[str, tuple[int, ...]], ...]) -> _Kaart:
    """Built once per mapping, so a changed mapping (a new import) gets a new map."""
    data = _buurten()
    wijken = dict(indeling)
    index = [i for i, buurt in enumerate(data.buurten) if buurt.code in wijken]
    vormen = [data.vormen[i] for i in index]
    # Without any wijk buurten (an empty database) the frame is all of the file's buurten.
    min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(vormen or data.vormen)
    cos = math.cos(math.radians((min_lat + max_lat) / 2))
    schaal = KAART_BREEDTE / ((max_lon - min_lon) * cos)

    def naar_viewbox(coords):
        return np.column_stack(
            ((coords[:, 0] - min_lon) * cos * schaal, (max_lat - coords[:, 1]) * schaal)
        )

    geprojecteerd = [shapely.transform(vorm, naar_viewbox) for vorm in vormen]
    vereenvoudigd = (
        shapely.coverage_simplify(geprojecteerd, KAART_TOLERANTIE) if geprojecteerd else []
    )
    paden = []
    for i, vorm in zip(index, vereenvoudigd, strict=True):
        buurt = data.buurten[i]
        ids = wijken[buurt.code]
        paden.append(
            (
                ids,
                f' data-buurt="{escape(buurt.code)}" data-wijken="{",".join(map(str, ids))}"'
                f' d="{_pad(vorm)}"><title>{escape(buurt.naam)}</title></path>',
            )
        )
    hoogte = (max_lat - min_lat) * schaal
    return _Kaart(
        min_lengtegraad=float(min_lon),
        max_breedtegraad=float(max_lat),
        schaal=float(schaal),
        cos=float(cos),
        view_box=(
            -KAART_MARGE,
            -KAART_MARGE,
            KAART_BREEDTE + 2 * KAART_MARGE,
            math.ceil(hoogte) + 2 * KAART_MARGE,
        ),
        paden=tuple(paden),
    )


def kaart_svg(
    *, gemarkeerde_wijk_id: int | None = None, punt: tuple[float, float] | None = None
) -> SafeString:
    """An inline SVG map of the buurten that belong to a wijk.

    The buurten of ``gemarkeerde_wijk_id`` get the class ``kaart-buurt-gemarkeerd``; ``punt``
    (lon, lat) is drawn as ``circle.kaart-punt``. The ``data-*`` attributes of the ``<svg>``
    carry the projection, so that a click can be turned back into lon/lat:
    ``lon = min + x / (schaal * cos)``, ``lat = max - y / schaal``.
    """
    kaart = _kaart(tuple(sorted(_wijken_per_buurt().items())))
    view_box = " ".join(_getal(v) for v in kaart.view_box)
    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kaart-svg" viewBox="{view_box}"'
        f' role="img" focusable="false"'
        f' data-min-lengtegraad="{kaart.min_lengtegraad!r}"'
        f' data-max-breedtegraad="{kaart.max_breedtegraad!r}"'
        f' data-schaal="{kaart.schaal!r}" data-cos="{kaart.cos!r}"'
        f' data-punt-straal="{KAART_PUNT_STRAAL}">',
        f"<title>{escape(gettext('Kaart van de wijken van Rotterdam'))}</title>",
        "<desc>{}</desc>".format(
            escape(
                gettext(
                    "Een optioneel hulpmiddel: klik op de kaart om de plek aan te wijzen. "
                    "De lijst met wijken is de belangrijkste manier om een wijk te kiezen."
                )
            )
        ),
        '<g class="kaart-buurten" fill-rule="evenodd">',
    ]
    for ids, rest in kaart.paden:
        klasse = "kaart-buurt"
        if gemarkeerde_wijk_id is not None and gemarkeerde_wijk_id in ids:
            klasse += " kaart-buurt-gemarkeerd"
        delen.append(f'<path class="{klasse}"{rest}')
    delen.append("</g>")
    lonlat = _punt(*punt) if punt is not None and len(punt) == 2 else None
    if lonlat is not None:
        x, y = kaart.projecteer(*lonlat)
        if kaart.bevat(x, y):
            delen.append(
                f'<circle class="kaart-punt" cx="{_getal(x)}" cy="{_getal(y)}"'
                f' r="{KAART_PUNT_STRAAL}" pointer-events="none"/>'
            )
    delen.append("</svg>")
    # Every value above is either escaped or a number we formatted.
    return mark_safe("".join(delen))  # noqa: S308
