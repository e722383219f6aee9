"""Every read endpoint × every role (in and out of scope, and an expired role): the API shows
exactly what the public page shows, and never anything the caller's own page does not show.

The expectation is not written down here: for every object the test asks the object's own
page, as an anonymous visitor and as the role, and compares. The API is the public face of
the portal, so its answer is the same for every caller: what the anonymous page shows (a
concept agenda's point, a programme adopted but not yet published, a meeting that is not
public and a melding's text that is not publishable are in no answer, for nobody)."""

import datetime

import pytest
from django.urls import reverse

from cycle.models import Agendapunt, Initiatief
from people.models import Rol, Roltoewijzing
from publication.models import Publicatie
from tests.api.lezen_data import (
    API,
    alles,
    als,
    geen_limiet,  # noqa: F401 - fixture
    stad,
)
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role

# The tests read far more than a visitor may per minute; throttling has its own test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geen_limiet")]


@pytest.fixture
def gebruikers(roles, werkgebied):
    users = {name: roles[name][0] for name in ROLE_NAMES}
    verlopen = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    Roltoewijzing.objects.filter(user=verlopen).update(
        geldig_vanaf=datetime.date(2020, 1, 1), geldig_tot=datetime.date(2021, 1, 1)
    )
    users["wijkmanager met verlopen rol"] = verlopen
    return users


@pytest.fixture
def data(werkgebied, beheerder, make_cycle):
    return stad(werkgebied, beheerder, make_cycle)


def toont(client, url: str, marker: str | None) -> bool:
    """Whether the page at ``url`` shows the object to ``client`` (with ``marker`` on it)."""
    response = client.get(url)
    if response.status_code != 200:
        return False
    return marker is None or marker in response.content.decode()


def _cyclus_url(naam, cyclus, **extra):
    return reverse(naam, kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, **extra})


def probes_acties(data, werkgebied):
    probes = []
    for cyclus in (data["afgerond"], data["uitvoering"]):
        for initiatief in Initiatief.objects.filter(wijkprogramma__cyclus=cyclus)[:2]:
            url = _cyclus_url("initiatief-detail", cyclus, pk=initiatief.pk)
            probes.append((initiatief.pk, url, initiatief.titel))
    return f"{API}acties/?werkgebied={werkgebied.slug}", "id", probes


def probes_agendapunten(data, werkgebied):
    probes = []
    for cyclus in (data["afgerond"], data["uitvoering"], data["nieuw"]):
        for punt in Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).select_related(
            "wijkagenda__cyclus__werkgebied"
        ):
            probes.append((punt.pk, punt.wijkagenda.get_absolute_url(), punt.titel))
    assert data["concept_punt"].pk in {p[0] for p in probes}
    return f"{API}agendapunten/?werkgebied={werkgebied.slug}", "id", probes


def probes_twaalfmaanden(data, werkgebied):
    probes = [
        (data[k].pk, _cyclus_url("twaalfmaanden", data[k]), None)
        for k in ("afgerond", "uitvoering", "nieuw")
    ]
    return f"{API}twaalfmaandenrapport/?werkgebied={werkgebied.slug}", "id", probes


def probes_cycli(data, werkgebied):
    probes = [
        (data[k].pk, data[k].get_absolute_url(), None) for k in ("afgerond", "uitvoering", "nieuw")
    ]
    return f"{API}cycli/?werkgebied={werkgebied.slug}", "id", probes


def probes_publicaties(data, werkgebied):
    probes = [
        (p.pk, p.get_absolute_url(), p.titel)
        for p in Publicatie.objects.filter(werkgebied=werkgebied).select_related("werkgebied")
    ]
    assert len(probes) >= 4
    return f"{API}publicaties/?werkgebied={werkgebied.slug}", "id", probes


def probes_meldingen(data, werkgebied):
    probes = [
        (m.code, m.get_absolute_url(), None)
        for m in (data["openbare_melding"], data["besloten_melding"])
    ]
    return f"{API}meldingen/?werkgebied={werkgebied.slug}", "code", probes


def probes_budgetten(data, werkgebied):
    budget = data["budget"]
    url = reverse("budgets:publiek", args=[werkgebied.slug, budget.jaar])
    return f"{API}budgetten/?werkgebied={werkgebied.slug}", "id", [(budget.pk, url, None)]


def probes_bijeenkomsten(data, werkgebied):
    probes = [
        (b.pk, b.get_absolute_url(), b.titel)
        for b in (data["openbare_bijeenkomst"], data["besloten_bijeenkomst"])
    ]
    return f"{API}bijeenkomsten/?werkgebied={werkgebied.slug}", "id", probes


def probes_werkgebieden(data, werkgebied):
    return f"{API}werkgebieden/", "slug", [(werkgebied.slug, werkgebied.get_absolute_url(), None)]


def probes_wijken(data, werkgebied):
    wijk = werkgebied.wijken.get()
    return f"{API}wijken/", "slug", [(wijk.slug, wijk.get_absolute_url(), None)]


ENDPOINTS = {
    "acties": probes_acties,
    "agendapunten": probes_agendapunten,
    "twaalfmaandenrapport": probes_twaalfmaanden,
    "cycli": probes_cycli,
    "publicaties": probes_publicaties,
    "meldingen": probes_meldingen,
    "budgetten": probes_budgetten,
    "bijeenkomsten": probes_bijeenkomsten,
    "werkgebieden": probes_werkgebieden,
    "wijken": probes_wijken,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_shows_what_the_pages_show(client, gebruikers, data, werkgebied, endpoint):
    api_url, sleutel, probes = ENDPOINTS[endpoint](data, werkgebied)
    keys = {key for key, _, _ in probes}
    publiek = {key for key, url, marker in probes if toont(als(client, None), url, marker)}
    # The data has both sides where the domain has them.
    if endpoint in {"acties", "agendapunten", "twaalfmaandenrapport", "bijeenkomsten"}:
        assert publiek and publiek != keys, endpoint
    for rol, user in gebruikers.items():
        c = als(client, user)
        getoond = {row[sleutel] for row in alles(c, api_url)}
        assert getoond & keys == publiek, rol
        for key, url, marker in probes:
            if key in getoond:
                assert toont(c, url, marker), (rol, key, url)
        # Details answer the same; what a list leaves out is not found.
        if endpoint in {"acties", "agendapunten", "bijeenkomsten", "meldingen"}:
            for key in keys:
                status = c.get(f"{API}{endpoint}/{key}/").status_code
                assert status == (200 if key in publiek else 404), (rol, key)


def test_melding_text_only_where_the_page_shows_it(client, gebruikers, data):
    for rol, user in {"anoniem": None, **gebruikers}.items():
        c = als(client, user)
        for melding in (data["openbare_melding"], data["besloten_melding"]):
            api = c.get(f"{API}meldingen/{melding.code}/").json()
            pagina_publiek = toont(als(client, None), melding.get_absolute_url(), melding.tekst)
            assert (api["tekst"] == melding.tekst) is pagina_publiek, (rol, melding.code)
            assert melding.email not in c.get(f"{API}meldingen/").content.decode()
            c = als(client, user)


def test_product_titles_in_cycles_as_the_cycle_page(client, gebruikers, data):
    anoniem = als(client, None)
    for key in ("afgerond", "uitvoering", "nieuw"):
        cyclus = data[key]
        pagina = anoniem.get(cyclus.get_absolute_url()).content.decode()
        api = anoniem.get(f"{API}cycli/{cyclus.pk}/").json()
        for product, rij in zip(cyclus.producten(), api["producten"], strict=True):
            assert rij["soort"] == product.SOORT
            assert (rij["titel"] is not None) is (product.titel in pagina), (key, product.SOORT)
    for rol, user in gebruikers.items():
        c = als(client, user)
        assert c.get(f"{API}cycli/{data['nieuw'].pk}/").json() == api, rol
