"""The wijkmanager of Crooswijk takes a new cycle through every phase in the browser: start it,
write and adopt each phase's product, step the cycle on, and close it."""

import re

import pytest
from playwright.sync_api import expect

from cycle.models import Fase, Productstatus, Werkcyclus
from tests.participation.plan import kaders_invullen

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
JAAR = 2028

TEKSTEN = {
    "wijkanalyse": {
        "titel": f"Wijkanalyse Crooswijk {JAAR}: schoon en veilig",
        "wijkbeschrijving": "Crooswijk is een jonge, groeiende wijk met veel gezinnen.",
        "conclusies": "Meer aandacht voor zwerfafval en veilige oversteekplaatsen.",
    },
    "wijkagenda": {"toelichting": "Twee punten gaan voor: schone straten en veilige routes."},
    "wijkprogramma": {"toelichting": "Schoonmaakacties met bewoners; schoolzones herinrichten."},
    "wijkverslag": {"resultaten": "Tien schoonmaakacties en twee heringerichte schoolzones."},
}

STATUS_NA_STAP = {
    "Ter consultatie voorleggen": "in consultatie",
    "Vaststellen": "vastgesteld",
    "Publiceren": "gepubliceerd",
}


def success_message(page):
    return page.locator("[role=status] .alert-success")


def current_phase(page):
    return page.locator("p.lead .badge").first


def history(page):
    return page.locator("section[aria-labelledby='geschiedenis-kop'] table tbody")


def product_status(page):
    return page.locator("p", has_text="Status:").locator(".badge")


def write_and_adopt(page, live_server, soort: str, stappen: list[str]) -> None:
    """From the cycle page: open the phase product, fill its required sections, save, take
    ``stappen`` and return to the cycle page."""
    cyclus_url = f"{live_server.url}/werkgebieden/crooswijk/{JAAR}/"
    expect(page).to_have_url(cyclus_url)
    producten = page.locator("section[aria-labelledby='producten-kop']")
    submit(page, producten.locator(f"a[href$='/{JAAR}/{soort}/']"))
    expect(page).to_have_url(f"{cyclus_url}{soort}/")
    expect(product_status(page)).to_have_text("concept")

    submit(page, page.get_by_role("link", name="Bewerken", exact=True))
    expect(page).to_have_url(f"{cyclus_url}{soort}/bewerken/")
    for veld, tekst in TEKSTEN[soort].items():
        page.locator(f"#id_{veld}").fill(tekst)
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page).to_have_url(f"{cyclus_url}{soort}/")
    expect(success_message(page)).to_contain_text("is opgeslagen.")
    for veld, tekst in TEKSTEN[soort].items():
        if veld != "titel":
            expect(page.locator(".sectie-tekst", has_text=tekst.splitlines()[0])).to_have_count(1)
    if soort in INHOUD:
        INHOUD[soort](page, f"{cyclus_url}{soort}/")

    for stap in stappen:
        if stap == "Publiceren":
            confirm_publication(page)
        submit(page, page.get_by_role("button", name=stap, exact=True))
        status = STATUS_NA_STAP[stap]
        expect(success_message(page)).to_contain_text(f"heeft nu de status ‘{status}’")
        expect(product_status(page)).to_have_text(status)
    # An adopted product can no longer be edited.
    expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)

    kruimelpad = page.get_by_role("navigation", name="Kruimelpad")
    submit(page, kruimelpad.get_by_role("link", name=f"Cyclus {JAAR}"))
    expect(page).to_have_url(cyclus_url)


def analyse_per_thema(page, url: str) -> None:
    """The wijkanalyse reads the barometer by itself; the wijkmanager analyses a theme."""
    wijkfoto = page.locator("#wijkfoto")
    expect(wijkfoto.get_by_role("table").first).to_contain_text("Sociale index")
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_disabled()
    submit(page, page.locator("#themas").get_by_role("link", name="Schoon", exact=True))
    expect(page).to_have_url(f"{url}themas/schoon/")
    page.locator("#id_problemen").fill("Zwerfafval rond de containers.")
    page.locator("#id_onderbouwing").fill("Het meest gemelde thema.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page).to_have_url(f"{url}#thema-schoon")
    expect(success_message(page)).to_have_text("De analyse van het thema ‘schoon’ is opgeslagen.")
    expect(page.locator("#thema-schoon")).to_contain_text("Zwerfafval rond de containers.")


def agendapunt_toevoegen(page, url: str) -> None:
    """The agenda needs a point with a theme and evidence."""
    submit(page, page.get_by_role("link", name="Agendapunt toevoegen"))
    page.locator("#id_titel").fill("Schone straten")
    page.locator("#id_probleem").fill("Het vuil ligt naast de bakken.")
    page.locator("#id_thema").select_option(label="schoon")
    page.locator("#id_onderbouwing").fill("Wijkanalyse: schoon.")
    page.get_by_label(re.compile("groep bewoners")).check()
    submit(page, page.get_by_role("button", name=re.compile("Opslaan|Toevoegen")))
    expect(page.locator("ol", has_text="Schone straten")).to_be_visible()


def initiatief_toevoegen(page, url: str) -> None:
    """The programme needs an initiative whose owner committed, with a trekker: here a
    residents' group, whose answer the wijkmanager records on its behalf."""
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_disabled()
    submit(page, page.get_by_role("link", name="Initiatief toevoegen", exact=True).first)
    page.locator("#id_agendapunt").select_option(index=1)
    page.locator("#id_titel").fill("Schoonmaakochtenden")
    page.locator("#id_beoogd_effect").fill("Elke maand samen de straten schoon.")
    page.get_by_label("een groep bewoners").check()
    page.locator("#id_bewonersgroep").fill("Bewonersgroep Schone Straten")
    page.locator("#id_trekker_naam").fill("Mevrouw Yilmaz")
    page.locator("#id_start").fill(f"{JAAR}-02-01")
    page.locator("#id_eind").fill(f"{JAAR}-11-30")
    page.locator("#id_succesindicator").fill("De helft minder meldingen over afval")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page).to_have_url(re.compile(re.escape(url)))
    submit(
        page,
        page.get_by_role("link", name="Initiatief ‘Schoonmaakochtenden’ toezeggen of afwijzen"),
    )
    submit(page, page.get_by_role("button", name="Toezeggen"))
    expect(page.locator("main")).to_contain_text("Schoonmaakochtenden")
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_enabled()


def afloop_vastleggen(page, url: str) -> None:
    """The report waits for the end of every initiative: the twelve-month report records it
    (this one was overtaken by a partner's work, so it is dropped)."""
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_disabled()
    expect(page.locator("#twaalfmaanden")).to_contain_text("afloop nog niet vastgelegd")
    submit(page, page.get_by_role("link", name="Het twaalfmaandenrapport per initiatief"))
    submit(page, page.get_by_role("link", name="Afloop van ‘Schoonmaakochtenden’ vastleggen"))
    page.get_by_label("geschrapt").check()
    page.locator("#id_reden").fill("De corporatie heeft het overgenomen.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(success_message(page)).to_contain_text("geschrapt")
    visit(page, url)
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_enabled()


INHOUD = {
    "wijkanalyse": analyse_per_thema,
    "wijkagenda": agendapunt_toevoegen,
    "wijkprogramma": initiatief_toevoegen,
    "wijkverslag": afloop_vastleggen,
}


def confirm_publication(page) -> None:
    """Publishing cannot be undone and mails the council: without ticking the confirmation
    the browser does not send the form; then tick it."""
    button = page.get_by_role("button", name="Publiceren", exact=True)
    checkbox = page.get_by_role("checkbox", name=re.compile("publiceren niet ongedaan"))
    expect(checkbox).not_to_be_checked()
    url = page.url
    button.click()
    assert checkbox.evaluate("element => element.validity.valueMissing")
    expect(page).to_have_url(url)
    expect(product_status(page)).to_have_text("vastgesteld")
    checkbox.check()


def take_step(page, knop: str, van: str, naar: str, reden: str = "", verplicht=False) -> None:
    """On the cycle page: click the (enabled) step button and check the new phase and the
    history row for the transition."""
    button = page.get_by_role("button", name=knop, exact=True)
    expect(button).to_be_enabled()
    if verplicht:
        # Leaving the execution before its year is over: the reason is required.
        veld = page.get_by_role("textbox", name="Reden (verplicht)")
        expect(veld).to_have_attribute("required", "")
        veld.fill(reden)
    elif reden:
        page.get_by_role("textbox", name="Toelichting (optioneel)").fill(reden)
    submit(page, button)
    expect(success_message(page)).to_have_text(f"De cyclus is nu in de fase ‘{naar}’.")
    expect(current_phase(page)).to_have_text(naar)
    row = history(page).locator("tr", has_text=f"Fase {van} → {naar}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Wendy de Wijkmanager")
    if reden:
        expect(row).to_contain_text(reden)


def expect_blocked(page, knop: str, uitleg: str, ontbreekt: tuple[str, ...] = ()) -> None:
    """The step button is there but disabled, and explains (aria-describedby) why, naming
    what is still missing."""
    button = page.get_by_role("button", name=knop, exact=True)
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_description(re.compile("^" + re.escape(uitleg)))
    expect(page.get_by_text(uitleg, exact=True)).to_be_visible()
    for wat in ontbreekt:
        expect(button).to_have_accessible_description(re.compile(re.escape(wat)))


def test_wijkmanager_takes_a_cycle_from_start_to_finish(page, live_server, demo):
    login(page, WIJKMANAGER)
    expect(page).to_have_url(f"{live_server.url}/mijn-werk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    expect(page.get_by_role("link", name="Mijn werk")).to_have_attribute("aria-current", "page")
    wm_sectie = page.locator("section[aria-labelledby='sectie-wm']")
    expect(wm_sectie.get_by_role("link", name="Crooswijk 2027", exact=True)).to_be_visible()

    # Open the werkgebied from "Mijn rollen" and start the cycle of 2028.
    rollen = page.locator("section[aria-labelledby='rollen-kop']")
    submit(page, rollen.get_by_role("link", name="Crooswijk", exact=True))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/")
    submit(page, page.get_by_role("link", name="Nieuwe cyclus starten"))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/nieuwe-cyclus/")
    jaar = page.get_by_role("spinbutton", name=re.compile("^Programmajaar"))
    # Crooswijk has a cycle for 2027: the form proposes the first free year.
    expect(jaar).to_have_value(str(JAAR))
    submit(page, page.get_by_role("button", name="Cyclus starten"))

    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/{JAAR}/")
    expect(success_message(page)).to_have_text(f"De cyclus Crooswijk {JAAR} is gestart.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Werkcyclus Crooswijk {JAAR}")
    expect(current_phase(page)).to_have_text("wijkanalyse")
    expect(history(page).locator("tr", has_text="Cyclus gestart")).to_have_count(1)
    expect(page.get_by_role("link", name="Planning wijzigen")).to_be_visible()

    # The next step is visible but blocked until the wijkanalyse is adopted.
    expect_blocked(page, "Naar fase wijkagenda", "De wijkanalyse moet eerst vastgesteld zijn.")
    # The participation plan states the kaders of every phase (its own journey is
    # tests/e2e/test_plan_advies_journey.py): the analysis may go into consultation.
    kaders_invullen(Werkcyclus.objects.get(werkgebied__slug="crooswijk", jaar=JAAR))

    # 1. Wijkanalyse: consultation, adoption and publication.
    write_and_adopt(
        page,
        live_server,
        "wijkanalyse",
        ["Ter consultatie voorleggen", "Vaststellen", "Publiceren"],
    )
    take_step(page, "Naar fase wijkagenda", "wijkanalyse", "wijkagenda", reden="Analyse klaar")

    # 2. Wijkagenda.
    expect_blocked(page, "Naar fase wijkprogramma", "De wijkagenda moet eerst vastgesteld zijn.")
    write_and_adopt(page, live_server, "wijkagenda", ["Vaststellen", "Publiceren"])
    take_step(page, "Naar fase wijkprogramma", "wijkagenda", "wijkprogramma")

    # 3. Wijkprogramma.
    expect_blocked(page, "Naar fase uitvoering", "Het wijkprogramma moet eerst vastgesteld zijn.")
    write_and_adopt(page, live_server, "wijkprogramma", ["Vaststellen", "Publiceren"])
    take_step(page, "Naar fase uitvoering", "wijkprogramma", "uitvoering")

    # 4. Uitvoering: nothing to adopt, the programme is carried out.
    # The execution year has not ended yet, so leaving it early needs a reason.
    take_step(
        page,
        "Naar fase verantwoording",
        "uitvoering",
        "verantwoording",
        reden="Alle acties zijn eerder klaar",
        verplicht=True,
    )

    # 5. Verantwoording: every product must be published before the cycle can close.
    expect_blocked(
        page,
        "Cyclus afronden",
        "Alle producten van de cyclus moeten eerst gepubliceerd zijn.",
        ontbreekt=("Wijkverslag",),
    )
    write_and_adopt(page, live_server, "wijkverslag", ["Vaststellen", "Publiceren"])
    take_step(page, "Cyclus afronden", "verantwoording", "afgerond")

    # Closed: no further steps, every transition in the history, every product adopted.
    expect(page.locator("form[action$='/stap/']")).to_have_count(0)
    expect(page.get_by_role("heading", name="Volgende stap")).to_have_count(0)
    rows = history(page)
    for van, naar in [
        ("wijkanalyse", "wijkagenda"),
        ("wijkagenda", "wijkprogramma"),
        ("wijkprogramma", "uitvoering"),
        ("uitvoering", "verantwoording"),
        ("verantwoording", "afgerond"),
    ]:
        expect(rows.locator("tr", has_text=f"Fase {van} → {naar}")).to_have_count(1)
    expect(rows.locator("tr", has_text="Fase ")).to_have_count(5)
    badges = page.locator("section[aria-labelledby='producten-kop'] .badge")
    expect(badges).to_have_text(["gepubliceerd"] * 4)

    cyclus = Werkcyclus.objects.select_related(
        "wijkanalyse", "wijkagenda", "wijkprogramma", "wijkverslag"
    ).get(werkgebied__slug="crooswijk", jaar=JAAR)
    assert cyclus.fase == Fase.AFGEROND
    assert cyclus.wijkanalyse.titel == TEKSTEN["wijkanalyse"]["titel"]
    assert cyclus.wijkanalyse.status == Productstatus.GEPUBLICEERD
    assert cyclus.wijkagenda.status == Productstatus.GEPUBLICEERD
    assert cyclus.wijkprogramma.status == Productstatus.GEPUBLICEERD
    assert cyclus.uitvoering_afgerond is not None and cyclus.verantwoording_afgerond is not None
    assert cyclus.wijkverslag.status == Productstatus.GEPUBLICEERD
    assert cyclus.wijkverslag.resultaten == TEKSTEN["wijkverslag"]["resultaten"]
