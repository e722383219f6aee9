"""The wijkakkoord in the browser: the demo wijkmanager drafts Crooswijk's akkoord 2026–2029
from the werkgebied page (visie, an opgave, a doel, a resultaat) and sends it for advice; the
demo wijkraadslid of Crooswijk records the wijkraad's advice; the wijkmanager adopts it (the
decision recorded) and publishes it, then ties an agendapunt of the 2026 agenda to the opgave
and doel; an anonymous visitor reads the akkoord with what the 2026 cycle did for it. axe-core
checks every page visited."""

import pytest
from playwright.sync_api import expect

from cycle import services
from cycle.models import Agendapunt, Akkoordstatus, Fase, Wijkagenda, Wijkakkoord
from people.models import User
from tests.participation.plan import kaders_invullen

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
WIJKRAADSLID = "wijkraadslid@demo.wijkaanpak.nl"
WERKGEBIED, JAAR = "crooswijk", 2026
OPGAVE = "Schone straten in heel Crooswijk"
DOEL = "Minder afval naast de containers"
RESULTAAT = "De bijplaatsingen zijn gehalveerd"
PUNT = "Afval rond de Boezemweg"


@pytest.fixture
def crooswijk_2026(demo):
    """Crooswijk 2026 in its agenda phase (the analysis published, the agenda a concept)."""
    from cycle.demo import demo_cycle
    from places.models import Werkgebied

    cyclus = demo_cycle(
        werkgebied=Werkgebied.objects.select_related("gebied").get(slug=WERKGEBIED),
        jaar=JAAR,
        doel=Fase.AGENDA,
        user=User.objects.get(email=WIJKMANAGER),
    )
    assert cyclus.fase == Fase.AGENDA
    return cyclus


def success(page):
    return page.locator("[role=status] .alert-success")


def test_draft_advise_adopt_publish_and_read(page, browser, live_server, crooswijk_2026):
    # The wijkmanager starts the akkoord from the werkgebied page.
    login(page, WIJKMANAGER)
    visit(page, f"/werkgebieden/{WERKGEBIED}/")
    submit(page, page.get_by_role("link", name="Nieuw wijkakkoord opstellen"))
    page.locator("#id_startjaar").fill(str(JAAR))
    submit(page, page.get_by_role("button", name="Wijkakkoord starten"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkakkoord Crooswijk 2026–2029")
    # What is missing is listed, exactly.
    expect(page.locator("#ontbreekt li")).to_have_text(["de wijkvisie", "nog geen wijkopgaven"])

    submit(page, page.get_by_role("link", name="Titel en wijkvisie bewerken"))
    page.locator("#id_wijkvisie").fill("In 2029 is Crooswijk schoon, veilig en groen.")
    submit(page, page.get_by_role("button", name="Opslaan"))

    submit(page, page.get_by_role("link", name="Wijkopgave toevoegen"))
    page.locator("#id_titel").fill(OPGAVE)
    # Only spaces as the description: the message is next to the field, the title stays.
    page.locator("#id_beschrijving").fill("   ")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator("#id_beschrijving")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Beschrijf de opgave: wat moet er in de wijk gebeuren")).to_be_visible()
    expect(page.locator("#id_titel")).to_have_value(OPGAVE)
    page.locator("#id_beschrijving").fill("Afval op straat is de grootste ergernis.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(success(page)).to_contain_text("De wijkopgave is toegevoegd.")
    expect(page.locator("#ontbreekt li")).to_have_text([f"opgave ‘{OPGAVE}’ heeft geen doel"])

    submit(page, page.get_by_role("link", name=f"Doel toevoegen aan ‘{OPGAVE}’"))
    page.locator("#id_titel").fill(DOEL)
    submit(page, page.get_by_role("button", name="Opslaan"))
    submit(page, page.get_by_role("link", name=f"Resultaat toevoegen aan ‘{DOEL}’"))
    page.locator("#id_tekst").fill(RESULTAAT)
    page.locator("#id_indicator").fill("meldingen per maand")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator("#ontbreekt")).to_have_count(0)

    submit(page, page.get_by_role("button", name="Voor advies aan de wijkraad voorleggen"))
    expect(success(page)).to_contain_text("voor advies bij de wijkraad")
    assert Wijkakkoord.objects.get(werkgebied__slug=WERKGEBIED).status == Akkoordstatus.ADVIES

    # The wijkraadslid of Crooswijk records the wijkraad's advice.
    raad = browser.new_context(base_url=live_server.url, locale="nl-NL")
    raadpagina = raad.new_page()
    login(raadpagina, WIJKRAADSLID)
    akkoord_url = f"/werkgebieden/{WERKGEBIED}/wijkakkoord/{JAAR}/"
    visit(raadpagina, akkoord_url)
    submit(raadpagina, raadpagina.get_by_role("link", name="Advies vastleggen"))
    raadpagina.locator("#id_advies").fill("De wijkraad adviseert positief.")
    submit(raadpagina, raadpagina.get_by_role("button", name="Advies vastleggen"))
    expect(success(raadpagina)).to_contain_text("Het advies is vastgelegd.")
    raad.close()

    # The wijkmanager adopts it, recording the decision, and publishes it.
    visit(page, akkoord_url)
    expect(page.get_by_text("De wijkraad adviseert positief.")).to_be_visible()
    submit(page, page.get_by_role("link", name="Vaststellen"))
    page.locator("#id_vastgesteld_op").fill("2025-11-06")
    page.locator("#id_vastgesteld_door").fill("de gemeenteraad")
    page.locator("#id_besluitreferentie").fill("RIS 25-0042")
    submit(page, page.get_by_role("button", name="Vaststellen"))
    expect(success(page)).to_contain_text("Het wijkakkoord is vastgesteld.")
    submit(page, page.get_by_role("button", name="Publiceren"))
    expect(success(page)).to_contain_text("Het wijkakkoord is gepubliceerd.")

    # The 2026 agenda now offers the akkoord's opgaven and doelen.
    visit(page, f"/werkgebieden/{WERKGEBIED}/{JAAR}/wijkagenda/punten/nieuw/")
    page.locator("#id_titel").fill(PUNT)
    page.locator("#id_probleem").fill("Elke maandag ligt het afval naast de containers.")
    page.locator("#id_thema").select_option(index=1)
    page.locator("#id_onderbouwing").fill("120 meldingen in een jaar.")
    page.locator("#id_collectief").check()
    page.locator("#id_wijkopgave").select_option(label=f"1. {OPGAVE}")
    page.locator("#id_doel").select_option(label=f"1. {OPGAVE} – {DOEL}")
    submit(page, page.get_by_role("button", name="Opslaan"))
    punt = Agendapunt.objects.get(titel=PUNT)
    assert punt.doel.titel == DOEL
    # The agenda goes out for consultation: public, with the point.
    agenda = Wijkagenda.objects.select_related("cyclus__werkgebied").get(cyclus=crooswijk_2026)
    kaders_invullen(crooswijk_2026)
    services.product_transition(
        product=agenda,
        user=User.objects.get(email=WIJKMANAGER),
        transition="ter_consultatie",
        expected_status="concept",
    )

    # An anonymous visitor reads the akkoord and what the 2026 cycle did for the opgave.
    bezoeker = browser.new_context(base_url=live_server.url, locale="nl-NL")
    anoniem = bezoeker.new_page()
    visit(anoniem, f"/werkgebieden/{WERKGEBIED}/")
    submit(anoniem, anoniem.get_by_role("link", name="Wijkakkoord Crooswijk 2026–2029"))
    expect(anoniem.get_by_role("heading", level=1)).to_have_text("Wijkakkoord Crooswijk 2026–2029")
    expect(anoniem.get_by_text(RESULTAAT)).to_be_visible()
    expect(anoniem.get_by_text("RIS 25-0042", exact=False)).to_be_visible()
    jaar = anoniem.locator(f"#opgave-{punt.wijkopgave_id}-{JAAR}")
    expect(jaar.get_by_role("heading")).to_have_text(f"Cyclus {JAAR}")
    expect(jaar.get_by_role("link", name=PUNT)).to_be_visible()
    bezoeker.close()
