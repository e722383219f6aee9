"""Following initiatives in the demo: Kralingen 2026 (in its execution year) has residents who
follow its initiatives (confirmed, as they would be after clicking the link in their mail),
and two meldingen of Kralingen taken into that cycle and linked to the initiative they led
to, so that ``make run`` shows the progress on the cycle page, the follow form, and the
initiative on a melding's tracking page. Through the services; idempotent."""

from cycle.models import Initiatief, Werkcyclus
from places.models import Wijk

from . import services, services_volgen
from .models import Melding, Thema, Volger

DEMO_VOLGERS = 3
DEMO_MELDINGEN = [
    # (thema, text, title of the initiative it led to)
    (
        "schoon",
        "In de winkelstraat staan elke ochtend zakken afval naast de containers. Kan daar "
        "niet iets structureels aan gebeuren?",
        "Afvalcoaches in de winkelstraat",
    ),
    (
        "heel",
        "Op de route naar de basisschool is het 's ochtends in de winter nog donker; er "
        "staan te weinig lantaarns.",
        "Verlichting op de schoolroutes",
    ),
]


def load(accounts) -> None:
    cyclus = Werkcyclus.objects.filter(werkgebied__slug="kralingen", jaar=2026).first()
    if cyclus is None or Volger.objects.filter(initiatief__wijkprogramma__cyclus=cyclus).exists():
        return
    initiatieven = list(
        Initiatief.objects.filter(wijkprogramma__cyclus=cyclus).select_related(
            "wijkprogramma__cyclus__werkgebied"
        )
    )
    for initiatief in initiatieven:
        for n in range(1, DEMO_VOLGERS + 1):
            volger = services_volgen.volgen_aanmelden(
                initiatief=initiatief, email=f"volger{n}.kralingen@demo.wijkaanpak.invalid"
            )
            services_volgen.volgen_bevestigen(token=volger.token)
    wijkmanager = accounts["wijkmanager"]
    wijk = Wijk.objects.filter(werkgebied=cyclus.werkgebied).order_by("naam").first()
    per_titel = {i.titel: i for i in initiatieven}
    for thema, tekst, titel in DEMO_MELDINGEN:
        if titel not in per_titel or Melding.objects.filter(tekst=tekst).exists():
            continue
        melding = services.melding_create(
            gegevens=services.NieuweMelding(
                tekst=tekst, thema=Thema.objects.get(slug=thema), wijk=wijk, betreft_groep=True
            )
        )
        for stap in ("in_behandeling_nemen", "opnemen"):
            services.melding_transition(
                melding_id=melding.pk,
                user=wijkmanager,
                transition=stap,
                expected_versie=None,
                cyclus=cyclus,
            )
        services.melding_publiceerbaar(
            melding_id=melding.pk, user=wijkmanager, publiceerbaar=True, expected_versie=None
        )
        services.melding_initiatief(
            melding_id=melding.pk,
            user=wijkmanager,
            initiatief=per_titel[titel],
            expected_versie=None,
        )
