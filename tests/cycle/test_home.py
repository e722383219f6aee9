"""What residents see first: "Nu bezig" on the start page (running cycles per phase, products in
consultation, recent publications), the full lists it links to, how the cycle lists of the wijk
and werkgebied pages name products that are not public yet, and dates written in full."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cycle import services
from cycle.demo import vul_product
from cycle.models import PRODUCT_PER_SOORT, WERKFASEN, Fase, Productstatus, Werkcyclus
from tests.participation.plan import kaders_invullen
from tests.places.factories import WerkgebiedFactory

MAANDEN = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


def cyclus_in_fase(werkgebied, fase, user, jaar=2027):
    """A cycle started by the service, then put straight into ``fase`` (a state the services
    reach too, without taking every step for each of many cycles)."""
    cyclus = services.werkcyclus_create(werkgebied=werkgebied, jaar=jaar, user=user)
    Werkcyclus.objects.filter(pk=cyclus.pk).update(fase=fase)
    return cyclus


def ter_consultatie(cyclus, soort, user):
    """Fill in a product and put it up for consultation through the services."""
    product = (
        PRODUCT_PER_SOORT[soort].objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    )
    product = vul_product(product, user)
    kaders_invullen(cyclus)
    return services.product_transition(
        product=product, user=user, transition="ter_consultatie", expected_status="concept"
    )


def links(html: str) -> dict[str, str]:
    """href → text of every link in ``html``."""
    return {
        href: re.sub(r"\s+", " ", text).strip()
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id`` (up to the next top-level one)."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    # The last section ends where the page's footer (with its own links) begins.
    ends = [html.find(mark, start + 1) for mark in ('<section class="col-md-6"', "<footer")]
    return html[start : min(e for e in ends if e != -1)]


@pytest.mark.django_db
def test_nu_bezig_lists_running_cycles_per_phase_as_links(client, make_cycle, beheerder):
    cycli = {
        fase: cyclus_in_fase(WerkgebiedFactory(naam=f"Gebied {fase}"), fase, beheerder)
        for fase in WERKFASEN
    }
    afgerond = make_cycle(WerkgebiedFactory(naam="Klaar"), jaar=2025, fase=Fase.AFGEROND)

    response = client.get("/")

    assert response.status_code == 200
    fasen = response.context["fasen"]
    assert [groep["fase"] for groep in fasen] == WERKFASEN
    assert all(groep["aantal"] == 1 for groep in fasen)
    html = response.content.decode()
    nu_bezig = links(section(html, "nu-bezig-kop"))
    for fase, cyclus in cycli.items():
        assert nu_bezig[cyclus.get_absolute_url()] == f"Gebied {fase} 2027"
    # A closed cycle is not "busy": neither counted nor listed.
    assert afgerond.get_absolute_url() not in nu_bezig
    assert "afgerond" not in [groep["fase"] for groep in fasen]
    assert "1 cyclus" in html


@pytest.mark.django_db
def test_nu_bezig_shows_at_most_eight_per_phase_and_links_to_all(client, beheerder):
    for i in range(11):
        cyclus_in_fase(WerkgebiedFactory(naam=f"Wijk {i:02d}"), Fase.ANALYSE, beheerder)

    response = client.get("/")

    analyse = response.context["fasen"][0]
    assert analyse["aantal"] == 11
    # The first eight by werkgebied name.
    assert [c["naam"] for c in analyse["cycli"]] == [f"Wijk {i:02d} 2027" for i in range(8)]
    html = response.content.decode()
    assert "11 cycli" in html
    assert links(html)["/lopende-cycli/analyse/"] == "Alle 11 cycli in de fase wijkanalyse"
    # The other phases have no such link, and say they are empty.
    assert "/lopende-cycli/agenda/" not in links(html)
    assert html.count("Nu geen cyclus in deze fase.") == 4

    alle = client.get("/lopende-cycli/analyse/")
    assert alle.status_code == 200
    assert len(alle.context["cycli"].object_list) == 11
    assert "Wijk 10 2027" in alle.content.decode()


@pytest.mark.django_db
def test_consultations_are_linked_with_werkgebied_and_kind(client, beheerder, werkgebied):
    analyse = cyclus_in_fase(werkgebied, Fase.ANALYSE, beheerder)
    kralingen = WerkgebiedFactory(naam="Kralingen", slug="kralingen")
    agenda = cyclus_in_fase(kralingen, Fase.AGENDA, beheerder, 2026)
    ter_consultatie(analyse, "wijkanalyse", beheerder)
    ter_consultatie(agenda, "wijkagenda", beheerder)
    # Concepts are not in consultation (nor public).
    cyclus_in_fase(WerkgebiedFactory(naam="Delfshaven"), Fase.ANALYSE, beheerder)

    response = client.get("/")

    html = response.content.decode()
    consultatie = section(html, "consultatie-kop")
    found = links(consultatie)
    assert found == {
        "/werkgebieden/crooswijk/2027/wijkanalyse/": "Wijkanalyse Crooswijk 2027",
        "/werkgebieden/kralingen/2026/wijkagenda/": "Wijkagenda Kralingen 2026",
    }
    assert "Wijkanalyse · Crooswijk 2027" in consultatie
    assert "Wijkagenda · Kralingen 2026" in consultatie
    # The most recently changed first.
    assert [p["soort"] for p in response.context["consultaties"]] == ["wijkagenda", "wijkanalyse"]
    assert response.context["consultaties_aantal"] == 2
    assert "/ter-consultatie/" not in found  # all of them are shown already


@pytest.mark.django_db
def test_many_consultations_link_to_the_full_list(client, beheerder):
    for i in range(10):
        cyclus = cyclus_in_fase(WerkgebiedFactory(naam=f"Wijk {i}"), Fase.ANALYSE, beheerder)
        PRODUCT_PER_SOORT["wijkanalyse"].objects.filter(cyclus=cyclus).update(
            status=Productstatus.CONSULTATIE
        )

    response = client.get("/")

    assert len(response.context["consultaties"]) == 8
    assert links(response.content.decode())["/ter-consultatie/"] == (
        "Alle 10 stukken ter consultatie"
    )
    alle = client.get("/ter-consultatie/")
    assert alle.status_code == 200
    assert len(alle.context["producten"].object_list) == 10


@pytest.mark.django_db
def test_recent_publications_with_kind_and_full_date(client, make_cycle, werkgebied):
    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)  # publishes the wijkanalyse

    response = client.get("/")

    html = section(response.content.decode(), "gepubliceerd-kop")
    assert links(html) == {
        "/werkgebieden/crooswijk/2027/wijkanalyse/": "Wijkanalyse Crooswijk 2027"
    }
    assert re.search(rf"Wijkanalyse · Crooswijk · \d{{1,2}} ({MAANDEN}) \d{{4}}", html)


@pytest.mark.django_db
@pytest.mark.parametrize("fase", ["afgerond", "onbekend"])
def test_running_cycles_page_refuses_other_phases(client, fase):
    assert client.get(f"/lopende-cycli/{fase}/").status_code == 404


@pytest.mark.django_db
def test_running_cycles_page_groups_per_phase_in_order(client, make_cycle, beheerder):
    cyclus_in_fase(WerkgebiedFactory(naam="Bloemhof"), Fase.VERANTWOORDING, beheerder)
    cyclus_in_fase(WerkgebiedFactory(naam="Afrikaanderwijk"), Fase.UITVOERING, beheerder)
    cyclus_in_fase(WerkgebiedFactory(naam="Zevenkamp"), Fase.ANALYSE, beheerder)
    make_cycle(WerkgebiedFactory(naam="Klaar"), jaar=2025, fase=Fase.AFGEROND)

    response = client.get("/lopende-cycli/")

    assert response.status_code == 200
    assert [str(c) for c in response.context["cycli"].object_list] == [
        "Zevenkamp 2027",
        "Afrikaanderwijk 2027",
        "Bloemhof 2027",
    ]
    html = response.content.decode()
    headings = re.findall(r'<h2 id="groep-[a-z]+" class="h4">([^<]+)</h2>', html)
    assert headings == ["Wijkanalyse", "Uitvoering", "Verantwoording"]
    assert re.search(rf"fase gepland tot \d{{1,2}} ({MAANDEN}) \d{{4}}", html)
    assert "Klaar 2025" not in html


@pytest.mark.django_db
def test_cycle_list_names_only_what_is_public(client, make_cycle, werkgebied, beheerder):
    """2026 in uitvoering (its programme adopted, not yet published; its report in concept; its
    published analysis reopened for a correction) and 2027 in analyse with its analysis in
    consultation: every status occurs."""
    oud = make_cycle(werkgebied, jaar=2026, fase=Fase.UITVOERING)
    nieuw = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    ter_consultatie(nieuw, "wijkanalyse", beheerder)
    services.product_transition(
        product=oud.wijkanalyse,
        user=beheerder,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden="De cijfers van 2024 waren verwisseld.",
    )
    producten = [
        p for c in Werkcyclus.objects.filter(pk__in=[oud.pk, nieuw.pk]) for p in c.producten()
    ]
    assert {p.status for p in producten} == set(Productstatus)

    for url in ["/werkgebieden/crooswijk/", "/wijken/rubroek/"]:
        html = client.get(url).content.decode()
        lijst = html[html.index('class="list-group cycli-lijst') :]
        lijst = lijst[: lijst.index("</ul>\n")]
        found = links(lijst)
        openbaar = {p.get_absolute_url(): p.titel for p in producten if p.is_openbaar}
        cycli = {c.get_absolute_url() for c in (oud, nieuw)}
        # In consultation or published: title and link; nothing else is linked but what is
        # being corrected, to its published versions, without a title.
        assert {href: found[href] for href in openbaar} == openbaar
        correctie = {p.get_absolute_url() for p in producten if p.status == Productstatus.CORRECTIE}
        assert len(correctie) == 1
        assert {re.sub(r"<[^>]+>", "", found[href]) for href in correctie} == {
            "gepubliceerde versies wijkanalyse"
        }
        assert set(found) == cycli | set(openbaar) | correctie
        # Adopted, not yet published: said so, without title; a concept: "in voorbereiding".
        for p in producten:
            if not p.is_openbaar:
                assert p.titel not in lijst
        vastgesteld = [p for p in producten if p.status == Productstatus.VASTGESTELD]
        concept = [p for p in producten if p.status == Productstatus.CONCEPT]
        assert lijst.count("vastgesteld, nog niet gepubliceerd") == len(vastgesteld)
        assert lijst.count("correctie in voorbereiding") == len(correctie)
        assert lijst.count("in voorbereiding") == len(concept) + len(correctie)


def test_templates_write_dates_in_full():
    """Dutch style everywhere: "1 april 2026" ("j F Y"), never "1 apr 2026" (the month
    abbreviated by "M", "b", "N" or "E") nor a numeric date on a page."""
    templates = Path(settings.BASE_DIR) / "templates"
    formats = []
    for path in sorted(templates.rglob("*.html")):
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8")):
            formats.append((str(path.relative_to(templates)), fmt))
    assert formats, "no date formats found: has the template syntax changed?"
    wrong = [(name, fmt) for name, fmt in formats if not re.fullmatch(r"j F Y( H:i)?", fmt)]
    assert not wrong, f"dates not written as 'j F Y' (or 'j F Y H:i'): {wrong}"
