"""The wijkakkoorden of the demo, through the same services as the pages (run by
``cycle.demo.load_demo`` after the cycles; idempotent):

- Kralingen 2026–2029, published: three opgaven drawn from the wijk's agenda (schoon, veilig
  over straat, spelen), with doelen and resultaten; the agendapunten and initiatives of its
  2026 and 2027 cycles refer to them.
- Feijenoord 2026–2029, out for advice: the demo wijkraadslid (also of Feijenoord) can record
  the wijkraad's advice."""

import datetime

from django.utils import timezone

from people.models import Rol
from places.models import Werkgebied

from .models import Agendapunt, Akkoordstatus, Initiatief, Wijkakkoord, Wijkprogramma
from .services import _audit

STARTJAAR = 2026

KRALINGEN_VISIE = (
    "In 2029 is Kralingen een wijk waar bewoners hun straat schoon en heel terugvinden, waar "
    "kinderen veilig naar school lopen en buiten kunnen spelen, en waar bewoners, ondernemers "
    "en de gemeente samen verantwoordelijk zijn voor de buitenruimte.\n\n"
    "Dit akkoord is geen verlanglijst verdeeld over de clusters: de wijkraad en de gemeente "
    "spreken af wat de komende vier jaar voorgaat, en de jaarcycli maken het concreet."
)

# (opgave, beschrijving, [(doel, [(resultaat, indicator)])])
KRALINGEN_OPGAVEN = [
    (
        "Een schone en hele buitenruimte",
        "Afval naast de containers en rond de winkelstraat is de grootste ergernis in de "
        "wijk. Bewoners, ondernemers en Stadsbeheer pakken het samen aan.",
        [
            (
                "Minder afval op straat rond de winkelstraat",
                [
                    (
                        "De bijplaatsingen bij de ondergrondse containers zijn gehalveerd",
                        "meldingen over bijplaatsingen per maand, tegen de nulmeting van 2025",
                    ),
                    ("Elke buurt heeft een vaste schoonmaakdag met bewoners", ""),
                ],
            ),
        ],
    ),
    (
        "Veilig over straat, ook voor kinderen",
        "Ouders durven hun kinderen niet alleen naar school te laten lopen: te hard rijden, "
        "donkere routes. De schoolroutes worden veilig en goed verlicht.",
        [
            (
                "Veilige schoolroutes",
                [("Drie schoolzones heringericht, met ouders en kinderen ontworpen", "3 zones")],
            ),
            (
                "Goed verlichte looproutes",
                [("Nieuwe verlichting langs de drie schoolroutes", "aantal lichtmasten")],
            ),
        ],
    ),
    (
        "Ruimte om te spelen en elkaar te ontmoeten",
        "Voor kinderen boven de acht is er weinig te doen. Speelplekken worden vernieuwd met "
        "de kinderen zelf, dicht bij huis.",
        [
            (
                "Speelplekken voor kinderen boven de acht",
                [
                    (
                        "Twee vernieuwde speelplekken, door kinderen mee ontworpen",
                        "2 speelplekken open",
                    )
                ],
            ),
        ],
    ),
]

FEIJENOORD_VISIE = (
    "In 2029 wonen de mensen van Feijenoord in een wijk die vooruitgaat zonder hen achter te "
    "laten: meer kansen voor jongeren, woningen die op orde zijn, en een buitenruimte waar "
    "iedereen elkaar tegenkomt."
)
FEIJENOORD_OPGAVEN = [
    (
        "Kansen voor jongeren",
        "Jongeren vinden de weg naar school, stage en werk, dicht bij huis.",
        [("Meer jongeren met een startkwalificatie", [("Een leerwerkplek in elke buurt", "")])],
    ),
    (
        "Woningen op orde",
        "Vocht en achterstallig onderhoud bij de corporaties worden aangepakt.",
        [
            (
                "Minder klachten over vocht en schimmel",
                [("Alle gemelde vochtklachten binnen een jaar opgelost", "% opgelost")],
            )
        ],
    ),
]


def _vandaag_of_eerder(datum: datetime.date) -> datetime.date:
    return min(datum, timezone.localdate())


def _vullen(akkoord, user, visie, opgaven) -> Wijkakkoord:
    from .services_akkoord import (
        doel_toevoegen,
        opgave_toevoegen,
        resultaat_toevoegen,
        wijkakkoord_wijzigen,
    )

    def versie():
        return Wijkakkoord.objects.get(pk=akkoord.pk).versie

    wijkakkoord_wijzigen(
        akkoord=akkoord, user=user, expected_versie=versie(), titel=akkoord.titel, wijkvisie=visie
    )
    for titel, beschrijving, doelen in opgaven:
        opgave = opgave_toevoegen(
            akkoord=akkoord,
            user=user,
            expected_versie=versie(),
            titel=titel,
            beschrijving=beschrijving,
        )
        for doel_titel, resultaten in doelen:
            doel = doel_toevoegen(
                opgave=opgave, user=user, expected_versie=versie(), titel=doel_titel
            )
            for tekst, indicator in resultaten:
                resultaat_toevoegen(
                    doel=doel, user=user, expected_versie=versie(), tekst=tekst, indicator=indicator
                )
    return Wijkakkoord.objects.get(pk=akkoord.pk)


def _wijkraadslid_kralingen():
    from .demo import DEMO_EMAIL_DOMAIN, _rol, _user

    user = _user(f"wijkraadslid.kralingen{DEMO_EMAIL_DOMAIN}", "Kiki de Kralinger")
    _rol(user, Rol.WIJKRAADSLID, werkgebied=Werkgebied.objects.get(slug="kralingen"))
    return user


def _kralingen(accounts) -> None:
    from .services_akkoord import advies_vastleggen, wijkakkoord_aanmaken, wijkakkoord_transition

    werkgebied = Werkgebied.objects.filter(slug="kralingen").first()
    if werkgebied is None or Wijkakkoord.objects.filter(werkgebied=werkgebied).exists():
        return
    wijkmanager = accounts["wijkmanager"]
    wijkraadslid = _wijkraadslid_kralingen()
    akkoord = wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=STARTJAAR)
    akkoord = _vullen(akkoord, wijkmanager, KRALINGEN_VISIE, KRALINGEN_OPGAVEN)
    akkoord = wijkakkoord_transition(
        akkoord=akkoord,
        user=wijkmanager,
        transition="naar_advies",
        expected_status=Akkoordstatus.CONCEPT,
    )
    akkoord = advies_vastleggen(
        akkoord=akkoord,
        user=wijkraadslid,
        expected_versie=akkoord.versie,
        advies=(
            "De wijkraad adviseert positief. Wij vragen bij de opgave ‘Veilig over straat’ "
            "de ouders en de scholen elk jaar mee te laten beslissen over de volgorde van de "
            "schoolzones, en bij ‘Een schone buitenruimte’ de ondernemers van de winkelstraat "
            "als partner te betrekken."
        ),
        advies_van=getattr(getattr(werkgebied, "wijkraad", None), "naam", "") or "Wijkraad",
        advies_op=_vandaag_of_eerder(datetime.date(2025, 10, 14)),
    )
    akkoord = wijkakkoord_transition(
        akkoord=akkoord,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Akkoordstatus.ADVIES,
        vastgesteld_op=_vandaag_of_eerder(datetime.date(2025, 11, 6)),
        vastgesteld_door="de gemeenteraad, na bekrachtiging door de wijkraad",
        besluitreferentie="RIS 25-1107",
    )
    akkoord = wijkakkoord_transition(
        akkoord=akkoord,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Akkoordstatus.VASTGESTELD,
    )
    _koppelen(akkoord, wijkmanager)


def _koppelen(akkoord, user) -> None:
    """Kralingen's agendapunten (by rank: afval, schoolroutes, speelplekken) and initiatives
    refer to the opgaven and doelen. The 2027 programme is still drafted: its initiatives are
    linked through the programme's service. The adopted agendas and the 2026 programme were
    made (by the demo) before the akkoord existed: their links are set directly, each with its
    own audit entry, as a backfill."""
    from .services_programma import initiatief_wijzigen

    opgaven = list(akkoord.opgaven.order_by("volgorde").prefetch_related("doelen"))
    doelen = [list(o.doelen.order_by("pk")) for o in opgaven]
    per_rang = {
        1: (opgaven[0], doelen[0][0]),
        2: (opgaven[1], doelen[1][0]),
        3: (opgaven[2], doelen[2][0]),
    }
    for punt in Agendapunt.objects.filter(
        wijkagenda__cyclus__werkgebied=akkoord.werkgebied,
        wijkagenda__cyclus__jaar__in=akkoord.jaren,
        rang__in=per_rang,
        wijkopgave__isnull=True,
    ):
        opgave, doel = per_rang[punt.rang]
        Agendapunt.objects.filter(pk=punt.pk).update(wijkopgave=opgave, doel=doel)
        _audit(
            action="cycle.akkoord_koppeling",
            user=user,
            target=punt,
            data={"opgave": opgave.pk, "doel": doel.pk, "demo": True},
        )
    for initiatief in Initiatief.objects.filter(
        wijkprogramma__cyclus__werkgebied=akkoord.werkgebied,
        wijkprogramma__cyclus__jaar__in=akkoord.jaren,
        wijkopgave__isnull=True,
    ).select_related("agendapunt", "wijkprogramma__cyclus__werkgebied"):
        opgave, doel = per_rang.get(initiatief.agendapunt.rang, (None, None))
        if opgave is None:
            continue
        if "verlichting" in initiatief.titel.lower():
            doel = doelen[1][1]
        programma = initiatief.wijkprogramma
        if programma.is_bewerkbaar:
            initiatief_wijzigen(
                initiatief=initiatief,
                user=user,
                expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
                wijkopgave=opgave,
                doel=doel,
            )
        else:
            Initiatief.objects.filter(pk=initiatief.pk).update(wijkopgave=opgave, doel=doel)
            _audit(
                action="cycle.akkoord_koppeling",
                user=user,
                target=initiatief,
                data={"opgave": opgave.pk, "doel": doel.pk, "demo": True},
            )


def _feijenoord(accounts) -> None:
    from .services_akkoord import wijkakkoord_aanmaken, wijkakkoord_transition

    werkgebied = Werkgebied.objects.filter(slug="feijenoord").first()
    if werkgebied is None or Wijkakkoord.objects.filter(werkgebied=werkgebied).exists():
        return
    user = accounts["wijkmanager_feijenoord"]
    akkoord = wijkakkoord_aanmaken(werkgebied=werkgebied, user=user, startjaar=STARTJAAR)
    akkoord = _vullen(akkoord, user, FEIJENOORD_VISIE, FEIJENOORD_OPGAVEN)
    wijkakkoord_transition(
        akkoord=akkoord, user=user, transition="naar_advies", expected_status=Akkoordstatus.CONCEPT
    )


def demo_akkoord(accounts) -> None:
    _kralingen(accounts)
    _feijenoord(accounts)
