"""Bewonersinitiatieven in the demo: in Crooswijk (the demo resident's, wijkraadslid's and
wijkmanager's werkgebied) one application in every state, made through the services by the
demo accounts and invented neighbours, so that ``make run`` shows the resident's page, the
wijkraadslid's list and decision, the payment and the public list. Idempotent; the award
needs the werkgebied's budget for bewonersinitiatieven of the activity's year, which is set
here when the budget's own demo did not."""

import datetime
from decimal import Decimal

from django.utils import timezone

from places.models import Werkgebied

from . import services as ledger
from . import services_bi as s
from .models import Deelsoort
from .models_bi import SPELREGEL_CODES, Bewonersinitiatief

DEMO = [
    # (titel, state, cost lines)
    ("Straatfeest Rubroek", "concept", [("Muziek", "450"), ("Eten en drinken", "300")]),
    ("Moestuin achter de Boezemstraat", "ingediend", [("Plantenbakken", "1200")]),
    ("Kinderkookclub Crooswijk", "in_beoordeling", [("Ingrediënten", "800"), ("Huur", "400")]),
    ("Buurtbioscoop in het park", "toegekend", [("Scherm en beamer", "950")]),
    ("Kerstmarkt Crooswijk", "afgewezen", [("Kramen", "2500")]),
    ("Opschoondag Kralingse Plas", "uitbetaald", [("Grijpers en zakken", "350")]),
    ("Zomerspelen op het plein", "verantwoord", [("Spelmateriaal", "600"), ("Limonade", "90")]),
]


def _buren(bi, user):
    for i in range(4):
        bi.refresh_from_db()
        m = s.medeondertekenaar_toevoegen(
            user=user,
            initiatief=bi,
            naam=f"Buur {i + 1}",
            email=f"buur{i + 1}.{bi.pk}@demo.wijkaanpak.invalid",
            expected_versie=bi.versie,
        )
        s.medeondertekening_bevestigen(token=m.token, bewoner_12_plus=True)
    bi.refresh_from_db()
    return bi


def load(accounts) -> None:
    werkgebied = Werkgebied.objects.filter(slug="crooswijk").first()
    if werkgebied is None or Bewonersinitiatief.objects.filter(werkgebied=werkgebied).exists():
        return
    bewoner, raad, manager = (
        accounts["bewoner"],
        accounts["wijkraadslid"],
        accounts["wijkmanager"],
    )
    datum = timezone.localdate() + datetime.timedelta(weeks=9)
    if ledger.deel_van(werkgebied, datum.year, Deelsoort.BEWONERSINITIATIEVEN) is None:
        ledger.budget_vaststellen(
            werkgebied=werkgebied,
            jaar=datum.year,
            bedragen={Deelsoort.BEWONERSINITIATIEVEN: "25000"},
            user=accounts["beheerder"],
            reden="Demo",
        )
    toelichting = {c: (True, "Zo staat het in het plan.") for c in SPELREGEL_CODES}
    for titel, doel, posten in DEMO:
        bi = s.aanvraag_opslaan(
            user=bewoner,
            werkgebied=werkgebied,
            aanvraag=s.Aanvraag(
                titel=titel,
                wat=f"{titel}: een activiteit voor en door bewoners.",
                voor_wie="Alle bewoners van de buurt, jong en oud.",
                activiteit_datum=datum,
                uitvoerders="Een groep buren uit de straat.",
                eigen_bijdrage=Decimal("50"),
                andere_financiers="",
                bijdrage_anderen=Decimal("0"),
                geboortedatum=None,
                verklaring_meerderjarig=True,
                kostenposten=[(o, Decimal(b)) for o, b in posten],
            ),
        )
        if doel == "concept":
            continue
        bi = _buren(bi, bewoner)
        bi = s.indienen(user=bewoner, initiatief=bi, expected_versie=bi.versie)
        if doel == "ingediend":
            continue
        bi = s.in_beoordeling_nemen(user=raad, initiatief=bi, expected_versie=bi.versie)
        if doel == "in_beoordeling":
            continue
        if doel == "afgewezen":
            s.afwijzen(
                user=raad,
                initiatief=bi,
                redenen="Een kerstmarkt wordt al door de winkeliers georganiseerd.",
                toetsingen={c: (c != "niet_structureel", "Zie het besluit.") for c in toelichting},
                expected_versie=bi.versie,
            )
            continue
        bi = s.toekennen(
            user=raad,
            initiatief=bi,
            bedrag=bi.gevraagd_bedrag,
            toetsingen=toelichting,
            expected_versie=bi.versie,
        )
        if doel == "toegekend":
            continue
        bi = s.uitbetalen(user=manager, initiatief=bi, expected_versie=bi.versie)
        if doel == "uitbetaald":
            continue
        from django.core.files.base import ContentFile

        s.verantwoorden(
            user=bewoner,
            initiatief=bi,
            verslag="Veertig kinderen deden mee; de buren ruimden samen op.",
            werkelijke_kosten=bi.uitbetaald_bedrag,
            bonnen=[(ContentFile(b"%PDF-1.4\n%%EOF", name="bon.pdf"), "application/pdf")],
            expected_versie=bi.versie,
        )
