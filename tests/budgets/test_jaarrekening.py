"""The jaarrekening read from the ledger: per part and per action the budget, reserved, paid
and remaining; on the wijkverslag's page and in its frozen snapshot; fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import Deelsoort
from budgets.selectors import jaarrekening
from budgets.services import betalen, reserveren, vrijgeven
from cycle.models import Fase, Initiatief, Wijkverslag
from publication.snapshot import render_snapshot

from .factories import budget_met

D = Decimal
JAAR = 2025


@pytest.fixture
def verslag(werkgebied, make_cycle, beheerder):
    cyclus = make_cycle(werkgebied, jaar=JAAR, fase=Fase.VERANTWOORDING)
    delen = budget_met(werkgebied, beheerder, jaar=JAAR)
    acties = list(Initiatief.objects.filter(wijkprogramma__cyclus=cyclus).order_by("pk")[:2])
    for actie, bedrag, betaald in zip(
        acties, ("4000", "1500,50"), ("3000", "1500,50"), strict=True
    ):
        r = reserveren(
            delen[Deelsoort.PROGRAMMA],
            bedrag,
            user=beheerder,
            reden="Bestedingsvoorstel",
            bron="initiatief",
            bron_id=actie.pk,
            omschrijving=actie.titel,
            initiatief=actie,
        )
        betalen(r, betaald, user=beheerder, reden="Factuur")
    k = reserveren(
        delen[Deelsoort.KNELPUNTEN], "300", user=beheerder, reden="Spoed", bron="knelpunt"
    )
    betalen(k, "120", user=beheerder, reden="Factuur")
    vrijgeven(k, user=beheerder, reden="Rest terug")
    return Wijkverslag.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus), acties


@pytest.mark.django_db
def test_per_part_and_per_action(verslag, werkgebied, django_assert_max_num_queries):
    _verslag, acties = verslag
    with django_assert_max_num_queries(3):
        rekening = jaarrekening(werkgebied, JAAR)
    delen = {r.deel.soort: r for r in rekening}
    assert [r.deel.soort for r in rekening] == list(Deelsoort.values)
    programma = delen["programma"]
    assert (programma.deel.bedrag, programma.deel.gereserveerd, programma.deel.betaald) == (
        D("10000"),
        D("5500.50"),
        D("4500.50"),
    )
    assert programma.deel.beschikbaar == D("4499.50")
    posten = {p.omschrijving: (p.gereserveerd, p.betaald, p.open) for p in programma.posten}
    assert posten[acties[0].titel] == (D("4000"), D("3000"), D("1000"))
    assert posten[acties[1].titel] == (D("1500.50"), D("1500.50"), D("0"))
    knelpunten = delen["knelpunten"]
    assert (knelpunten.deel.gereserveerd, knelpunten.deel.betaald) == (D("120"), D("120"))


@pytest.mark.django_db
def test_in_the_snapshot_and_on_the_page(verslag, client, wijkmanager):
    product, acties = verslag
    html = render_snapshot(
        product,
        versie=1,
        gepubliceerd_op=timezone.make_aware(datetime.datetime(2026, 3, 1, 10)),
        gepubliceerd_door="Wendy",
    )
    assert "Jaarrekening wijkbudget 2025" in html
    assert acties[0].titel in html and "€ 4.000,00" in html and "€ 4.499,50" in html
    client.force_login(wijkmanager)
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'id="jaarrekening-grootboek"' in page
    assert "€ 5.500,50" in page
