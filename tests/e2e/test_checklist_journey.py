"""The checklist "Wat is er aan de hand in de wijk?" in the browser: a resident fills it in
from "Mijn werk" and changes an answer; then the wijkmanager opens the overview of all answers
and quotes the resident's answer in a theme, and the quote shows on the wijkanalyse page.
axe-core checks every page on the way."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from cycle.models import ChecklistAntwoord, ChecklistInvulling, Fase
from people.models import Rol
from tests.people.factories import RoltoewijzingFactory, UserFactory

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WACHTWOORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def referentiedata(db):
    """The themes and the 40 questions come from a data migration; the live server's flush
    after an earlier test removed them. Put them back with the migration's own (idempotent)
    function."""
    from django.apps import apps

    migration = importlib.import_module("cycle.migrations.0005_wijkthemas_checklist")
    migration.add_reference_data(apps, None)


def success_message(page):
    return page.locator("[role=status] .alert-success")


def logout(page):
    submit(page, page.get_by_role("button", name="Uitloggen"))


def test_resident_fills_in_and_wijkmanager_quotes(page, live_server, werkgebied, make_cycle):
    make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    bewoner = UserFactory(email="bram@example.nl", naam="Bram Bewoner")
    RoltoewijzingFactory(user=bewoner, rol=Rol.BEWONER, werkgebied=werkgebied)
    manager = UserFactory(email="wendy@example.nl", naam="Wendy de Wijkmanager")
    RoltoewijzingFactory(user=manager, rol=Rol.WIJKMANAGER, werkgebied=werkgebied)
    checklist_url = f"{live_server.url}/werkgebieden/crooswijk/2027/checklist/"

    # The resident finds the open checklist on "Mijn werk".
    login(page, bewoner.email, WACHTWOORD)
    sectie = page.locator("section[aria-labelledby='checklist-mijn-werk-kop']")
    expect(sectie).to_contain_text("Crooswijk 2027")
    expect(sectie).to_contain_text("nog niet ingevuld")
    submit(page, sectie.get_by_role("link", name=re.compile("^Checklist invullen")))
    expect(page).to_have_url(f"{checklist_url}?als=bewoner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat is er aan de hand in de wijk?")
    # Forty questions in five named groups, all optional.
    expect(page.locator("fieldset")).to_have_count(5)
    expect(page.locator("fieldset legend").first).to_have_text("De wijk en haar problemen")
    expect(page.get_by_role("textbox")).to_have_count(40)

    # Nothing filled in: a message, nothing saved.
    submit(page, page.get_by_role("button", name="Antwoorden opslaan"))
    expect(page.get_by_text("Vul minstens één vraag in.")).to_be_visible()
    assert not ChecklistInvulling.objects.exists()

    page.get_by_label("1. Gaat de buurt vooruit- of achteruit?").fill(
        "Vooruit, sinds de nieuwbouw."
    )
    vraag3 = page.get_by_label(re.compile(r"3\. Wat zijn de belangrijkste problemen"))
    vraag3.fill("Zwerfafval bij de containers.")
    submit(page, page.get_by_role("button", name="Antwoorden opslaan"))
    expect(page).to_have_url(f"{checklist_url}?als=bewoner")
    expect(success_message(page)).to_contain_text("Uw antwoorden zijn opgeslagen")
    expect(vraag3).to_have_value("Zwerfafval bij de containers.")

    # Changing an answer.
    vraag3.fill("Zwerfafval en bijplaatsingen bij de containers aan de Kerkstraat.")
    submit(page, page.get_by_role("button", name="Antwoorden opslaan"))
    expect(success_message(page)).to_contain_text("Uw antwoorden zijn opgeslagen")
    expect(vraag3).to_have_value(
        "Zwerfafval en bijplaatsingen bij de containers aan de Kerkstraat."
    )
    invulling = ChecklistInvulling.objects.get()
    assert invulling.versie == 2
    assert ChecklistAntwoord.objects.filter(invulling=invulling).count() == 2

    # Back on "Mijn werk" the checklist is filled in and can still be changed.
    visit(page, "/mijn-werk/")
    expect(sectie).to_contain_text("ingevuld, laatst gewijzigd op")
    logout(page)

    # The wijkmanager opens all answers from "Mijn werk".
    login(page, manager.email, WACHTWOORD)
    submit(page, sectie.get_by_role("link", name=re.compile("^Alle antwoorden")))
    expect(page).to_have_url(f"{checklist_url}antwoorden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antwoorden op de checklist")
    expect(page.get_by_text("Ingevuld door 1 respondent")).to_be_visible()
    # By type and number, never by name.
    expect(page.locator("main")).not_to_contain_text("Bram")
    vraag = page.locator("section[aria-labelledby='vraag-3']")
    antwoord = vraag.locator("li.checklist-antwoord")
    expect(antwoord).to_have_count(1)
    expect(antwoord).to_contain_text("bewoner 1")
    expect(antwoord).to_contain_text("bijplaatsingen bij de containers aan de Kerkstraat")

    antwoord.get_by_label(
        re.compile("Thema om het antwoord van bewoner 1 op vraag 3")
    ).select_option(label="schoon")
    submit(page, antwoord.get_by_role("button", name="Citeren bij thema"))
    expect(success_message(page)).to_have_text(
        "Het antwoord op vraag 3 is geciteerd bij het thema ‘schoon’."
    )
    antwoord = page.locator("section[aria-labelledby='vraag-3'] li.checklist-antwoord")
    expect(antwoord.locator("ul.geciteerd-bij")).to_contain_text("schoon")

    # On the wijkanalyse page, the quote is evidence in the theme, as "een bewoner".
    visit(page, "/werkgebieden/crooswijk/2027/wijkanalyse/")
    thema = page.locator("#thema-schoon")
    expect(thema).to_contain_text(
        "Zwerfafval en bijplaatsingen bij de containers aan de Kerkstraat."
    )
    expect(thema).to_contain_text("een bewoner, op vraag 3")
    expect(thema).not_to_contain_text("Bram")


def test_closed_checklist_and_no_access_pages(page, live_server, werkgebied, make_cycle):
    """Once the cycle has moved on, the resident reads their answers; a resident of another
    werkgebied is told whose checklist it is."""
    from cycle.services_checklist import checklist_opslaan
    from tests.places.factories import WerkgebiedFactory

    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    bewoner = UserFactory(email="bram@example.nl")
    RoltoewijzingFactory(user=bewoner, rol=Rol.BEWONER, werkgebied=werkgebied)
    checklist_opslaan(
        wijkanalyse=cyclus.wijkanalyse,
        user=bewoner,
        respondent="bewoner",
        antwoorden={1: "Vooruit, sinds de nieuwbouw."},
        expected_versie=None,
    )
    # The cycle moves on to the agenda phase (set directly: this journey is about the checklist).
    type(cyclus).objects.filter(pk=cyclus.pk).update(fase=Fase.AGENDA)

    login(page, bewoner.email, WACHTWOORD)
    expect(page.locator("section[aria-labelledby='checklist-mijn-werk-kop']")).to_have_count(0)
    visit(page, "/werkgebieden/crooswijk/2027/checklist/")
    expect(page.get_by_role("note")).to_contain_text("De checklist is gesloten")
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.locator("dd").first).to_have_text("Vooruit, sinds de nieuwbouw.")
    logout(page)

    buur = UserFactory(email="buur@example.nl")
    RoltoewijzingFactory(user=buur, rol=Rol.BEWONER, werkgebied=WerkgebiedFactory())
    login(page, buur.email, WACHTWOORD)
    response = visit(page, "/werkgebieden/crooswijk/2027/checklist/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.locator("main")).to_contain_text("is voor de bewoners van dit werkgebied")
    expect(page.get_by_role("link", name="Naar de startpagina")).to_be_visible()
