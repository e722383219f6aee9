"""The budgets endpoint: each part's totals and the awarded lines exactly as the public budget
page lists them (nothing of the knelpunten part, nothing fully released), in a fixed number of
queries whatever the number of budgets and lines."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.bedragen import euro
from budgets.models import Bron, Deelsoort
from budgets.services import betalen, reserveren, vrijgeven
from tests.api.lezen_data import API, alles, geen_limiet  # noqa: F401 - fixture
from tests.budgets.factories import budget_met
from tests.places.factories import WerkgebiedFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geen_limiet")]

JAAR = 2027


def _boek(werkgebied, beheerder, *, regels=1):
    """A budget with awarded lines in each part: ``regels`` paid in part, one released whole,
    a reservation without a description, and a knelpunt."""
    delen = budget_met(werkgebied, beheerder, jaar=JAAR)
    programma = delen[Deelsoort.PROGRAMMA]
    for i in range(regels):
        r = reserveren(
            programma,
            "400",
            user=beheerder,
            reden="Bestedingsvoorstel",
            bron=Bron.INITIATIEF,
            # A line is a source (the ledger sums the bookings per source).
            bron_id=1000 + i,
            omschrijving=f"Speeltuin opknappen {i}",
        )
        betalen(r, "150", user=beheerder, reden="Factuur")
    weg = reserveren(
        programma, "250", user=beheerder, reden="Voorstel", omschrijving="Afgeblazen markt"
    )
    vrijgeven(weg, user=beheerder, reden="Gaat niet door")
    reserveren(
        delen[Deelsoort.BEWONERSINITIATIEVEN],
        "75",
        user=beheerder,
        reden="Toekenning",
        bron=Bron.BEWONERSINITIATIEF,
    )
    reserveren(
        delen[Deelsoort.KNELPUNTEN],
        "300",
        user=beheerder,
        reden="Spoed",
        bron=Bron.KNELPUNT,
        omschrijving="Kapotte lantaarnpaal Rubroekstraat 12",
    )
    return delen


def test_the_awarded_lines_are_those_of_the_public_page(client, werkgebied, beheerder):
    _boek(werkgebied, beheerder)
    [budget] = alles(client, f"{API}budgetten/?werkgebied={werkgebied.slug}")
    delen = {deel["soort"]: deel for deel in budget["delen"]}
    assert list(delen) == list(Deelsoort.values)
    assert delen["programma"]["toegekend"] == [
        {"omschrijving": "Speeltuin opknappen 0", "gereserveerd": "400.00", "betaald": "150.00"}
    ]
    # Without a description the line is named by its source, as on the page.
    assert delen["bewonersinitiatieven"]["toegekend"] == [
        {
            "omschrijving": str(Bron.BEWONERSINITIATIEF.label),
            "gereserveerd": "75.00",
            "betaald": "0.00",
        }
    ]
    # The knelpunten part is public only as totals.
    assert delen["knelpunten"]["toegekend"] is None
    assert delen["knelpunten"]["gereserveerd"] == "300.00"

    page = client.get(reverse("budgets:publiek", args=[werkgebied.slug, JAAR]))
    html = page.content.decode()
    for deel in delen.values():
        for post in deel["toegekend"] or []:
            bedrag = euro(Decimal(post["gereserveerd"]))
            assert f"<li>{post['omschrijving']}: {bedrag}" in html, post
    assert "(€ 150,00 betaald)" in html
    # What the page does not list, the API does not either.
    body = client.get(f"{API}budgetten/{budget['id']}/").content.decode()
    for niet in ("Afgeblazen markt", "Kapotte lantaarnpaal"):
        assert niet not in html
        assert niet not in body
    assert client.get(f"{API}budgetten/{budget['id']}/").json() == budget


def test_a_page_of_budgets_costs_the_same_whatever_its_budgets_and_lines(
    client, werkgebied, beheerder, settings, django_assert_max_num_queries
):
    # The endpoint's own work, not the kept answer.
    settings.PAGE_CACHE_SECONDS = 0
    _boek(werkgebied, beheerder)
    url = f"{API}budgetten/"
    client.get(url)  # warm what is cached once per process
    with django_assert_max_num_queries(4) as een:
        assert len(client.get(url).json()["results"]) == 1
    for _ in range(4):
        _boek(WerkgebiedFactory(), beheerder, regels=6)
    with django_assert_max_num_queries(len(een)) as veel:
        body = client.get(url).json()
    assert len(body["results"]) == 5
    assert len(veel) == len(een)
    assert sum(len(b["delen"][0]["toegekend"]) for b in body["results"]) == 1 + 4 * 6
