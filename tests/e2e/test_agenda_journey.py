"""The wijkagenda in the browser: the wijkmanager of Crooswijk builds the agenda, ranks it with
the keyboard only and adopts it; the accounthouder of Stadsbeheer answers a beleidssignaal from
"Mijn werk", and the answer is public with the agenda. axe-core checks every page."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cycle.models import (
    Agendapunt,
    Beleidssignaal,
    Fase,
    Productstatus,
    Signaalstatus,
    Werkcyclus,
    Wijkanalyse,
    Wijkthema,
)
from cycle.services import product_transition, product_update, werkcyclus_transition
from cycle.services_analyse import thema_analyse_opslaan
from people.models import User

from .axe import assert_accessible, submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
AGENDA = "/werkgebieden/crooswijk/2027/wijkagenda/"

FOCUSED = "() => document.activeElement.getAttribute('aria-label') || ''"


@pytest.fixture
def cycle_reference_data(transactional_db):
    """The themes and checklist questions of cycle's data migration (a live-server test
    starts from a flushed database)."""
    importlib.import_module("cycle.migrations.0005_wijkthemas_checklist").add_reference_data(
        apps, None
    )


@pytest.fixture
def crooswijk_in_agenda(cycle_reference_data, demo):
    """Crooswijk 2027 taken to phase agenda through the services: its analysis (two themes)
    adopted."""
    user = User.objects.get(email=WIJKMANAGER)
    cyclus = Werkcyclus.objects.get(werkgebied__slug="crooswijk", jaar=2027)
    analyse = Wijkanalyse.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    analyse = product_update(
        product=analyse,
        user=user,
        expected_versie=analyse.versie,
        data={"wijkbeschrijving": "Een jonge wijk.", "conclusies": "Schoon en veilig eerst."},
    )
    for slug in ("schoon", "veilig"):
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=user,
            expected_versie=Wijkanalyse.objects.get(pk=analyse.pk).versie,
            thema=Wijkthema.objects.get(slug=slug),
            problemen=f"Problemen rond {slug}.",
            onderbouwing="Wijkprofiel en meldingen.",
        )
    product_transition(
        product=Wijkanalyse.objects.get(pk=analyse.pk),
        user=user,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    werkcyclus_transition(
        cyclus_id=cyclus.pk, user=user, transition="naar_agenda", expected_fase=Fase.ANALYSE
    )
    return cyclus


def success(page):
    return page.locator("[role=status] .alert-success")


def punten(page):
    return page.locator("ol.agendapunten > li h3")


def tab_to_label(page, label: str, max_tabs: int = 120) -> None:
    """Press Tab until the focused element's accessible name (aria-label) is ``label``."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == label:
            return
    raise AssertionError(f"{label!r} cannot be reached with the Tab key")


def add_point(page, titel, probleem, thema, *, analyse=None, onderbouwing=""):
    submit(page, page.get_by_role("link", name="Agendapunt toevoegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agendapunt toevoegen")
    page.locator("#id_titel").fill(titel)
    page.locator("#id_probleem").fill(probleem)
    page.locator("#id_thema").select_option(label=thema)
    if analyse:
        page.get_by_label(f"De analyse van het thema ‘{analyse}’").check()
    if onderbouwing:
        page.locator("#id_onderbouwing").fill(onderbouwing)
    page.get_by_label("Dit punt dient een groep bewoners").check()
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(success(page)).to_contain_text(f"Agendapunt ‘{titel}’ is toegevoegd")


def test_wijkmanager_builds_ranks_by_keyboard_and_adopts(page, crooswijk_in_agenda):
    login(page, WIJKMANAGER)
    visit(page, AGENDA)
    expect(page.get_by_text("Er staan nog geen agendapunten op de agenda.")).to_be_visible()
    # Adopting is blocked while the agenda is empty.
    expect(page.get_by_role("button", name=re.compile("Vaststellen"))).to_be_disabled()

    # An individual complaint is refused: the browser asks for the confirmation first, and
    # without it (the check in the browser bypassed) the server says why, next to the
    # checkbox; what was typed stays.
    submit(page, page.get_by_role("link", name="Agendapunt toevoegen"))
    page.locator("#id_titel").fill("De stoep voor mijn deur")
    page.locator("#id_probleem").fill("Mijn stoep ligt scheef.")
    url = page.url
    page.get_by_role("button", name="Opslaan").click()
    collectief = page.get_by_label("Dit punt dient een groep bewoners")
    assert collectief.evaluate("element => element.validity.valueMissing")
    expect(page).to_have_url(url)
    collectief.evaluate("element => element.removeAttribute('required')")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(
        page.get_by_text(re.compile("alleen punten die een groep bewoners dienen"))
    ).to_be_visible()
    expect(page.locator("#id_titel")).to_have_value("De stoep voor mijn deur")
    submit(page, page.get_by_role("link", name="Terug naar de wijkagenda"))

    add_point(
        page,
        "Schone straten",
        "Het vuil ligt elke maandag naast de containers.",
        "schoon",
        analyse="schoon",
    )
    add_point(
        page,
        "Veilige schoolroutes",
        "Ik laat mijn kinderen niet alleen oversteken.",
        "veilig",
        onderbouwing="Bewonersavond 12 maart.",
    )
    expect(punten(page)).to_have_text(["1. Schone straten", "2. Veilige schoolroutes"])

    # Rank with the keyboard: Tab to the move button, press Enter.
    visit(page, AGENDA)
    tab_to_label(page, "Agendapunt ‘Veilige schoolroutes’ omhoog")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(success(page)).to_have_text("Agendapunt ‘Veilige schoolroutes’ staat nu op plaats 1.")
    expect(punten(page)).to_have_text(["1. Veilige schoolroutes", "2. Schone straten"])
    punt = Agendapunt.objects.get(
        wijkagenda__cyclus=crooswijk_in_agenda, titel="Veilige schoolroutes"
    )
    assert page.url.endswith(f"{AGENDA}#punt-{punt.pk}")
    # Focus stays with the moved point (its "up" button is gone at the top); the next Tab
    # reaches its "down" button, and Space moves it back.
    assert page.evaluate("() => document.activeElement.id") == f"punt-{punt.pk}"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Agendapunt ‘Veilige schoolroutes’ omlaag"
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Space")
    assert_accessible(page)
    expect(success(page)).to_have_text("Agendapunt ‘Veilige schoolroutes’ staat nu op plaats 2.")
    # At the bottom its "down" button is gone too: the focus is on the point, and the next
    # Tab reaches its "up" button.
    assert page.evaluate("() => document.activeElement.id") == f"punt-{punt.pk}"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Agendapunt ‘Veilige schoolroutes’ omhoog"
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(punten(page)).to_have_text(["1. Veilige schoolroutes", "2. Schone straten"])
    assert list(
        Agendapunt.objects.filter(wijkagenda__cyclus=crooswijk_in_agenda).values_list(
            "titel", "rang"
        )
    ) == [("Veilige schoolroutes", 1), ("Schone straten", 2)]

    # A point for policy, addressed to a cluster.
    submit(page, page.get_by_role("link", name="Beleidssignaal toevoegen"))
    page.locator("#id_titel").fill("Grofvuil vaker ophalen")
    page.locator("#id_toelichting").fill("Eens per twee weken is te weinig.")
    page.get_by_label("Gericht aan cluster").select_option(label="Stadsbeheer")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(success(page)).to_contain_text("gericht aan Stadsbeheer")
    signaal = page.locator("#beleidssignalen li", has_text="Grofvuil vaker ophalen")
    expect(signaal).to_contain_text("open")

    # Adopt.
    submit(page, page.get_by_role("button", name="Vaststellen", exact=True))
    expect(success(page)).to_contain_text("heeft nu de status ‘vastgesteld’")
    expect(page.get_by_role("button", name=re.compile("omhoog|omlaag"))).to_have_count(0)
    expect(page.get_by_role("link", name="Agendapunt toevoegen")).to_have_count(0)
    crooswijk_in_agenda.wijkagenda.refresh_from_db()
    assert crooswijk_in_agenda.wijkagenda.status == Productstatus.VASTGESTELD


def test_accounthouder_answers_a_beleidssignaal_from_mijn_werk(
    page, browser, live_server, cycle_reference_data, demo
):
    """Kralingen 2027's agenda (published) asks Stadsbeheer to change the bulky-waste
    schedule; the demo accounthouder of Stadsbeheer answers it."""
    titel = "Inzamelschema grofvuil past niet bij de wijk"
    login(page, ACCOUNTHOUDER)
    sectie = page.locator("section[aria-labelledby='beleidssignalen-kop']")
    expect(sectie.get_by_role("heading")).to_have_text("Beleidssignalen aan mijn cluster")
    links = sectie.get_by_role("link", name=titel)
    expect(links.first).to_be_visible()
    wachtend = links.count()
    submit(page, links.first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Beleidssignaal ‘{titel}’")

    # Take it up first, then answer; an answer of only spaces is refused next to the field.
    submit(page, page.get_by_role("button", name="In behandeling nemen"))
    expect(success(page)).to_contain_text("in behandeling genomen")
    veld = page.get_by_role("textbox", name="Antwoord")
    veld.fill("   ")
    submit(page, page.get_by_role("button", name="Antwoord versturen"))
    expect(page.get_by_text("Schrijf het antwoord op het signaal.")).to_be_visible()
    antwoord = "Vanaf januari halen we in deze wijk elke week grofvuil op."
    veld.fill(antwoord)
    submit(page, page.get_by_role("button", name="Antwoord versturen"))
    expect(page).to_have_url(re.compile("/mijn-werk/$"))
    expect(success(page)).to_contain_text("Uw antwoord op")
    sectie = page.locator("section[aria-labelledby='beleidssignalen-kop']")
    expect(sectie.get_by_role("link", name=titel)).to_have_count(wachtend - 1)

    beantwoord = Beleidssignaal.objects.get(status=Signaalstatus.BEANTWOORD)
    cyclus = beantwoord.wijkagenda.cyclus
    assert beantwoord.antwoord == antwoord

    # The answer is public with the agenda.
    anoniem = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        publiek = anoniem.new_page()
        visit(publiek, f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkagenda/")
        item = publiek.locator(f"#signaal-{beantwoord.pk}")
        expect(item).to_contain_text(antwoord)
        expect(item).to_contain_text("Antwoord van Stadsbeheer")
        expect(item).to_contain_text("beantwoord")
        expect(publiek.get_by_role("link", name=re.compile("beantwoorden"))).to_have_count(0)
    finally:
        anoniem.close()
