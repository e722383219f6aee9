"""The demo resident's own place (``bewoner@demo.wijkaanpak.nl``, Crooswijk): two meldingen
reported while signed in (one taken up, so a notification about its status is waiting), the
werkgebied Crooswijk and the wijk Kralingen-West followed, an initiative of Kralingen
followed with their own address, and the weekly overview chosen. Through the services;
idempotent (nothing is added when the resident already follows something)."""

from cycle.models import Initiatief
from people.models import Frequentie
from people.services_bewoners import frequentie_kiezen
from places.models import Werkgebied, Wijk

from . import bewoners, services, services_volgen
from .models import Gebiedvolging, Thema

DEMO_MELDINGEN = [
    ("schoon", "Bij de speeltuin aan de Crooswijkseweg liggen steeds glasscherven."),
    ("heel", "De stoeptegels voor de bibliotheek liggen los; er is al iemand gestruikeld."),
]


def load(accounts) -> None:
    bewoner = accounts.get("bewoner")
    if bewoner is None or Gebiedvolging.objects.filter(user=bewoner).exists():
        return
    crooswijk = Werkgebied.objects.get(slug="crooswijk")
    wijk = Wijk.objects.filter(werkgebied=crooswijk).order_by("naam").first()
    meldingen = [
        services.melding_create(
            gegevens=services.NieuweMelding(
                tekst=tekst,
                thema=Thema.objects.get(slug=thema),
                wijk=wijk,
                betreft_groep=True,
                melder=bewoner,
            )
        )
        for thema, tekst in DEMO_MELDINGEN
    ]
    # The wijkmanager takes the first up: the resident finds the notification about it.
    services.melding_transition(
        melding_id=meldingen[0].pk,
        user=accounts["wijkmanager"],
        transition="in_behandeling_nemen",
        expected_versie=None,
    )
    bewoners.gebied_volgen(user=bewoner, werkgebied=crooswijk)
    kralingen_wijk = Wijk.objects.filter(werkgebied__slug="kralingen").order_by("naam").first()
    if kralingen_wijk is not None:
        bewoners.gebied_volgen(user=bewoner, wijk=kralingen_wijk)
    initiatief = (
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied__slug="kralingen", wijkprogramma__cyclus__jaar=2026
        )
        .select_related("wijkprogramma__cyclus")
        .order_by("pk")
        .first()
    )
    if initiatief is not None and services_volgen.kan_volgen(initiatief):
        services_volgen.volgen_aanmelden(initiatief=initiatief, email=bewoner.email, user=bewoner)
    frequentie_kiezen(user=bewoner, frequentie=Frequentie.WEKELIJKS)
