"""The wijkbudget in the browser: the beheerder sets Crooswijk's budget for 2027 (a wrong
amount is refused next to its field); the programme's bestedingsvoorstel asks more than the
programma part holds, so adoption is blocked with the amounts; the beheerder raises the part
and the wijkmanager adopts, which reserves the action's request; the wijkmanager books a
knelpunt expense in two steps; a resident reads the public budget page. axe-core checks
every page."""

import datetime

import pytest
from playwright.sync_api import expect

from budgets.models import Boeking, Budgetdeel
from cycle.models import Agendapunt, Productstatus, Wijkprogramma
from cycle.services_programma import initiatief_toevoegen, initiatief_toezeggen
from people.models import Cluster, User
from tests.participation.factories import MeldingFactory

from .axe import submit, visit
from .conftest import login
from .test_agenda_journey import cycle_reference_data  # noqa: F401 (a fixture)
from .test_programma_journey import crooswijk_in_programma  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
BEHEERDER = "beheerder@demo.wijkaanpak.nl"
BUDGET = "/werkgebieden/crooswijk/budget/2027/"
PROGRAMMA = "/werkgebieden/crooswijk/2027/wijkprogramma/"


def success(page):
    return page.locator("[role=status] .alert-success")


def budget_zetten(page, programma: str):
    visit(page, BUDGET + "instellen/")
    page.get_by_label("Acties van het wijkprogramma").fill(programma)
    page.get_by_label("Bewonersinitiatieven").fill("10.000")
    page.get_by_label("Knelpuntenbudget").fill("1.000")
    submit(page, page.get_by_role("button", name="Budget vaststellen"))


def test_budget_bestedingsvoorstel_knelpunt_and_public_page(
    page,
    browser,
    live_server,
    crooswijk_in_programma,  # noqa: F811
):
    cyclus = crooswijk_in_programma
    wijkmanager = User.objects.get(email=WIJKMANAGER)
    accounthouder = User.objects.get(email=ACCOUNTHOUDER)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    initiatief = initiatief_toevoegen(
        wijkprogramma=programma,
        user=wijkmanager,
        expected_versie=programma.versie,
        agendapunt=Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).order_by("rang").first(),
        titel="Bankjes langs de Boezem",
        beoogd_effect="Ouderen kunnen onderweg uitrusten.",
        cluster=Cluster.objects.get(slug="stadsbeheer"),
        trekker_naam="Sanne Bakker",
        start=datetime.date(2027, 3, 1),
        eind=datetime.date(2027, 10, 1),
        bedrag="2500",
        financiering="wijkbudget",
        succesindicator="Zes nieuwe bankjes",
    )
    initiatief_toezeggen(
        initiatief=initiatief, user=accounthouder, expected_versie=initiatief.versie
    )

    # The beheerder sets the budget: a wrong amount first, then one too small.
    beheer = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        bp = beheer.new_page()
        login(bp, BEHEERDER)
        budget_zetten(bp, "12,345")
        expect(bp.locator("#id_programma")).to_have_attribute("aria-invalid", "true")
        expect(bp.get_by_text("hoogstens twee cijfers achter de komma")).to_be_visible()
        budget_zetten(bp, "2.000")
        expect(success(bp)).to_contain_text("Het budget is vastgesteld")

        # The wijkmanager: the bestedingsvoorstel asks more than there is.
        login(page, WIJKMANAGER)
        visit(page, PROGRAMMA)
        voorstel = page.locator("#bestedingsvoorstel")
        expect(voorstel).to_contain_text("Bankjes langs de Boezem")
        expect(voorstel).to_contain_text("€ 500,00 te weinig")
        expect(page.get_by_role("button", name="Vaststellen", exact=True)).to_be_disabled()
        expect(page.locator("#waarom-vaststellen")).to_contain_text("€ 500,00 te weinig")

        # The beheerder raises the part; now the programme can be adopted.
        budget_zetten(bp, "3000,00")
        expect(success(bp)).to_contain_text("Het budget is vastgesteld")
    finally:
        beheer.close()
    visit(page, PROGRAMMA)
    vaststellen = page.get_by_role("button", name="Vaststellen", exact=True)
    expect(vaststellen).to_be_enabled()
    submit(page, vaststellen)
    expect(success(page)).to_contain_text("vastgesteld")
    assert Wijkprogramma.objects.get(pk=programma.pk).status == Productstatus.VASTGESTELD
    reservering = Boeking.objects.get(initiatief=initiatief)
    assert str(reservering.bedrag) == "2500.00"

    # The wijkmanager books a knelpunt expense: reserve, then pay.
    melding = MeldingFactory(wijk=cyclus.werkgebied.wijken.order_by("pk").first())
    visit(page, BUDGET + "knelpunten/")
    page.get_by_label("Bedrag").fill("-5")
    page.get_by_label("Waarvoor is het nodig?").fill("Graffiti op de speeltuin")
    page.get_by_label("Of het nummer van de melding die het oplost").fill(str(melding.pk))
    submit(page, page.get_by_role("button", name="Reserveren"))
    expect(page.get_by_text("Een bedrag kan niet negatief zijn.")).to_be_visible()
    expect(page.get_by_label("Waarvoor is het nodig?")).to_have_value("Graffiti op de speeltuin")
    page.get_by_label("Bedrag").fill("350")
    submit(page, page.get_by_role("button", name="Reserveren"))
    expect(success(page)).to_contain_text("gereserveerd")
    kaart = page.locator("article").first
    kaart.get_by_label("Betaald bedrag").fill("349,95")
    kaart.get_by_label("Factuur of toelichting").fill("Factuur schilder")
    submit(page, kaart.get_by_role("button", name="Betalen"))
    expect(success(page)).to_contain_text("De betaling is geboekt")
    deel = Budgetdeel.objects.get(
        budget__werkgebied__slug="crooswijk", budget__jaar=2027, soort="knelpunten"
    )
    assert (str(deel.gereserveerd), str(deel.betaald)) == ("350.00", "349.95")

    # A resident reads the public budget page.
    anoniem = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        ap = anoniem.new_page()
        visit(ap, BUDGET)
        expect(ap.get_by_role("heading", level=1)).to_contain_text("Wijkbudget 2027 van Crooswijk")
        expect(ap.get_by_test_id("beschikbaar-programma")).to_have_text("€ 500,00")
        expect(ap.get_by_text("Bankjes langs de Boezem: € 2.500,00")).to_be_visible()
        expect(ap.get_by_text("Graffiti op de speeltuin")).to_have_count(0)
    finally:
        anoniem.close()
