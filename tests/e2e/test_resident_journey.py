"""An anonymous resident finds their wijk, its werkgebied and cycles, and reads what is
published; concepts and steps stay out of sight."""

import re

import pytest
from playwright.sync_api import expect

from cycle.demo import TEKSTEN

from .axe import submit, visit

pytestmark = pytest.mark.e2e


def current_phase(page):
    """The badge after "Huidige fase:" on a cycle page."""
    return page.locator("p.lead .badge").first


def step_forms(page):
    return page.locator("form[action$='/stap/']")


def test_resident_finds_wijk_cycle_and_published_report(page, live_server, demo):
    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat gebeurt er in uw wijk?")

    # Choose the wijk with the labelled select and submit the form.
    wijk = page.get_by_role("combobox", name=re.compile(r"^Uw wijk"))
    expect(wijk).to_have_id("id_wijk")
    wijk.select_option("rubroek")
    submit(page, page.get_by_role("button", name="Naar mijn wijk"))
    expect(page).to_have_url(f"{live_server.url}/wijken/rubroek/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rubroek")

    # Key figures: inhabitants (a number from CBS).
    cijfers = page.locator("section[aria-labelledby='cijfers-kop']")
    expect(cijfers.get_by_role("heading", name="Kerncijfers")).to_be_visible()
    inwoners = cijfers.locator("dt", has_text="Inwoners").locator("xpath=following-sibling::dd[1]")
    expect(inwoners).to_have_text(re.compile(r"^\d[\d.,]* \(\d{4}, CBS\)$"))
    # The Wijkprofiel over the years: the barometer, each index with its numbers in a table.
    barometer = page.locator("section[aria-labelledby='barometer-kop']")
    profiel = barometer.get_by_role("table").first
    expect(profiel.locator("caption")).to_contain_text("Sociale index per meetjaar")
    expect(profiel.locator("tbody tr").first).to_be_visible()
    expect(profiel.locator("tbody tr").first.locator("th")).to_have_text(re.compile(r"^\d{4}$"))

    # On to the werkgebied and its 2027 cycle, which is in the analysis phase.
    submit(page, page.get_by_role("link", name="Naar werkgebied Crooswijk"))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkgebied Crooswijk")
    expect(page.get_by_role("link", name="Nieuwe cyclus starten")).to_have_count(0)
    submit(page, page.get_by_role("link", name="Cyclus 2027", exact=True))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/2027/")
    expect(current_phase(page)).to_have_text("wijkanalyse")
    # A resident sees no step buttons and no planning link...
    expect(step_forms(page)).to_have_count(0)
    expect(page.get_by_role("heading", name="Volgende stap")).to_have_count(0)
    expect(page.get_by_role("link", name="Planning wijzigen")).to_have_count(0)
    # ...and the concept wijkanalyse is announced as in preparation: no title, no link.
    producten = page.locator("section[aria-labelledby='producten-kop']")
    eerste = producten.locator("li").first
    expect(eerste).to_have_text(re.compile(r"Wijkanalyse\s+in voorbereiding"))
    expect(producten).not_to_contain_text("Wijkanalyse Crooswijk 2027")
    expect(producten.get_by_role("link")).to_have_count(0)

    # A finished cycle: the published wijkverslag can be read.
    visit(page, "/werkgebieden/delfshaven-schiemond/2025/")
    expect(current_phase(page)).to_have_text("afgerond")
    expect(step_forms(page)).to_have_count(0)
    verslag_item = page.locator("section[aria-labelledby='producten-kop'] li").filter(
        has=page.locator("a[href$='/wijkverslag/']")
    )
    expect(verslag_item.locator(".badge")).to_have_text("gepubliceerd")
    submit(page, verslag_item.get_by_role("link"))
    expect(page).to_have_url(
        f"{live_server.url}/werkgebieden/delfshaven-schiemond/2025/wijkverslag/"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wijkverslag")
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("gepubliceerd")
    resultaten = page.locator("section").filter(
        has=page.get_by_role("heading", name="Terugblik en lessen")
    )
    expect(resultaten.locator(".sectie-tekst")).to_have_text(TEKSTEN["wijkverslag"]["resultaten"])
    expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
    expect(step_forms(page)).to_have_count(0)


def test_resident_cannot_open_a_concept(page, live_server, demo):
    response = visit(page, "/werkgebieden/crooswijk/2027/wijkanalyse/")
    # Redirected to the login page, with the concept as the page to return to.
    assert response.status == 200
    expect(page).to_have_url(
        re.compile(
            re.escape(f"{live_server.url}/inloggen/?next=")
            + re.escape("/werkgebieden/crooswijk/2027/wijkanalyse/").replace("/", "(/|%2F)")
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_text(TEKSTEN["wijkanalyse"]["conclusies"])).to_have_count(0)


def test_resident_browses_lists_and_roles(page, demo):
    visit(page, "/wijken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alle wijken")
    expect(page.get_by_role("link", name="Rubroek", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Wijken", exact=True)).to_have_attribute(
        "aria-current", "page"
    )

    visit(page, "/werkgebieden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkgebieden en wijkraden")
    expect(page.locator("a[href='/werkgebieden/crooswijk/']")).to_have_count(1)

    visit(page, "/werkgebieden/crooswijk/rollen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rollen en bevoegdheden in Crooswijk")
    stap = "de cyclus naar de volgende fase brengen"
    wijkmanager = page.locator("section[aria-labelledby='rol-wijkmanager']")
    expect(wijkmanager.get_by_role("heading", level=2)).to_have_text("Wijkmanager")
    expect(wijkmanager.get_by_role("listitem").filter(has_text=stap)).to_have_count(1)
    wijkraadslid = page.locator("section[aria-labelledby='rol-wijkraadslid']")
    expect(wijkraadslid.get_by_role("heading", level=2)).to_have_text("Wijkraadslid")
    expect(wijkraadslid).to_be_visible()
    expect(wijkraadslid.get_by_text(stap)).to_have_count(0)


def test_skip_link_is_the_first_tab_stop(page, demo):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_attribute("href", "#inhoud")
    # Following it moves focus to the main content.
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
