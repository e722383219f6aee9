"""The frozen HTML of a published product: one standalone document (inline CSS, inline SVG,
no external resource at all) that is shown as is in the browser and rendered to the archival
PDF by ``publication.pdf``. Always in Dutch, the language of the record.

Each product type has its own template, ``publication/snapshot/<SOORT>.html``, extending
``publication/snapshot/base.html``; a new product type adds its template and nothing else."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets.selectors import jaarrekening
from cycle.selectors import product_inhoud
from participation.selectors_consultatie import nota as nota_van_beantwoording
from participation.selectors_plan import adviezen_voor_product
from places.models import Werkgebied, Wijk, WijkprofielScore
from places.selectors import Kerncijfers, werkgebied_kerncijfers

# The three Wijkprofiel indices in the order of the portal's tables: field, colour of its bar.
# The colours are the portal's own, each at least 3:1 against white (WCAG 1.4.11).
INDICES = (
    ("sociale_index", "#00457c"),
    ("fysieke_index", "#146c43"),
    ("veiligheidsindex", "#8a4b00"),
)

# Geometry of the bar chart, in SVG user units (it scales to the width of the page).
_BREEDTE = 640
_LABEL = 190  # room for the wijk names, right-aligned against the bars
_RUIMTE_WAARDE = 40  # room for the value printed after the longest bar
_BALK = 12
_TUSSEN_BALKEN = 2
_TUSSEN_GROEPEN = 16
_LEGENDA = 34
_AS = 38


@dataclass(frozen=True)
class Balk:
    y: int
    breedte: float
    x_waarde: float
    y_tekst: int
    # A white backing behind the value, so the reference line never runs through it.
    x_achter: float
    breedte_achter: int
    waarde: int
    kleur: str
    label: str


@dataclass(frozen=True)
class Groep:
    naam: str
    y_label: int
    balken: list[Balk]
    totaal: bool = False


@dataclass(frozen=True)
class Grafiek:
    """A horizontal grouped bar chart, laid out here because templates cannot do sums."""

    breedte: int
    hoogte: int
    x0: int
    x_label: int
    x_eind: float
    y_boven: int
    y_as: int
    y_schaal: int
    y_referentie: int
    groepen: list[Groep]
    schaal: list[tuple[float, int]]
    referentie_x: float
    # (x of the swatch, x of its text, colour, label)
    legenda: list[tuple[int, int, str, str]]


def _index_labels() -> dict[str, str]:
    return {
        "sociale_index": _("Sociaal"),
        "fysieke_index": _("Fysiek"),
        "veiligheidsindex": _("Veiligheid"),
    }


def _grafiek(kerncijfers: Kerncijfers) -> Grafiek | None:
    """Lay out the bars of the wijken that have scores (and of the werkgebied as a whole)."""
    labels = _index_labels()
    rijen = [(wijk.naam, score, False) for wijk, score in kerncijfers.wijken if score]
    if not rijen:
        return None
    if len(kerncijfers.wijken) > 1 and kerncijfers.sociale_index is not None:
        rijen.append((_("Werkgebied (gewogen)"), kerncijfers, True))
    hoogste = max(getattr(score, veld) or 0 for _n, score, _t in rijen for veld, _k in INDICES)
    # Up to the next 50, and at least past 100, so the reference line always shows.
    maximum = max(150, -(-hoogste // 50) * 50)
    x0 = _LABEL
    lengte = _BREEDTE - _LABEL - _RUIMTE_WAARDE

    def x(waarde):
        return round(x0 + lengte * waarde / maximum, 1)

    groepen = []
    y = _LEGENDA
    for naam, score, totaal in rijen:
        balken = []
        for i, (veld, kleur) in enumerate(INDICES):
            waarde = getattr(score, veld)
            if waarde is None:
                continue
            balken.append(
                Balk(
                    y=y + i * (_BALK + _TUSSEN_BALKEN),
                    breedte=round(x(waarde) - x0, 1),
                    x_waarde=round(x(waarde) + 4, 1),
                    y_tekst=y + i * (_BALK + _TUSSEN_BALKEN) + 10,
                    x_achter=round(x(waarde) + 2, 1),
                    breedte_achter=7 * len(str(waarde)) + 4,
                    waarde=waarde,
                    kleur=kleur,
                    label=labels[veld],
                )
            )
        groep_hoogte = len(INDICES) * _BALK + (len(INDICES) - 1) * _TUSSEN_BALKEN
        groepen.append(
            Groep(naam=naam, y_label=y + groep_hoogte // 2 + 4, balken=balken, totaal=totaal)
        )
        y += groep_hoogte + _TUSSEN_GROEPEN
    y_as = y - _TUSSEN_GROEPEN + 6
    return Grafiek(
        breedte=_BREEDTE,
        hoogte=y_as + _AS,
        x0=x0,
        x_label=x0 - 8,
        x_eind=x(maximum),
        y_boven=_LEGENDA - 6,
        y_as=y_as,
        y_schaal=y_as + 15,
        y_referentie=y_as + 30,
        groepen=groepen,
        schaal=[(x(w), w) for w in range(0, maximum + 1, 50)],
        referentie_x=x(100),
        legenda=[
            (x0 + i * 130, x0 + i * 130 + 18, kleur, labels[veld])
            for i, (veld, kleur) in enumerate(INDICES)
        ],
    )


def _werkgebied(werkgebied_id: int) -> Werkgebied:
    """The werkgebied with its gebied, wijkraad, wijken and their Wijkprofiel: three queries,
    whatever the number of wijken and scores."""
    return (
        Werkgebied.objects.select_related("gebied", "wijkraad")
        .prefetch_related(
            Prefetch(
                "wijken",
                queryset=Wijk.objects.order_by("naam").prefetch_related(
                    Prefetch("wijkprofiel", queryset=WijkprofielScore.objects.order_by("jaar"))
                ),
            )
        )
        .get(pk=werkgebied_id)
    )


def documenttitel(titel: str, werkgebied: str, jaar: int) -> str:
    """The product's title, completed with the werkgebied and year where it lacks them, so the
    document (and the PDF's metadata) says what it is on its own."""
    ontbreekt = [
        deel for deel in (werkgebied, str(jaar)) if deel.casefold() not in titel.casefold()
    ]
    return f"{titel} — {' '.join(ontbreekt)}" if ontbreekt else titel


def render_snapshot(
    product,
    *,
    versie: int,
    gepubliceerd_op: datetime.datetime,
    gepubliceerd_door: str = "",
    correctie_reden: str = "",
) -> str:
    """The standalone HTML5 document of ``product`` as published as version ``versie``.

    ``gepubliceerd_door`` is the public name of who published (never an e-mail address: one
    that looks like it is left out); ``correctie_reden`` why this version corrects the one
    before it. Costs at most ten queries (one for the wijkraad's advice on an agenda or
    programme, two for the nota van beantwoording, three for a wijkverslag's jaarrekening)."""
    cyclus = product.cyclus
    werkgebied = _werkgebied(cyclus.werkgebied_id)
    wijken = list(werkgebied.wijken.all())
    kerncijfers = werkgebied_kerncijfers(wijken)
    try:
        wijkraad = werkgebied.wijkraad
    except ObjectDoesNotExist:
        wijkraad = None
    gepubliceerd_lokaal = timezone.localtime(gepubliceerd_op).replace(microsecond=0)
    door = gepubliceerd_door.strip()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "product": product,
            "soort": product.SOORT,
            "soort_naam": product._meta.verbose_name,
            "titel": documenttitel(product.titel, werkgebied.naam, cyclus.jaar),
            "jaar": cyclus.jaar,
            "werkgebied": werkgebied,
            "wijkraad": wijkraad,
            "wijken": wijken,
            "versie": versie,
            "vorige_versie": versie - 1,
            "correctie_reden": correctie_reden.strip(),
            "gepubliceerd_op": gepubliceerd_lokaal,
            "gepubliceerd_iso": gepubliceerd_lokaal.isoformat(),
            "gepubliceerd_door": "" if "@" in door else door,
            "secties": [
                {"id": f"sectie-{nummer}", "kop": str(kop), "tekst": tekst.strip()}
                for nummer, (kop, tekst) in enumerate(product.secties(), start=1)
            ],
            "kerncijfers": kerncijfers,
            "grafiek": _grafiek(kerncijfers),
            # The product's structured content (themes, agendapunten…), as the public reads it.
            "inhoud": product_inhoud(product),
            # The wijkraad's advice on it and the answers (the agenda and the programme).
            "adviezen": adviezen_voor_product(product),
            # The nota van beantwoording: every placed reaction of its consultation,
            # anonymised, with its answer and what changed (None without a consultation).
            "nota": nota_van_beantwoording(product),
            # The wijkverslag's jaarrekening, read from the wijkbudget's ledger (three
            # queries; the other products have none).
            "jaarrekening": jaarrekening(werkgebied, cyclus.jaar)
            if product.SOORT == "wijkverslag"
            else None,
        }
        return render_to_string(f"publication/snapshot/{product.SOORT}.html", context)
