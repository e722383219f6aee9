"""Meldingen in the demo: one in every state in the demo wijkmanager's werkgebied Crooswijk,
made through the services as residents and the wijkmanager would, so that ``make run`` shows
reporting, triage, forwarding to the accounthouder's cluster, the answer, a duplicate and a
melding taken into the cycle; and one in a wijk without a wijkraad, for the beheerder."""

from cycle.demo import register
from cycle.models import Werkcyclus
from people.models import Cluster
from places.models import Wijk

from . import services
from .models import Melding, Thema

DEMO_MELDINGEN = [
    # (wijk, thema, text, place, point, e-mail, what the wijkmanager does)
    (
        "rubroek",
        "schoon",
        "Bij de glasbak op het Rubroekplein staan elke week weer vuilniszakken. Het trekt "
        "ratten aan.",
        "Rubroekplein, bij de glasbak",
        None,
        "melder.rubroek@demo.wijkaanpak.invalid",
        "nieuw",
    ),
    (
        "rubroek",
        "schoon",
        "Vuilniszakken naast de glasbak, al dagen.",
        "Rubroekplein",
        None,
        "",
        "dubbel",
    ),
    (
        "oud-crooswijk",
        "heel",
        "Drie lantaarnpalen langs de Crooswijksesingel doen het niet. 's Avonds is het daar "
        "echt donker.",
        "Crooswijksesingel",
        None,
        "melder.singel@demo.wijkaanpak.invalid",
        "doorgezet",
    ),
    (
        "oud-crooswijk",
        "jeugd",
        "Er is voor tieners niets te doen in de buurt. Ze hangen bij de supermarkt.",
        "",
        None,
        "",
        "opgenomen",
    ),
    (
        "nieuw-crooswijk",
        "groen-en-buitenruimte",
        "De bankjes in het park zijn kapot geschopt.",
        "Park aan de Boezemlaan",
        None,
        "melder.park@demo.wijkaanpak.invalid",
        "afgehandeld",
    ),
    # A wijk without a wijkraad: no wijkmanager, so it waits for the beheerder.
    (
        "cs-kwartier",
        "verkeer-en-parkeren",
        "Voor de ingang van het station staan de fietsen zo over de stoep dat je er met een "
        "rolstoel niet langs kunt.",
        "Stationsplein",
        None,
        "",
        "open",
    ),
]


def _load(accounts) -> None:
    if Melding.objects.exists():
        return
    wijkmanager = accounts["wijkmanager"]
    stadsbeheer = Cluster.objects.get(slug="stadsbeheer")
    hoofd = None
    for slug, thema, tekst, plek, _punt, email, doel in DEMO_MELDINGEN:
        wijk = Wijk.objects.select_related("werkgebied").get(slug=slug)
        melding = services.melding_create(
            gegevens=services.NieuweMelding(
                tekst=tekst,
                thema=Thema.objects.get(slug=thema),
                wijk=wijk,
                plek=plek,
                email=email,
                betreft_groep=doel != "nieuw",
            )
        )
        if doel == "open":
            continue
        if doel == "nieuw":
            hoofd = services.melding_steunen(melding_id=melding.pk)
            services.melding_steunen(melding_id=melding.pk)
            continue
        if doel == "dubbel":
            services.melding_als_dubbel(
                melding_id=melding.pk, hoofdcode=hoofd.code, user=wijkmanager, expected_versie=None
            )
            continue
        melding = services.melding_transition(
            melding_id=melding.pk,
            user=wijkmanager,
            transition="in_behandeling_nemen",
            expected_versie=None,
        )
        if doel == "doorgezet":
            services.melding_transition(
                melding_id=melding.pk,
                user=wijkmanager,
                transition="doorzetten",
                expected_versie=None,
                cluster=stadsbeheer,
                notitie="Graag kijken of de bekabeling het probleem is.",
            )
        elif doel == "opgenomen":
            services.melding_publiceerbaar(
                melding_id=melding.pk, user=wijkmanager, publiceerbaar=True, expected_versie=None
            )
            services.melding_transition(
                melding_id=melding.pk,
                user=wijkmanager,
                transition="opnemen",
                expected_versie=None,
                cyclus=Werkcyclus.objects.get(werkgebied=wijk.werkgebied, jaar=2027),
            )
        elif doel == "afgehandeld":
            services.melding_publiceerbaar(
                melding_id=melding.pk, user=wijkmanager, publiceerbaar=True, expected_versie=None
            )
            services.melding_transition(
                melding_id=melding.pk,
                user=wijkmanager,
                transition="afhandelen",
                expected_versie=None,
                antwoord="Stadsbeheer heeft de bankjes vervangen. Dank voor uw melding!",
            )


def _load_all(accounts) -> None:
    """The meldingen, then the followers of Kralingen's initiatives and the meldingen linked to
    them, then the participation plans and the wijkraad's advice, then the consultation (which
    needs its phase's kaders in the plan). One registered step, so the order holds whichever
    module is imported first (a test that imports ``demo_volgen`` at collection once made that
    run first, and the check above then skipped the demo's meldingen). Then the meetings and
    the wijkschouw, and the demo resident's own place."""
    from . import demo_bewoners, demo_bijeenkomsten, demo_consultatie, demo_plan, demo_volgen

    _load(accounts)
    demo_volgen.load(accounts)
    demo_plan.load(accounts)
    demo_consultatie.load(accounts)
    demo_bijeenkomsten.load(accounts)
    demo_bewoners.load(accounts)


register(_load_all)
