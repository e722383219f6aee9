"""The council's overview of the wijkverslagen of a programme year, and its CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cycle import services as cycle_services
from cycle.models import Fase, Productstatus, Werkcyclus
from publication.models import Publicatie
from tests.places.factories import WerkgebiedFactory

JAAR = 2025


def overzicht(jaar=JAAR):
    return reverse("publicatie-wijkverslagen", kwargs={"jaar": jaar})


def standen(response) -> dict[str, str]:
    return {rij.werkgebied.naam: rij.stand for rij in response.context["rijen"]}


@pytest.fixture
def stad(make_cycle, beheerder):
    """Four werkgebieden, each with its wijkverslag of 2025 in another state, and one without
    a cycle."""
    gepubliceerd = WerkgebiedFactory(naam="Afgerond", slug="afgerond")
    make_cycle(gepubliceerd, jaar=JAAR, fase=Fase.AFGEROND)

    vastgesteld = WerkgebiedFactory(naam="Vastgesteld", slug="vastgesteld")
    cyclus = make_cycle(vastgesteld, jaar=JAAR, fase=Fase.VERANTWOORDING)
    verslag = cycle_services.product_update(
        product=cyclus.wijkverslag,
        user=beheerder,
        expected_versie=cyclus.wijkverslag.versie,
        data={"titel": "Wijkverslag", "resultaten": "Resultaten"},
    )
    cycle_services.product_transition(
        product=verslag, user=beheerder, transition="vaststellen", expected_status="concept"
    )

    te_laat = WerkgebiedFactory(naam="Te laat", slug="te-laat")
    cyclus = make_cycle(te_laat, jaar=JAAR, fase=Fase.VERANTWOORDING)
    Werkcyclus.objects.filter(pk=cyclus.pk).update(
        verantwoording_eind=timezone.localdate() - timedelta(days=1)
    )
    bezig = WerkgebiedFactory(naam="Bezig", slug="bezig")
    cyclus = make_cycle(bezig, jaar=JAAR, fase=Fase.VERANTWOORDING)
    Werkcyclus.objects.filter(pk=cyclus.pk).update(
        verantwoording_eind=timezone.localdate() + timedelta(days=30)
    )
    WerkgebiedFactory(naam="Zonder cyclus", slug="zonder-cyclus")


@pytest.mark.django_db
def test_the_overview_shows_the_state_of_every_wijkverslag(stad, client):
    response = client.get(overzicht())
    assert response.status_code == 200
    assert standen(response) == {
        "Afgerond": "gepubliceerd",
        "Vastgesteld": "vastgesteld",
        "Te laat": "te_laat",
        "Bezig": "in_voorbereiding",
        "Zonder cyclus": "niet_gestart",
    }
    html = response.content.decode()
    publicatie = Publicatie.objects.get(soort="wijkverslag")
    assert publicatie.get_html_url() in html
    assert "gepubliceerd op" in html and "(versie 1)" in html
    assert "te laat volgens de planning" in html


@pytest.mark.django_db
def test_the_overview_names_the_latest_version(stad, beheerder, client):
    from cycle.models import Wijkverslag
    from tests.publication.correctie import corrigeer

    verslag = Wijkverslag.objects.select_related("cyclus__werkgebied").get(
        status=Productstatus.GEPUBLICEERD
    )
    corrigeer(verslag, beheerder, reden="Een bedrag in de jaarrekening was verkeerd.")
    rij = next(r for r in client.get(overzicht()).context["rijen"] if r.publicatie)
    assert (rij.publicatie.versie, rij.stand) == (2, "gepubliceerd")


@pytest.mark.django_db
def test_a_year_without_cycles_is_all_not_started(stad, client):
    response = client.get(overzicht(2031))
    assert set(standen(response).values()) == {"niet_gestart"}


@pytest.mark.django_db
def test_absurd_years_are_not_found(client):
    assert client.get(overzicht(1)).status_code == 404
    assert client.get(overzicht(99999)).status_code == 404


@pytest.mark.django_db
def test_the_overview_costs_the_same_queries_for_more_werkgebieden(
    stad, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6) as few:
        client.get(overzicht())
    for _ in range(30):
        WerkgebiedFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(overzicht())
    assert len(response.context["rijen"]) == 35


@pytest.mark.django_db
def test_the_csv_has_a_row_per_werkgebied_and_runs_no_formula(stad, client):
    WerkgebiedFactory(naam='=HYPERLINK("http://example.org")', slug="formule")
    response = client.get(reverse("publicatie-wijkverslagen-csv", kwargs={"jaar": JAAR}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="wijkverslagen-2025.csv"' in response["Content-Disposition"]
    tekst = response.content.decode("utf-8-sig")
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert rijen[0][:2] == ["werkgebied", "stand"]
    per_naam = {rij[0]: rij for rij in rijen[1:]}
    assert len(per_naam) == 6
    assert per_naam["Afgerond"][1] == "gepubliceerd"
    assert per_naam["Afgerond"][2] == "1"
    assert (
        per_naam["Afgerond"][5]
        == "http://testserver/publicaties/afgerond/2025/wijkverslag/v1/tekst/"
    )
    assert per_naam["Te laat"][1] == "te laat volgens de planning"
    assert '\'=HYPERLINK("http://example.org")' in per_naam


@pytest.mark.django_db
def test_the_archive_leads_to_the_overview(stad, client):
    html = client.get(reverse("publicatie-archief")).content.decode()
    assert overzicht() in html
