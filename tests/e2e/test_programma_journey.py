"""The wijkprogramma in the browser: the wijkmanager of Crooswijk adds an initiative for
Stadsbeheer (a mistake in the planning is refused next to the field, nothing typed is lost);
the accounthouder of Stadsbeheer finds it on "Mijn werk" and commits, naming the trekker; the
wijkmanager sees the adoption check satisfied and adopts the programme. axe-core checks every
page."""

import re

import pytest
from playwright.sync_api import expect

from cycle.demo import vul_product
from cycle.models import (
    Fase,
    Initiatief,
    Productstatus,
    Toezegging,
    Werkcyclus,
    Wijkagenda,
    Wijkanalyse,
    Wijkprogramma,
)
from cycle.services import product_transition, werkcyclus_transition
from people.models import Cluster, User

from .axe import submit, visit
from .conftest import login
from .test_agenda_journey import cycle_reference_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
PROGRAMMA = "/werkgebieden/crooswijk/2027/wijkprogramma/"
TITEL = "Grofvuil-ophaaldag met de buurt"


@pytest.fixture
def crooswijk_in_programma(cycle_reference_data, demo):  # noqa: F811
    """Crooswijk 2027 taken to phase programma through the services: its analysis and its
    agenda (the demo's three points) filled and adopted; the programme still empty."""
    user = User.objects.get(email=WIJKMANAGER)
    cyclus = Werkcyclus.objects.get(werkgebied__slug="crooswijk", jaar=2027)
    for model, stap, fase in (
        (Wijkanalyse, "naar_agenda", Fase.ANALYSE),
        (Wijkagenda, "naar_programma", Fase.AGENDA),
    ):
        product = vul_product(
            model.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus), user
        )
        product_transition(
            product=product,
            user=user,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
        werkcyclus_transition(cyclus_id=cyclus.pk, user=user, transition=stap, expected_fase=fase)
    return Werkcyclus.objects.get(pk=cyclus.pk)


def success(page):
    return page.locator("[role=status] .alert-success")


def test_initiative_committed_by_the_cluster_and_programme_adopted(
    page, browser, live_server, crooswijk_in_programma
):
    cyclus = crooswijk_in_programma
    eerste_punt = cyclus.wijkagenda.agendapunten.order_by("rang").first()

    # The wijkmanager: an empty programme cannot be adopted.
    login(page, WIJKMANAGER)
    visit(page, PROGRAMMA)
    expect(page.get_by_text("Voor dit agendapunt staat nog geen initiatief")).to_have_count(3)
    expect(page.get_by_role("button", name="Vaststellen", exact=True)).to_be_disabled()
    expect(page.locator("#waarom-vaststellen")).to_contain_text("Nog geen initiatieven")

    # Add an initiative for the first agendapunt, owned by Stadsbeheer; the trekker is left
    # to the cluster.
    submit(page, page.get_by_role("link", name="Initiatief toevoegen", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiatief toevoegen")
    page.get_by_label("Agendapunt").select_option(label=f"1. {eerste_punt.titel}")
    page.get_by_label("Titel").fill(TITEL)
    page.get_by_label("Beoogd effect").fill("Eén keer per maand samen het grofvuil opruimen.")
    page.get_by_label("een cluster van de gemeente").check()
    page.get_by_label("Cluster", exact=True).select_option(label="Stadsbeheer")
    page.get_by_label(re.compile(r"coproduceren \(meedoen\)")).check()
    page.get_by_label("Geplande start").fill("2027-03-01")
    page.get_by_label("Gepland einde").fill("2027-02-01")  # before the start: refused
    page.get_by_label("Benodigd bedrag (euro)").fill("1.500,50")
    page.get_by_label("Financiering").select_option(label="uit het wijkbudget")
    page.get_by_label("Succesindicator").fill("Geen grofvuil meer op straat na de ophaaldag.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Het einde ligt vóór de start.")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value(TITEL)
    expect(page.get_by_label("Benodigd bedrag (euro)")).to_have_value("1.500,50")
    expect(page.get_by_label("Cluster", exact=True)).to_have_value(
        str(Cluster.objects.get(slug="stadsbeheer").pk)
    )
    page.get_by_label("Gepland einde").fill("2027-11-30")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(success(page)).to_contain_text(
        f"Initiatief ‘{TITEL}’ is toegevoegd; Stadsbeheer wordt om een toezegging gevraagd."
    )
    initiatief = Initiatief.objects.get(titel=TITEL)
    assert page.url.endswith(f"{PROGRAMMA}#initiatief-{initiatief.pk}")
    kaart = page.locator(f"#initiatief-{initiatief.pk}")
    expect(kaart).to_contain_text("wacht op toezegging")
    expect(kaart).to_contain_text("€ 1.500,50, uit het wijkbudget")
    expect(kaart).to_contain_text("nog niet bekend")  # no trekker yet
    # The wijkmanager does not answer for a cluster.
    expect(kaart.get_by_role("link", name=re.compile("toezeggen of afwijzen"))).to_have_count(0)
    expect(page.get_by_role("button", name="Vaststellen", exact=True)).to_be_disabled()
    expect(page.locator("#waarom-vaststellen")).to_contain_text(
        "1 initiatief zonder toezegging van de eigenaar"
    )

    # The accounthouder of Stadsbeheer, in a browser of their own.
    ander = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        ah = ander.new_page()
        login(ah, ACCOUNTHOUDER)
        sectie = ah.locator("section[aria-labelledby='toezeggingen-kop']")
        expect(sectie.get_by_role("heading")).to_have_text(
            "Initiatieven die op de toezegging van mijn cluster wachten"
        )
        expect(sectie).to_contain_text("Crooswijk 2027")
        submit(ah, sectie.get_by_role("link", name=TITEL))
        expect(ah.get_by_role("heading", level=1)).to_have_text(
            f"Initiatief ‘{TITEL}’ toezeggen of afwijzen"
        )
        expect(ah.get_by_text(eerste_punt.titel).first).to_be_visible()
        # Committing without a trekker is refused by the browser and, without that check,
        # by the server, next to the field.
        trekker = ah.locator("#id_toezeggen-trekker_naam")
        trekker.evaluate("element => element.removeAttribute('required')")
        submit(ah, ah.get_by_role("button", name="Toezeggen", exact=True))
        expect(ah.get_by_text("Noem de trekker: wie zorgt dat dit gebeurt?")).to_be_visible()
        trekker.fill("Sanne Bakker")
        submit(ah, ah.get_by_role("button", name="Toezeggen", exact=True))
        expect(ah).to_have_url(re.compile("/mijn-werk/$"))
        expect(success(ah)).to_contain_text(
            f"U heeft ‘{TITEL}’ toegezegd, met Sanne Bakker als trekker."
        )
        sectie = ah.locator("section[aria-labelledby='toezeggingen-kop']")
        expect(sectie.get_by_role("link", name=TITEL)).to_have_count(0)
    finally:
        ander.close()

    initiatief.refresh_from_db()
    assert initiatief.toezegging == Toezegging.TOEGEZEGD
    assert initiatief.trekker_naam == "Sanne Bakker"

    # The wijkmanager: committed, with its trekker; the programme can now be adopted.
    visit(page, PROGRAMMA)
    kaart = page.locator(f"#initiatief-{initiatief.pk}")
    expect(kaart).to_contain_text("toegezegd")
    expect(kaart).to_contain_text("Sanne Bakker")
    vaststellen = page.get_by_role("button", name="Vaststellen", exact=True)
    expect(vaststellen).to_be_enabled()
    submit(page, vaststellen)
    expect(success(page)).to_contain_text("heeft nu de status ‘vastgesteld’")
    expect(page.get_by_role("link", name="Initiatief toevoegen", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("bewerken$"))).to_have_count(0)
    programma = Wijkprogramma.objects.get(cyclus=cyclus)
    assert programma.status == Productstatus.VASTGESTELD
