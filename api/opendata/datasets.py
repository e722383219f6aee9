"""The open data sets: what each one holds, field by field, and how its rows are read.

Four sets, each per year:

* ``werkgebieden`` and ``wijken``: the places with their Wijkprofiel indices of one measuring
  year and their inhabitants, as CSV and as GeoJSON (RFC 7946: WGS84 lon/lat, a
  ``FeatureCollection``, exterior rings counterclockwise, six decimals). The boundaries are the
  union of the CBS buurten each wijk is made of (``places.geo``); a werkgebied's indices are
  rolled up from its wijken exactly as its page does (``places.selectors``).
* ``acties``: the initiatives (acties) of every *published* wijkprogramma of a programme year
  with their execution status. A programme in concept, in consultation, adopted but not yet
  published, or reopened for a correction is left out: those are either not public at all or
  public only as their frozen published version, never as the live rows read here. So every
  row is one the public initiative page shows (``cycle.view_product`` for anyone).
* ``meldingen``: how many meldingen came in per theme and per CBS buurt (the wijk where the
  buurt is unknown) in a calendar year. Counts only: no text, no place, no date, no reporter.
  Small counts are *not* suppressed: every melding is already listed one by one on the public
  list (``/meldingen/``) with its theme, wijk, status and date, and the wijk pages show the
  counts per buurt; suppressing cells here would hide nothing and would make the totals differ
  from what the public pages count.

What is left out on purpose: e-mail addresses, names (the trekker of an initiative, the name a
residents' group goes by, which is free text and may be a person's name), the texts of
meldingen, answers and notes, the points on the map, photos.

Every reader below costs a fixed number of queries whatever the number of rows. Values are
written as stable codes (status values, slugs), not as translated labels, so a file is the same
in every language; the data page explains the codes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cycle.models import (
    Afloop,
    Financiering,
    Initiatief,
    Oordeel,
    Participatieniveau,
    Productstatus,
    Uitvoeringsstatus,
    Werkcyclus,
)
from cycle.selectors_verslag import effectieve_afloop
from participation.models import OPEN_STATUSSEN, Melding, Thema
from places import geo
from places.models import Werkgebied, Wijk, WijkprofielScore
from places.selectors import werkgebied_kerncijfers

CSV, GEOJSON = "csv", "geojson"
CONTENT_TYPES = {CSV: "text/csv; charset=utf-8", GEOJSON: "application/geo+json"}
FORMAAT_NAMEN = {CSV: "CSV", GEOJSON: "GeoJSON"}
# What joins several values in one CSV cell (CBS codes, slugs): neither holds it.
LIJST_SCHEIDING = "|"
# RFC 7946 §11.2: six decimals of a degree are about 10 cm, more than the source's precision.
DECIMALEN = 6

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"
CC_BY = "https://creativecommons.org/licenses/by/4.0/deed.nl"


@dataclass(frozen=True)
class Veld:
    naam: str
    betekenis: Promise | str
    eenheid: Promise | str = ""


@dataclass(frozen=True)
class Dataset:
    slug: str
    titel: Promise
    beschrijving: Promise
    rij: Promise  # what one row (or feature) is
    jaar: Promise  # what the year of a file means
    bron: Promise
    licentie: Promise
    frequentie: Promise
    formaten: tuple[str, ...]
    velden: tuple[Veld, ...]
    # The geometry of a GeoJSON feature, described like a field.
    geometrie: Veld | None = None

    @property
    def veldnamen(self) -> list[str]:
        return [veld.naam for veld in self.velden]


def _waarden(choices) -> str:
    return ", ".join(choices.values)


_INDEX_EENHEID = _("indexpunten; 100 = het gemiddelde van Rotterdam in 2014")
_WIJKPROFIEL = _(
    "Index uit het Wijkprofiel van de gemeente Rotterdam voor dit meetjaar: het gemiddelde van "
    "objectieve themascores (registraties) en subjectieve (de wijkenquête onder bewoners). Leeg "
    "als de wijk dit jaar geen score heeft."
)
_SOCIAAL = _(
    "Sociale index: beleving van de kwaliteit van leven, zelfredzaamheid, samenredzaamheid, "
    "participatie en binding."
)
_FYSIEK = _("Fysieke index: woonbeleving, wonen, openbare ruimte, voorzieningen en milieu.")
_VEILIG = _(
    "Veiligheidsindex: veiligheidsbeleving, diefstal, geweld, inbraak, vandalisme en overlast."
)
_GEWOGEN = _("Gewogen naar het aantal inwoners van de wijken.")
_INWONERS = _(
    "Aantal inwoners volgens het CBS (het laatst bekende aantal, zie inwoners_jaar; niet dat van "
    "het meetjaar)."
)
_URL = _("Adres van de pagina in het portaal.")
_PLAATSEN_BRON = _(
    "Indeling en namen: het portaal (werkgebieden en wijkraden sinds maart 2022). Indices: "
    "gemeente Rotterdam, Wijkprofiel (OBI). Inwoners en grenzen: CBS, Kerncijfers wijken en "
    "buurten en de Wijk- en buurtkaart (de grenzen van een oudere CBS-indeling, ongeveer "
    "2014–2016)."
)
_PLAATSEN_LICENTIE = _(
    "De indeling en de namen van het portaal: CC0 1.0 (publiek domein). De cijfers en grenzen "
    "van anderen houden de voorwaarden van hun bron: vermeld bij hergebruik ‘CBS’ (CC BY 4.0) "
    "en ‘gemeente Rotterdam, Wijkprofiel’."
)
_PLAATSEN_FREQUENTIE = _(
    "Het Wijkprofiel wordt om de twee jaar gemeten (even jaren); een nieuw meetjaar staat hier "
    "zodra het is ingelezen. Namen en indeling volgen elke wijziging direct."
)
_GEOMETRIE = Veld(
    "geometry",
    _(
        "Alleen in GeoJSON: de grens als MultiPolygon, de vereniging van de CBS-buurten. Leeg "
        "(null) als de buurten niet bekend zijn. Wijken die één CBS-buurt delen hebben dezelfde "
        "grens."
    ),
    _("graden (WGS84: lengtegraad, breedtegraad)"),
)

WERKGEBIEDEN = Dataset(
    slug="werkgebieden",
    titel=_("Werkgebieden met hun Wijkprofiel"),
    beschrijving=_(
        "De 39 werkgebieden: het gebied van één wijkraad of dorpsraad, waarvoor de jaarlijkse "
        "werkcyclus draait. Met hun wijken, inwoners en de drie indices van het Wijkprofiel, "
        "gewogen naar het aantal inwoners van de wijken, zoals de pagina van het werkgebied ze "
        "toont."
    ),
    rij=_("één werkgebied"),
    jaar=_("het meetjaar van het Wijkprofiel"),
    bron=_PLAATSEN_BRON,
    licentie=_PLAATSEN_LICENTIE,
    frequentie=_PLAATSEN_FREQUENTIE,
    formaten=(CSV, GEOJSON),
    velden=(
        Veld("jaar", _("Meetjaar van het Wijkprofiel."), _("jaartal")),
        Veld("werkgebied_slug", _("Vaste code van het werkgebied in het portaal.")),
        Veld("werkgebied", _("Naam van het werkgebied.")),
        Veld("wijkraad", _("Naam van de wijkraad of dorpsraad van het werkgebied.")),
        Veld("wijkraad_soort", _("‘wijkraad’ of ‘dorpsraad’.")),
        Veld("gebied_code", _("CBS-code van het gebied waarin het werkgebied ligt."), "WK0599xx"),
        Veld("gebied", _("Naam van het gebied.")),
        Veld(
            "wijken",
            format_lazy(
                _("Codes (wijk_slug) van de wijken van het werkgebied, gescheiden door ‘{}’."),
                LIJST_SCHEIDING,
            ),
        ),
        Veld("aantal_wijken", _("Aantal wijken in het werkgebied."), _("aantal")),
        Veld(
            "inwoners",
            _(
                "Inwoners van de wijken samen (wijken die één CBS-buurt delen tellen één keer), "
                "het laatst bekende aantal van het CBS."
            ),
            _("personen"),
        ),
        Veld("inwoners_jaar", _("Jaar waarop het aantal inwoners betrekking heeft."), _("jaartal")),
        Veld(
            "sociale_index",
            format_lazy("{} {} {}", _SOCIAAL, _WIJKPROFIEL, _GEWOGEN),
            _INDEX_EENHEID,
        ),
        Veld(
            "fysieke_index",
            format_lazy("{} {} {}", _FYSIEK, _WIJKPROFIEL, _GEWOGEN),
            _INDEX_EENHEID,
        ),
        Veld(
            "veiligheidsindex",
            format_lazy("{} {} {}", _VEILIG, _WIJKPROFIEL, _GEWOGEN),
            _INDEX_EENHEID,
        ),
        Veld("url", _URL),
    ),
    geometrie=_GEOMETRIE,
)

WIJKEN = Dataset(
    slug="wijken",
    titel=_("Wijken met hun Wijkprofiel"),
    beschrijving=_(
        "De 71 wijken van het Wijkprofiel, met hun gebied, hun werkgebied (CS-kwartier heeft "
        "geen wijkraad), hun CBS-buurten, inwoners en de drie indices van het Wijkprofiel."
    ),
    rij=_("één wijk"),
    jaar=_("het meetjaar van het Wijkprofiel"),
    bron=_PLAATSEN_BRON,
    licentie=_PLAATSEN_LICENTIE,
    frequentie=_PLAATSEN_FREQUENTIE,
    formaten=(CSV, GEOJSON),
    velden=(
        Veld("jaar", _("Meetjaar van het Wijkprofiel."), _("jaartal")),
        Veld("wijk_slug", _("Vaste code van de wijk in het portaal.")),
        Veld("wijk", _("Naam van de wijk.")),
        Veld("gebied_code", _("CBS-code van het gebied."), "WK0599xx"),
        Veld("gebied", _("Naam van het gebied.")),
        Veld("werkgebied_slug", _("Code van het werkgebied; leeg voor een wijk zonder wijkraad.")),
        Veld("werkgebied", _("Naam van het werkgebied; leeg voor een wijk zonder wijkraad.")),
        Veld(
            "cbs_buurtcodes",
            format_lazy(
                _("CBS-codes van de buurten waaruit de wijk bestaat, gescheiden door ‘{}’."),
                LIJST_SCHEIDING,
            ),
            "BU0599xxyy",
        ),
        Veld(
            "inwoners",
            format_lazy(
                "{} {}",
                _INWONERS,
                _(
                    "Wijken die één CBS-buurt delen (Groot-IJsselmonde-Noord en -Zuid) hebben "
                    "hetzelfde getal: tel het niet dubbel."
                ),
            ),
            _("personen"),
        ),
        Veld("inwoners_jaar", _("Jaar waarop het aantal inwoners betrekking heeft."), _("jaartal")),
        Veld("sociale_index", format_lazy("{} {}", _SOCIAAL, _WIJKPROFIEL), _INDEX_EENHEID),
        Veld("fysieke_index", format_lazy("{} {}", _FYSIEK, _WIJKPROFIEL), _INDEX_EENHEID),
        Veld("veiligheidsindex", format_lazy("{} {}", _VEILIG, _WIJKPROFIEL), _INDEX_EENHEID),
        Veld("url", _URL),
    ),
    geometrie=_GEOMETRIE,
)

ACTIES = Dataset(
    slug="acties",
    titel=_("Acties uit de wijkprogramma's, met hun status"),
    beschrijving=_(
        "De acties (initiatieven) van elk gepubliceerd wijkprogramma van een programmajaar, "
        "met wie ze uitvoert, de planning, het benodigde bedrag, de stand van de uitvoering en "
        "hoe het jaar afliep. Alleen gepubliceerde programma's: concepten, programma's in "
        "consultatie of in correctie en vastgestelde maar nog niet gepubliceerde programma's "
        "staan er niet in. Geen namen van personen."
    ),
    rij=_("één actie"),
    jaar=_("het programmajaar: het jaar waarin de acties worden uitgevoerd"),
    bron=_("Het portaal: de wijkprogramma's zoals de wijkmanagers en wijkraden ze opstellen."),
    licentie=_("CC0 1.0 (publiek domein)."),
    frequentie=_(
        "Doorlopend: het bestand toont de stand van het moment van downloaden en volgt elke "
        "wijziging direct."
    ),
    formaten=(CSV,),
    velden=(
        Veld("jaar", _("Programmajaar."), _("jaartal")),
        Veld("werkgebied_slug", _("Code van het werkgebied.")),
        Veld("werkgebied", _("Naam van het werkgebied.")),
        Veld("gebied", _("Naam van het gebied.")),
        Veld("initiatief_id", _("Vast nummer van de actie in het portaal.")),
        Veld("titel", _("Titel van de actie.")),
        Veld("agendapunt", _("Titel van het agendapunt van de wijkagenda dat de actie dient.")),
        Veld(
            "eigenaar_soort",
            _("Wie de actie uitvoert: ‘cluster’ (van de gemeente), ‘partner’ of ‘bewonersgroep’."),
        ),
        Veld(
            "eigenaar",
            _(
                "Naam van het cluster of de partner. Leeg voor een bewonersgroep: die naam is "
                "vrije tekst en kan een persoonsnaam zijn."
            ),
        ),
        Veld(
            "participatieniveau",
            format_lazy(_("Trede op de participatieladder: {}."), _waarden(Participatieniveau)),
        ),
        Veld("start", _("Geplande start."), _("datum (JJJJ-MM-DD)")),
        Veld("eind", _("Gepland einde."), _("datum (JJJJ-MM-DD)")),
        Veld(
            "verwacht_eind",
            _("Verwachte nieuwe einddatum van een vertraagde actie; anders leeg."),
            _("datum (JJJJ-MM-DD)"),
        ),
        Veld(
            "financiering",
            format_lazy(_("Waar het geld vandaan komt: {}."), _waarden(Financiering)),
        ),
        Veld("bedrag", _("Benodigd bedrag, met een punt als decimaalteken."), _("euro")),
        Veld("status", format_lazy(_("Stand van de uitvoering: {}."), _waarden(Uitvoeringsstatus))),
        Veld(
            "percentage", _("Voortgang volgens de laatste voortgangsmelding."), _("procent (0–100)")
        ),
        Veld(
            "laatste_update",
            _("Datum van de laatste voortgangsmelding; leeg als die er nog niet is."),
            _("datum (JJJJ-MM-DD)"),
        ),
        Veld(
            "afloop",
            format_lazy(
                _(
                    "Hoe de actie het jaar afsloot, zoals de wijkmanager dat vastlegde: {}; leeg "
                    "zolang dat nog niet is vastgelegd."
                ),
                _waarden(Afloop),
            ),
        ),
        Veld(
            "eindstand",
            _(
                "Hoe het twaalfmaandenrapport de actie telt: de vastgelegde afloop; zonder "
                "afloop gerealiseerd of geschrapt als de uitvoering gerealiseerd of gestopt is; "
                "anders open."
            ),
        ),
        Veld(
            "oordeel",
            format_lazy(
                _("Oordeel van de wijkraad over de actie: {}; leeg zolang er geen oordeel is."),
                _waarden(Oordeel),
            ),
        ),
        Veld(
            "doorgeschoven_van",
            _("initiatief_id van de actie uit een vorig jaar die hier wordt voortgezet; of leeg."),
        ),
        Veld("url", _URL),
    ),
)

MELDINGEN = Dataset(
    slug="meldingen",
    titel=_("Meldingen per thema en buurt"),
    beschrijving=_(
        "Hoeveel meldingen bewoners in een kalenderjaar deden, per thema en per CBS-buurt. "
        "Alleen aantallen: geen tekst, geen plek, geen datum, geen melder. Als de buurt van een "
        "melding niet bekend is (een wijk van meer buurten en geen punt op de kaart), telt hij "
        "mee bij de wijk met een lege buurt. Kleine aantallen worden niet weggelaten: elke "
        "melding staat met thema, wijk en datum al op de openbare lijst van meldingen."
    ),
    rij=_("één combinatie van thema, wijk en buurt met ten minste één melding"),
    jaar=_("het kalenderjaar waarin de meldingen zijn gedaan (Nederlandse tijd)"),
    bron=_("Het portaal: de meldingen van bewoners."),
    licentie=_("CC0 1.0 (publiek domein)."),
    frequentie=_(
        "Doorlopend: het bestand toont de stand van het moment van downloaden en volgt elke "
        "nieuwe melding direct."
    ),
    formaten=(CSV,),
    velden=(
        Veld("jaar", _("Kalenderjaar waarin de meldingen zijn gedaan."), _("jaartal")),
        Veld("thema_slug", _("Vaste code van het thema.")),
        Veld("thema", _("Naam van het thema.")),
        Veld("wijk_slug", _("Code van de wijk waarover de meldingen gaan.")),
        Veld("wijk", _("Naam van de wijk.")),
        Veld(
            "buurtcode", _("CBS-code van de buurt; leeg als de buurt niet bekend is."), "BU0599xxyy"
        ),
        Veld("buurt", _("Naam van de CBS-buurt; leeg als de buurt niet bekend is.")),
        Veld("aantal", _("Aantal meldingen dat dat jaar is gedaan."), _("aantal")),
        Veld(
            "aantal_open",
            _(
                "Hoeveel daarvan op het moment van downloaden nog open zijn (nieuw, in behandeling "
                "of doorgezet)."
            ),
            _("aantal"),
        ),
    ),
)

DATASETS = {d.slug: d for d in (WERKGEBIEDEN, WIJKEN, ACTIES, MELDINGEN)}


# --- Years --------------------------------------------------------------------------------


def jaren() -> dict[str, list[int]]:
    """The years each set has data for, newest first (three queries)."""
    # order_by: the models' own ordering would add columns to the DISTINCT.
    wijkprofiel = list(
        WijkprofielScore.objects.order_by("-jaar").values_list("jaar", flat=True).distinct()
    )
    acties = list(
        Werkcyclus.objects.filter(wijkprogramma__status=Productstatus.GEPUBLICEERD)
        .order_by("-jaar")
        .values_list("jaar", flat=True)
        .distinct()
    )
    meldingen = [
        moment.year
        for moment in Melding.objects.datetimes(
            "ingediend_op", "year", order="DESC", tzinfo=timezone.get_current_timezone()
        )
    ]
    return {
        WERKGEBIEDEN.slug: wijkprofiel,
        WIJKEN.slug: wijkprofiel,
        ACTIES.slug: acties,
        MELDINGEN.slug: meldingen,
    }


# --- Rows ---------------------------------------------------------------------------------


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _codes(wijk: Wijk) -> tuple[str, ...]:
    codes = wijk.cbs_buurtcodes if isinstance(wijk.cbs_buurtcodes, list) else []
    return tuple(code for code in codes if isinstance(code, str))


def _scores(jaar: int) -> Prefetch:
    return Prefetch("wijkprofiel", queryset=WijkprofielScore.objects.filter(jaar=jaar))


def _wijken(jaar: int) -> list[tuple[dict, tuple[str, ...]]]:
    """The rows of ``wijken`` with each wijk's CBS buurten (two queries)."""
    rijen = []
    wijken = (
        Wijk.objects.select_related("gebied", "werkgebied")
        .prefetch_related(_scores(jaar))
        .order_by("naam", "pk")
    )
    for wijk in wijken:
        scores = list(wijk.wijkprofiel.all())
        score = scores[0] if scores else None
        codes = _codes(wijk)
        werkgebied = wijk.werkgebied
        rijen.append(
            (
                {
                    "jaar": jaar,
                    "wijk_slug": wijk.slug,
                    "wijk": wijk.naam,
                    "gebied_code": wijk.gebied.code,
                    "gebied": wijk.gebied.naam,
                    "werkgebied_slug": werkgebied.slug if werkgebied else None,
                    "werkgebied": werkgebied.naam if werkgebied else None,
                    "cbs_buurtcodes": LIJST_SCHEIDING.join(codes),
                    "inwoners": wijk.inwoners,
                    "inwoners_jaar": wijk.inwoners_jaar,
                    "sociale_index": score.sociale_index if score else None,
                    "fysieke_index": score.fysieke_index if score else None,
                    "veiligheidsindex": score.veiligheidsindex if score else None,
                    "url": _url(wijk.get_absolute_url()),
                },
                codes,
            )
        )
    return rijen


def _werkgebieden(jaar: int) -> list[tuple[dict, tuple[str, ...]]]:
    """The rows of ``werkgebieden`` with the CBS buurten of all their wijken (three queries);
    the indices rolled up by the same function as the werkgebied's page."""
    wijken = Wijk.objects.prefetch_related(_scores(jaar)).order_by("naam", "pk")
    werkgebieden = (
        Werkgebied.objects.select_related("gebied", "wijkraad")
        .prefetch_related(Prefetch("wijken", queryset=wijken))
        .order_by("naam", "pk")
    )
    rijen = []
    for werkgebied in werkgebieden:
        lijst = list(werkgebied.wijken.all())
        kern = werkgebied_kerncijfers(lijst)
        wijkraad = getattr(werkgebied, "wijkraad", None)
        codes = tuple(sorted({code for wijk in lijst for code in _codes(wijk)}))
        peiljaren = [wijk.inwoners_jaar for wijk in lijst if wijk.inwoners and wijk.inwoners_jaar]
        rijen.append(
            (
                {
                    "jaar": jaar,
                    "werkgebied_slug": werkgebied.slug,
                    "werkgebied": werkgebied.naam,
                    "wijkraad": wijkraad.naam if wijkraad else None,
                    "wijkraad_soort": wijkraad.soort if wijkraad else None,
                    "gebied_code": werkgebied.gebied.code,
                    "gebied": werkgebied.gebied.naam,
                    "wijken": LIJST_SCHEIDING.join(wijk.slug for wijk in lijst),
                    "aantal_wijken": len(lijst),
                    "inwoners": kern.inwoners or None,
                    "inwoners_jaar": max(peiljaren) if peiljaren else None,
                    # None for every index when no wijk has a score of this year.
                    "sociale_index": kern.sociale_index if kern.jaar == jaar else None,
                    "fysieke_index": kern.fysieke_index if kern.jaar == jaar else None,
                    "veiligheidsindex": kern.veiligheidsindex if kern.jaar == jaar else None,
                    "url": _url(werkgebied.get_absolute_url()),
                },
                codes,
            )
        )
    return rijen


def _eigenaar(initiatief: Initiatief) -> tuple[str, str]:
    if initiatief.cluster_id:
        return "cluster", initiatief.cluster.naam
    if initiatief.partner_id:
        return "partner", initiatief.partner.naam
    return "bewonersgroep", ""


def _datum(moment) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


def _acties(jaar: int) -> list[dict]:
    """The initiatives of the published programmes of ``jaar`` (one query)."""
    initiatieven = (
        Initiatief.objects.filter(
            wijkprogramma__status=Productstatus.GEPUBLICEERD, wijkprogramma__cyclus__jaar=jaar
        )
        .select_related(
            "wijkprogramma__cyclus__werkgebied__gebied", "agendapunt", "cluster", "partner"
        )
        .only(
            "titel",
            "cluster",
            "partner",
            "participatieniveau",
            "start",
            "eind",
            "verwacht_eind",
            "financiering",
            "bedrag",
            "status",
            "percentage",
            "laatste_update",
            "afloop",
            "oordeel",
            "doorgeschoven_van",
            # The state fields of models with ConcurrentTransitionMixin, which reads them
            # as each row is loaded (deferring them would load every row again).
            "toezegging",
            "wijkprogramma__status",
            "wijkprogramma__cyclus__fase",
            "wijkprogramma__cyclus__jaar",
            "wijkprogramma__cyclus__werkgebied__naam",
            "wijkprogramma__cyclus__werkgebied__slug",
            "wijkprogramma__cyclus__werkgebied__gebied__naam",
            "agendapunt__titel",
            "agendapunt__rang",
            "cluster__naam",
            "partner__naam",
        )
        .annotate(eindstand=effectieve_afloop())
        .order_by("wijkprogramma__cyclus__werkgebied__naam", "agendapunt__rang", "pk")
    )
    rijen = []
    for initiatief in initiatieven:
        cyclus = initiatief.wijkprogramma.cyclus
        werkgebied = cyclus.werkgebied
        soort, eigenaar = _eigenaar(initiatief)
        rijen.append(
            {
                "jaar": cyclus.jaar,
                "werkgebied_slug": werkgebied.slug,
                "werkgebied": werkgebied.naam,
                "gebied": werkgebied.gebied.naam,
                "initiatief_id": initiatief.pk,
                "titel": initiatief.titel,
                "agendapunt": initiatief.agendapunt.titel,
                "eigenaar_soort": soort,
                "eigenaar": eigenaar,
                "participatieniveau": initiatief.participatieniveau,
                "start": initiatief.start.isoformat(),
                "eind": initiatief.eind.isoformat(),
                "verwacht_eind": initiatief.verwacht_eind.isoformat()
                if initiatief.verwacht_eind
                else None,
                "financiering": initiatief.financiering,
                "bedrag": f"{initiatief.bedrag:.2f}",
                "status": initiatief.status,
                "percentage": initiatief.percentage,
                "laatste_update": _datum(initiatief.laatste_update),
                "afloop": initiatief.afloop,
                "eindstand": initiatief.eindstand,
                "oordeel": initiatief.oordeel,
                "doorgeschoven_van": initiatief.doorgeschoven_van_id,
                "url": _url(
                    reverse(
                        "initiatief-detail",
                        kwargs={"slug": werkgebied.slug, "jaar": cyclus.jaar, "pk": initiatief.pk},
                    )
                ),
            }
        )
    return rijen


def _meldingen(jaar: int) -> list[dict]:
    """Meldingen of ``jaar`` counted per theme, wijk and buurt (three queries). Without a
    point, a melding in a wijk of one buurt lies in that buurt (as on the wijk's page)."""
    tellingen = (
        Melding.objects.filter(ingediend_op__year=jaar)
        .values("thema_id", "wijk_id", "buurtcode")
        .annotate(aantal=Count("pk"), aantal_open=Count("pk", filter=Q(status__in=OPEN_STATUSSEN)))
        .order_by()
    )
    per_sleutel: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    rijen_db = list(tellingen)
    if not rijen_db:
        return []
    themas = {thema.pk: thema for thema in Thema.objects.only("naam", "slug")}
    wijken = {wijk.pk: wijk for wijk in Wijk.objects.only("naam", "slug", "cbs_buurtcodes")}
    for rij in rijen_db:
        wijk = wijken[rij["wijk_id"]]
        codes = _codes(wijk)
        buurtcode = rij["buurtcode"] or (codes[0] if len(codes) == 1 else "")
        teller = per_sleutel[(rij["thema_id"], rij["wijk_id"], buurtcode)]
        teller[0] += rij["aantal"]
        teller[1] += rij["aantal_open"]
    namen = geo.buurt_namen()
    rijen = []
    for (thema_id, wijk_id, buurtcode), (aantal, aantal_open) in per_sleutel.items():
        thema, wijk = themas[thema_id], wijken[wijk_id]
        rijen.append(
            {
                "jaar": jaar,
                "thema_slug": thema.slug,
                "thema": thema.naam,
                "wijk_slug": wijk.slug,
                "wijk": wijk.naam,
                "buurtcode": buurtcode,
                "buurt": namen.get(buurtcode, "") if buurtcode else "",
                "aantal": aantal,
                "aantal_open": aantal_open,
            }
        )
    rijen.sort(key=lambda r: (r["thema"], r["wijk"], r["buurt"], r["buurtcode"]))
    return rijen


# --- Geometry -----------------------------------------------------------------------------


@functools.cache
def _buurt_index() -> dict[str, int]:
    return {buurt.code: i for i, buurt in enumerate(geo._buurten().buurten)}


@functools.lru_cache(maxsize=512)
def _geometrie(codes: tuple[str, ...]) -> dict | None:
    """The union of the CBS buurten ``codes`` as a GeoJSON MultiPolygon (RFC 7946: lon/lat,
    exterior rings counterclockwise, holes clockwise), or None when none is known. Snapped to
    a grid of 10⁻⁶ degrees, which keeps it valid, then rounded so the numbers print short."""
    index = _buurt_index()
    vormen = [geo._buurten().vormen[index[code]] for code in codes if code in index]
    if not vormen:
        return None
    vorm = shapely.set_precision(shapely.union_all(vormen), 10**-DECIMALEN)
    vorm = shapely.orient_polygons(vorm, exterior_cw=False)
    vorm = shapely.transform(vorm, lambda coords: np.round(coords, DECIMALEN))
    delen = [
        deel
        for deel in shapely.get_parts(vorm)
        if isinstance(deel, shapely.Polygon) and not deel.is_empty
    ]
    if not delen:
        return None
    veelhoeken = []
    for veelhoek in delen:
        ringen = [veelhoek.exterior, *veelhoek.interiors]
        veelhoeken.append([[list(punt) for punt in ring.coords] for ring in ringen])
    return {"type": "MultiPolygon", "coordinates": veelhoeken}


# --- Files --------------------------------------------------------------------------------


def _cel(waarde) -> str:
    return "" if waarde is None else str(waarde)


def csv_bestand(dataset: Dataset, rijen: list[dict]) -> bytes:
    """UTF-8 without a byte order mark, comma-separated, a header row, quoted where needed
    (RFC 4180, CRLF line ends)."""
    uit = io.StringIO(newline="")
    schrijver = csv.writer(uit)
    schrijver.writerow(dataset.veldnamen)
    for rij in rijen:
        schrijver.writerow([_cel(rij[naam]) for naam in dataset.veldnamen])
    return uit.getvalue().encode("utf-8")


def geojson_bestand(dataset: Dataset, rijen: list[tuple[dict, tuple[str, ...]]]) -> bytes:
    features = [
        {
            "type": "Feature",
            "id": rij[dataset.veldnamen[1]],
            "geometry": _geometrie(codes),
            "properties": {naam: rij[naam] for naam in dataset.veldnamen},
        }
        for rij, codes in rijen
    ]
    collectie = {"type": "FeatureCollection", "features": features}
    return json.dumps(collectie, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bestand(dataset: Dataset, jaar: int, formaat: str) -> bytes:
    """The file of ``dataset`` for ``jaar`` in ``formaat`` (one of its formats)."""
    if dataset is WERKGEBIEDEN or dataset is WIJKEN:
        rijen = _werkgebieden(jaar) if dataset is WERKGEBIEDEN else _wijken(jaar)
        if formaat == GEOJSON:
            return geojson_bestand(dataset, rijen)
        return csv_bestand(dataset, [rij for rij, _buurten in rijen])
    rijen = _acties(jaar) if dataset is ACTIES else _meldingen(jaar)
    return csv_bestand(dataset, rijen)


__all__ = ["CONTENT_TYPES", "DATASETS", "FORMAAT_NAMEN", "Dataset", "Veld", "bestand", "jaren"]
