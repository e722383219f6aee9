"""Budgets and bewonersinitiatieven for tests, made through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from budgets import services_bi as s
from budgets.models import Budgetdeel, Deelsoort
from budgets.models_bi import SPELREGEL_CODES
from budgets.services import budget_vaststellen, deel_van
from people.models import Rol
from tests.people.factories import user_with_role


def budget_met(werkgebied, user, jaar=2027, **bedragen) -> dict[str, Budgetdeel]:
    """A budget with the given parts (``programma="1000"``...); its parts by soort."""
    bedragen = bedragen or {
        Deelsoort.PROGRAMMA: "10000",
        Deelsoort.BEWONERSINITIATIEVEN: "5000",
        Deelsoort.KNELPUNTEN: "1000",
    }
    budget = budget_vaststellen(werkgebied=werkgebied, jaar=jaar, bedragen=bedragen, user=user)
    return {deel.soort: deel for deel in budget.delen.all()}


def saldi(deel) -> tuple[Decimal, Decimal, Decimal]:
    deel.refresh_from_db()
    return deel.bedrag, deel.gereserveerd, deel.betaald


def aanvraag(**over) -> s.Aanvraag:
    data = dict(
        titel="Buurtfeest Rubroek",
        wat="Een straatfeest met muziek en eten.",
        voor_wie="Alle bewoners van de straat.",
        activiteit_datum=timezone.localdate() + datetime.timedelta(weeks=8),
        uitvoerders="De bewonersgroep Rubroek.",
        eigen_bijdrage=Decimal("100.00"),
        andere_financiers="Woonstad",
        bijdrage_anderen=Decimal("50.00"),
        geboortedatum=None,
        verklaring_meerderjarig=True,
        kostenposten=[("Muziek", Decimal("600.00")), ("Eten", Decimal("400.50"))],
    )
    data.update(over)
    return s.Aanvraag(**data)


def spelregels(voldoet=True) -> dict:
    return {code: (voldoet, f"Toelichting bij {code}.") for code in SPELREGEL_CODES}


def concept(werkgebied, aanvrager=None, **over):
    aanvrager = aanvrager or user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    return s.aanvraag_opslaan(user=aanvrager, werkgebied=werkgebied, aanvraag=aanvraag(**over))


def ondertekend(werkgebied, aanvrager=None, **over):
    bi = concept(werkgebied, aanvrager, **over)
    for i in range(4):
        bi.refresh_from_db()
        m = s.medeondertekenaar_toevoegen(
            user=bi.aanvrager,
            initiatief=bi,
            naam=f"Buur {i}",
            email=f"buur{i}-{bi.pk}@example.nl",
            expected_versie=bi.versie,
        )
        s.medeondertekening_bevestigen(token=m.token, bewoner_12_plus=True)
    bi.refresh_from_db()
    return bi


def in_status(werkgebied, status, *, beslisser=None, wijkmanager=None, **over):
    """An application taken to ``status`` by the right people."""
    bi = ondertekend(werkgebied, **over)
    if status == "concept":
        return bi
    bi = s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=bi.versie)
    if status == "ingediend":
        return bi
    beslisser = beslisser or user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    bi = s.in_beoordeling_nemen(user=beslisser, initiatief=bi, expected_versie=bi.versie)
    jaar = bi.activiteit_datum.year
    if deel_van(werkgebied, jaar, Deelsoort.BEWONERSINITIATIEVEN) is None:
        budget_met(werkgebied, user_with_role(Rol.BEHEERDER), jaar=jaar)
    if status == "in_beoordeling":
        return bi
    if status == "afgewezen":
        return s.afwijzen(
            user=beslisser,
            initiatief=bi,
            redenen="Past niet in het wijkakkoord.",
            toetsingen=spelregels(False),
            expected_versie=bi.versie,
        )
    bi = s.toekennen(
        user=beslisser,
        initiatief=bi,
        bedrag=bi.gevraagd_bedrag,
        toetsingen=spelregels(),
        expected_versie=bi.versie,
    )
    if status == "toegekend":
        return bi
    wijkmanager = wijkmanager or user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    bi = s.uitbetalen(user=wijkmanager, initiatief=bi, expected_versie=bi.versie)
    return bi
