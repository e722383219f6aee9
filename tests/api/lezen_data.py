"""Data for the tests of the read endpoints: a werkgebied with a closed cycle (everything
published), a cycle in execution (its programme adopted, not yet public) and a new cycle (a
concept agenda with a point), meldingen with and without publishable text, a budget and
meetings in and out of public view; helpers to read the API as a given user; the list
endpoints; and the fixture that lifts throttling for tests that read more than a visitor may."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from api.throttling import PerAdres, PerSleutel
from cycle import services as cycle_services
from cycle.models import Agendapunt, Fase, Productstatus
from participation.models import Bijeenkomst
from tests.budgets.factories import budget_met
from tests.participation.factories import MeldingFactory

API = "/api/v1/"

# Every list endpoint of /api/v1/.
LIJSTEN = [
    "gebieden",
    "werkgebieden",
    "wijken",
    "cycli",
    "publicaties",
    "agendapunten",
    "acties",
    "twaalfmaandenrapport",
    "meldingen",
    "budgetten",
    "bijeenkomsten",
]

RUIM = {"adres": "100000/min", "sleutel": "100000/min"}


@pytest.fixture
def geen_limiet(monkeypatch):
    """The tests read far more than a visitor may per minute; throttling has its own test."""
    cache.clear()
    monkeypatch.setattr(PerAdres, "THROTTLE_RATES", RUIM)
    monkeypatch.setattr(PerSleutel, "THROTTLE_RATES", RUIM)


def stad(werkgebied, beheerder, make_cycle) -> dict:
    afgerond = make_cycle(werkgebied, jaar=2026, fase=Fase.AFGEROND)
    uitvoering = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    nieuw = make_cycle(werkgebied, jaar=2028, fase=Fase.AGENDA)
    concept_agenda = nieuw.wijkagenda
    assert concept_agenda.status == Productstatus.CONCEPT
    concept_punt = Agendapunt.objects.create(
        wijkagenda=concept_agenda,
        rang=1,
        titel="Geheim conceptpunt over de Rubroekstraat",
        probleem="Nog in bespreking.",
        collectief=True,
    )
    wijk = werkgebied.wijken.get()
    openbare_melding = MeldingFactory(
        wijk=wijk, publiceerbaar=True, tekst="Losliggende stoeptegels bij het plein.", plek="Plein"
    )
    besloten_melding = MeldingFactory(
        wijk=wijk, publiceerbaar=False, tekst="Mijn buurman Jansen op nummer 12 maakt herrie."
    )
    budget = budget_met(werkgebied, beheerder, jaar=2027)
    begin = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    bijeenkomst = dict(
        soort="themabijeenkomst",
        begin=begin,
        einde=begin + datetime.timedelta(hours=2),
        plaats="Buurthuis De Kroon",
        niveau="raadplegen",
    )
    openbare_bijeenkomst = Bijeenkomst.objects.create(
        werkgebied=werkgebied, titel="Groen in de wijk", openbaar=True, **bijeenkomst
    )
    besloten_bijeenkomst = Bijeenkomst.objects.create(
        werkgebied=werkgebied, titel="Besloten voorbespreking", openbaar=False, **bijeenkomst
    )
    return {
        "afgerond": afgerond,
        "uitvoering": uitvoering,
        "nieuw": nieuw,
        "concept_punt": concept_punt,
        "openbare_melding": openbare_melding,
        "besloten_melding": besloten_melding,
        "budget": next(iter(budget.values())).budget,
        "openbare_bijeenkomst": openbare_bijeenkomst,
        "besloten_bijeenkomst": besloten_bijeenkomst,
    }


def als(client, user):
    """``client`` signed in as ``user`` (None: anonymous)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def alles(client, url: str, **headers) -> list[dict]:
    """Every row of a list, following the cursor's ``next`` links."""
    rows = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def publiceer(product, user):
    return cycle_services.product_transition(
        product=product,
        user=user,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
