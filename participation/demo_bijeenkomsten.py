"""Meetings in the demo: for every demo werkgebied one meeting that took place (with its
outcome) and one to come, in the cycle and phase it belongs to; in Crooswijk also a meeting
still waiting for its verslag (on the wijkmanager's "Mijn werk") and a wijkschouw with three
findings, one of them already turned into a melding. Through the services; idempotent."""

import datetime
import uuid

from django.utils import timezone

from cycle.models import Werkcyclus
from places import geo
from places.models import Werkgebied, Wijk

from . import services_bijeenkomsten as services
from .models import Bijeenkomst, Thema

# (werkgebied, the account of its wijkmanager)
WERKGEBIEDEN = [
    ("crooswijk", "wijkmanager"),
    ("bospolder-spangen-tussendijken", "wijkmanager_delfshaven"),
    ("kralingen", "wijkmanager"),
    ("oude-noorden", "wijkmanager"),
    ("feijenoord", "wijkmanager_feijenoord"),
    ("delfshaven-schiemond", "wijkmanager_delfshaven"),
]
BEVINDINGEN = [
    "Afvalbak bij de speeltuin is kapot en zit vol.",
    "Losliggende stoeptegels voor de basisschool: struikelgevaar.",
    "Graffiti op de muur van het buurthuis.",
]


def _om(dagen: int, uur: int) -> datetime.datetime:
    dag = timezone.localdate() + datetime.timedelta(days=dagen)
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time(uur)))


def _punt(wijk) -> tuple:
    from decimal import Decimal

    buurten = geo._buurten()
    codes = [b.code for b in buurten.buurten]
    if not wijk.cbs_buurtcodes or wijk.cbs_buurtcodes[0] not in codes:
        return None, None
    p = buurten.vormen[codes.index(wijk.cbs_buurtcodes[0])].representative_point()
    return Decimal(str(round(p.x, 6))), Decimal(str(round(p.y, 6)))


def load(accounts) -> None:
    for slug, account in WERKGEBIEDEN:
        werkgebied = Werkgebied.objects.filter(slug=slug).first()
        user = accounts.get(account)
        if werkgebied is None or user is None:
            continue
        if Bijeenkomst.objects.filter(werkgebied=werkgebied).exists():
            continue
        cyclus = Werkcyclus.objects.filter(werkgebied=werkgebied).order_by("-jaar").first()
        fase = cyclus.fase if cyclus is not None and cyclus.fase != "afgerond" else ""
        geweest = services.bijeenkomst_plannen(
            werkgebied=werkgebied,
            user=user,
            soort="wijkraadvergadering",
            titel=f"Openbare vergadering wijkraad {werkgebied.naam}",
            begin=_om(-21, 19),
            einde=_om(-21, 21),
            plaats="Wijkgebouw",
            adres="",
            niveau="adviseren",
            agenda="1. Opening\n2. Inspreken\n3. Wijkakkoord: stand van zaken\n4. Rondvraag",
        )
        services.bijeenkomst_wijzigen(
            bijeenkomst_id=geweest.pk,
            user=user,
            expected_versie=geweest.versie,
            verslag=(
                "De wijkraad besprak de voortgang van het wijkakkoord. Drie bewoners spraken in "
                "over het groen op het plein; de wijkmanager neemt dit mee in de wijkanalyse."
            ),
            aantal_aanwezigen=27,
        )
        services.bijeenkomst_plannen(
            werkgebied=werkgebied,
            user=user,
            soort="themabijeenkomst",
            titel=f"Themabijeenkomst schoon en groen in {werkgebied.naam}",
            begin=_om(14, 19),
            einde=_om(14, 21),
            plaats="Buurthuis",
            adres="",
            niveau="raadplegen",
            cyclus=cyclus if fase else None,
            fase=fase,
            agenda="Wat gaat goed, wat kan beter? Uw inbreng gaat mee in de wijkaanpak.",
        )
        if slug == "crooswijk":
            _crooswijk(werkgebied, user, cyclus, fase)


def _crooswijk(werkgebied, user, cyclus, fase) -> None:
    services.bijeenkomst_plannen(
        werkgebied=werkgebied,
        user=user,
        soort="buurtgesprek",
        titel="Buurtgesprek Rubroek",
        begin=_om(-5, 15),
        einde=_om(-5, 17),
        plaats="Speeltuin Rubroek",
        adres="",
        niveau="raadplegen",
        cyclus=cyclus if fase else None,
        fase=fase,
    )
    schouw = services.bijeenkomst_plannen(
        werkgebied=werkgebied,
        user=user,
        soort="wijkschouw",
        titel="Wijkschouw Crooswijk",
        begin=_om(-1, 10),
        einde=_om(-1, 12),
        plaats="Start: Crooswijkseweg bij de kerk",
        adres="",
        niveau="coproduceren",
        cyclus=cyclus if fase else None,
        fase=fase,
        agenda="Een wandeling met bewoners, de wijkraad en Stadsbeheer langs de knelpunten.",
    )
    wijk = Wijk.objects.filter(werkgebied=werkgebied).order_by("naam").first()
    lon, lat = _punt(wijk) if wijk is not None else (None, None)
    gemaakt = []
    for n, tekst in enumerate(BEVINDINGEN):
        met_punt = n == 0 and lon is not None
        bevinding, _nieuw = services.bevinding_toevoegen(
            bijeenkomst_id=schouw.pk,
            user=user,
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-wijkschouw-crooswijk-{n}"),
            tekst=tekst,
            lengtegraad=lon if met_punt else None,
            breedtegraad=lat if met_punt else None,
            wijk=wijk if met_punt else None,
        )
        gemaakt.append(bevinding)
    thema = Thema.objects.filter(slug="schoon").first() or Thema.objects.first()
    if thema is not None:
        services.bevindingen_naar_meldingen(
            bijeenkomst_id=schouw.pk,
            user=user,
            bevinding_ids=[gemaakt[0].pk],
            thema=thema,
            wijk=wijk,
        )
