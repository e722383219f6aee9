"""The execution year in the browser: the demo accounthouder of Stadsbeheer updates two
initiatives at once from "Mijn werk" (one row wrong first: its message is on that row, and
nothing typed is lost), raises a knelpunt; the demo wijkmanager resolves it with a note; a
resident reads the progress on the initiative's public page. axe-core checks every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycle import services
from cycle.models import (
    Agendapunt,
    Fase,
    Initiatief,
    Knelpunt,
    Productstatus,
    Uitvoeringsstatus,
    Voortgang,
    Werkcyclus,
    Wijkprogramma,
)
from cycle.services_programma import initiatief_toevoegen, initiatief_toezeggen
from people.models import Cluster, User

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
# Crooswijk (gebied Kralingen-Crooswijk, the demo accounthouder's and the demo wijkmanager's):
# the fixture adds its 2026 cycle and takes it into its execution year. (The demo's own
# initiatives of the accounthouder, in Kralingen, are on the same list; they stay untouched.)
WERKGEBIED, JAAR = "crooswijk", 2026
SCHOON = "Veegroute Boezemweg"
SPEELPLEK = "Speeltuin Rubroek vernieuwen"


@pytest.fixture
def crooswijk_in_uitvoering(demo, monkeypatch):
    """Crooswijk 2026 in execution, through the services: the demo's analysis and agenda, two
    initiatives of Stadsbeheer committed by its accounthouder, the programme adopted and
    published."""
    from cycle.demo import demo_cycle
    from places.models import Werkgebied
    from publication import services as publicatie

    # The PDF of the published programme is not needed here.
    monkeypatch.setattr(publicatie, "_kick", lambda publicatie_id: None)
    wijkmanager = User.objects.get(email=WIJKMANAGER)
    accounthouder = User.objects.get(email=ACCOUNTHOUDER)
    stadsbeheer = Cluster.objects.get(slug="stadsbeheer")
    cyclus = demo_cycle(
        werkgebied=Werkgebied.objects.select_related("gebied").get(slug=WERKGEBIED),
        jaar=JAAR,
        doel=Fase.PROGRAMMA,
        user=wijkmanager,
    )
    assert cyclus.fase == Fase.PROGRAMMA
    punten = list(Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).order_by("rang"))
    for punt, titel in zip(punten, (SCHOON, SPEELPLEK), strict=False):
        programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
        initiatief = initiatief_toevoegen(
            wijkprogramma=programma,
            user=wijkmanager,
            expected_versie=programma.versie,
            agendapunt=punt,
            titel=titel,
            beoogd_effect="Schonere en veiligere straten, samen met bewoners.",
            cluster=stadsbeheer,
            trekker_naam="Sanne Stadsbeheer",
            start=datetime.date(JAAR, 1, 15),
            eind=datetime.date(JAAR, 10, 31),
            bedrag="2500",
            financiering="wijkbudget",
            succesindicator="De helft minder meldingen over afval in de winkelstraat.",
        )
        initiatief_toezeggen(
            initiatief=initiatief,
            user=accounthouder,
            expected_versie=Initiatief.objects.get(pk=initiatief.pk).versie,
        )
    # The actions ask money from the wijkbudget: the beheerder has set the year's budget.
    from budgets.services import budget_vaststellen

    budget_vaststellen(
        werkgebied=cyclus.werkgebied,
        jaar=JAAR,
        bedragen={"programma": "20000", "bewonersinitiatieven": "0", "knelpunten": "0"},
        user=User.objects.get(email="beheerder@demo.wijkaanpak.nl"),
        reden="Wijkbudget volgens de begroting",
    )
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    programma = services.product_transition(
        product=programma,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    services.product_transition(
        product=programma,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
    cyclus = Werkcyclus.objects.get(pk=cyclus.pk)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_uitvoering",
        expected_fase=Fase.PROGRAMMA,
        reden="Het programma is vastgesteld; de uitvoering begint."
        if cyclus.reden_verplicht("naar_uitvoering", today=timezone.localdate())
        else "",
    )
    return {i.titel: i for i in Initiatief.objects.filter(wijkprogramma__cyclus=cyclus)}


def success(page):
    return page.locator("[role=status] .alert-success")


def rij(page, titel):
    return page.locator("tbody tr", has=page.get_by_role("link", name=titel, exact=True))


def test_bulk_update_knelpunt_and_public_progress(
    page, browser, live_server, crooswijk_in_uitvoering
):
    schoon = crooswijk_in_uitvoering[SCHOON]
    speelplek = crooswijk_in_uitvoering[SPEELPLEK]
    detail = f"/werkgebieden/{WERKGEBIED}/{JAAR}/wijkprogramma/initiatieven/{schoon.pk}/"

    # "Mijn werk" says what the accounthouder reports on, and leads to the bulk update.
    login(page, ACCOUNTHOUDER)
    sectie = page.locator("section[aria-labelledby='initiatieven-voortgang-kop']")
    expect(sectie).to_contain_text("U meldt de voortgang van")
    submit(page, sectie.get_by_role("link", name="Voortgang melden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgang melden")
    expect(rij(page, SCHOON)).to_have_count(1)
    expect(rij(page, SPEELPLEK)).to_have_count(1)
    voor = Voortgang.objects.count()

    # Two rows filled in, the second without the date a delay needs.
    page.get_by_label(f"Nieuwe status van ‘{SCHOON}’").select_option(label="in uitvoering")
    page.get_by_label(f"Voortgang in procenten van ‘{SCHOON}’").fill("30")
    page.get_by_label(f"Wat is er gebeurd bij ‘{SCHOON}’?").fill(
        "De eerste veegronde met twintig bewoners is gelopen."
    )
    page.get_by_label(f"Nieuwe status van ‘{SPEELPLEK}’").select_option(label="vertraagd")
    page.get_by_label(f"Wat is er gebeurd bij ‘{SPEELPLEK}’?").fill(
        "De levering van de toestellen is uitgesteld."
    )
    submit(page, page.get_by_role("button", name="Alles opslaan"))
    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen")
    expect(rij(page, SPEELPLEK)).to_contain_text("Wanneer is het naar verwachting klaar?")
    datum = page.get_by_label(f"Verwachte nieuwe einddatum van ‘{SPEELPLEK}’")
    expect(datum).to_have_attribute("aria-invalid", "true")
    expect(rij(page, SCHOON)).not_to_contain_text("Wanneer is het")
    # Nothing typed is lost, nothing was saved.
    expect(page.get_by_label(f"Voortgang in procenten van ‘{SCHOON}’")).to_have_value("30")
    expect(page.get_by_label(f"Wat is er gebeurd bij ‘{SPEELPLEK}’?")).to_have_value(
        "De levering van de toestellen is uitgesteld."
    )
    assert Initiatief.objects.get(pk=schoon.pk).status == Uitvoeringsstatus.GEPLAND
    # The summary's link leads to the row.
    page.get_by_role("alert").get_by_role("link", name=SPEELPLEK).click()
    expect(page).to_have_url(re.compile(r"#rij-rij-\d$"))

    nieuwe_datum = timezone.localdate() + datetime.timedelta(days=60)
    datum.fill(nieuwe_datum.isoformat())
    submit(page, page.get_by_role("button", name="Alles opslaan"))
    # Only the two filled rows are saved; the empty ones are skipped.
    expect(success(page)).to_have_text("2 voortgangsupdates zijn opgeslagen.")
    assert Voortgang.objects.count() == voor + 2
    schoon_nu = Initiatief.objects.get(pk=schoon.pk)
    assert (schoon_nu.status, schoon_nu.percentage) == (Uitvoeringsstatus.IN_UITVOERING, 30)
    speelplek_nu = Initiatief.objects.get(pk=speelplek.pk)
    assert speelplek_nu.status == Uitvoeringsstatus.VERTRAAGD
    assert speelplek_nu.verwacht_eind == nieuwe_datum

    # A knelpunt, from the initiative's page.
    submit(page, page.get_by_role("link", name=SCHOON, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOON)
    page.get_by_label("Wat zit er in de weg?").fill(
        "De veegmachine mag niet in de winkelstraat tijdens de markt."
    )
    submit(page, page.get_by_role("button", name="Knelpunt melden"))
    expect(success(page)).to_contain_text("Het knelpunt bij ‘Veegroute Boezemweg’ is gemeld")
    knelpunt = Knelpunt.objects.get(initiatief=schoon)
    expect(page.locator(f"#knelpunt-{knelpunt.pk}")).to_contain_text("open")
    # An accounthouder does not close knelpunten.
    expect(page.get_by_role("button", name="Als opgelost afsluiten")).to_have_count(0)

    # The wijkmanager resolves it with a note.
    wijkmanager = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        wm = wijkmanager.new_page()
        login(wm, WIJKMANAGER)
        visit(wm, f"/werkgebieden/{WERKGEBIED}/{JAAR}/knelpunten/")
        expect(wm.get_by_text("1 open knelpunt.")).to_be_visible()
        item = wm.locator(f"#knelpunt-{knelpunt.pk}")
        item.get_by_label("Hoe is het opgelost?").fill(
            "Afgesproken met de marktmeester: vegen na 17.00 uur."
        )
        submit(wm, item.get_by_role("button", name="Als opgelost afsluiten"))
        expect(success(wm)).to_contain_text("is opgelost")
        expect(wm.get_by_text("0 open knelpunten.")).to_be_visible()
        expect(wm.locator(f"#knelpunt-{knelpunt.pk}")).to_contain_text("vegen na 17.00 uur")
    finally:
        wijkmanager.close()
    knelpunt.refresh_from_db()
    assert not knelpunt.is_open

    # A resident reads the progress on the public page; the knelpunten are not there.
    anoniem = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        publiek = anoniem.new_page()
        visit(publiek, detail)
        expect(publiek.get_by_role("heading", level=1)).to_have_text(SCHOON)
        uitvoering = publiek.locator("#uitvoering")
        expect(uitvoering).to_contain_text("in uitvoering")
        expect(uitvoering).to_contain_text("30% klaar")
        expect(publiek.get_by_role("progressbar", name="Voortgang")).to_have_attribute(
            "value", "30"
        )
        expect(publiek.locator("#voortgang")).to_contain_text(
            "De eerste veegronde met twintig bewoners is gelopen."
        )
        expect(publiek.get_by_text("veegmachine")).to_have_count(0)
        expect(publiek.get_by_role("heading", name="Knelpunten")).to_have_count(0)
        # The agendapunt it serves, on the published wijkagenda.
        submit(publiek, publiek.locator("a[href*='wijkagenda/#punt-']"))
        expect(publiek).to_have_url(re.compile(rf"#punt-{schoon.agendapunt_id}$"))
    finally:
        anoniem.close()
