"""The wijk-MT of Kralingen in the demo (its 2026 cycle is in its execution year): two
wijkraadsleden, one of them chosen for the wijk-MT by the wijkmanager, and two past meetings
whose besluitenlijst is tied to the Stadsbeheer initiatives and a knelpunt. Made once,
through the services, after the execution year (``cycle.demo.demo_programma``)."""

import datetime

from django.utils import timezone

from people.demo import DEMO_EMAIL_DOMAIN
from people.models import Rol
from places.models import Werkgebied

# (account, name): the wijkraadsleden of Kralingen; the first sits in the wijk-MT.
WIJKRAADSLEDEN = [
    ("wijkraadslid.kralingen", "Kiki de Kralinger"),
    ("wijkraadslid2.kralingen", "Lars Lusthof"),
]

# Per meeting: (weeks ago, location, agenda, notes, decisions as (text, actiehouder: an
# account key, a name or "", deadline in days after the meeting or None, the initiative's
# title or "", "knelpunt": tied to that initiative's knelpunt))
OVERLEGGEN = [
    (
        8,
        "Wijkhuis De Oude Kerk",
        "1. Voortgang van de initiatieven\n2. Knelpunten\n3. Rondvraag",
        "Stadsbeheer licht de stand van de drie initiatieven toe. De vergunning voor de "
        "lichtmasten blijft liggen; de afvalcoaches lopen voor op schema.",
        [
            (
                "De wijkmanager belt de vergunningverlener over de lichtmasten op de "
                "schoolroutes en vraagt voorrang.",
                "wijkmanager",
                14,
                "Verlichting op de schoolroutes",
                True,
            ),
            (
                "De afvalcoaches presenteren hun eerste resultaten in het volgende wijk-MT.",
                "accounthouder",
                28,
                "Afvalcoaches in de winkelstraat",
                False,
            ),
        ],
    ),
    (
        4,
        "Wijkhuis De Oude Kerk",
        "1. Actiepunten vorig overleg\n2. Speelplek Lusthofstraat\n3. Schoolroutes",
        "De leverancier van de valondergrond kan pas na de zomer leveren. De wijkraad wil de "
        "ouders betrekken bij de schoolroutes.",
        [
            (
                "Het inkoopteam zoekt een andere leverancier voor de valondergrond van de "
                "speelplek.",
                "accounthouder",
                21,
                "Speelplek Lusthofstraat opknappen",
                True,
            ),
            (
                "De wijkraad nodigt de ouders van de drie scholen uit voor een schouw van de "
                "schoolroutes.",
                "Kiki de Kralinger",
                None,
                "Verlichting op de schoolroutes",
                False,
            ),
        ],
    ),
]


def demo_wijkmt(accounts) -> None:
    from .demo import _rol, _user
    from .models import Initiatief, Knelpunt, Overleg
    from .services_wijkmt import besluit_toevoegen, delegatie_vastleggen, overleg_toevoegen

    kralingen = Werkgebied.objects.select_related("gebied").get(slug="kralingen")
    leden = []
    for account, naam in WIJKRAADSLEDEN:
        user = _user(f"{account}{DEMO_EMAIL_DOMAIN}", naam)
        _rol(user, Rol.WIJKRAADSLID, werkgebied=kralingen)
        leden.append(user)
    if Overleg.objects.filter(werkgebied=kralingen).exists():
        return
    wijkmanager = accounts["wijkmanager"]
    delegatie_vastleggen(werkgebied=kralingen, user=wijkmanager, leden=leden[:1], expected_versie=0)
    initiatieven = {
        i.titel: i
        for i in Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied=kralingen, wijkprogramma__cyclus__jaar=2026
        )
    }
    vandaag = timezone.localdate()
    for weken, locatie, agenda, notities, besluiten in OVERLEGGEN:
        datum = vandaag - datetime.timedelta(weeks=weken)
        overleg = overleg_toevoegen(
            werkgebied=kralingen,
            user=wijkmanager,
            datum=datum,
            locatie=locatie,
            agenda=agenda,
            notities=notities,
        )
        for tekst, wie, dagen, titel, over_knelpunt in besluiten:
            initiatief = initiatieven.get(titel)
            knelpunt = None
            if initiatief is not None and over_knelpunt:
                knelpunt = (
                    Knelpunt.objects.filter(initiatief=initiatief).order_by("gemeld_op").first()
                )
            besluit_toevoegen(
                overleg=overleg,
                user=wijkmanager,
                tekst=tekst,
                actiehouder=accounts.get(wie),
                actiehouder_naam="" if wie in accounts else wie,
                deadline=datum + datetime.timedelta(days=dagen) if dagen else None,
                initiatief=initiatief,
                knelpunt=knelpunt,
            )
