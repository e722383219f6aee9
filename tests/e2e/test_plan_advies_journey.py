"""The participation plan and the wijkraad's advice in the browser: the demo wijkmanager
edits the kaders of a phase of Crooswijk 2027's plan (a bad input first), asks the wijkraad's
advice on the plan, the demo wijkraadslid finds it on "Mijn werk" and gives it, the
wijkmanager records the college's answer, and an anonymous visitor reads the kaders on the
cycle page and both advice and answer on the werkgebied's advice page. axe-core checks every
page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation.models import Advies

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
WIJKRAADSLID = "wijkraadslid@demo.wijkaanpak.nl"
PLAN = "/werkgebieden/crooswijk/2027/participatie/plan/"
KADER = "Welke twee straten als eerste een vaste schoonmaakdag krijgen."
VRAAG = "Bereiken we met deze middelen ook de jongeren in Rubroek?"
ADVIES = "De wijkraad adviseert een buurtgesprek op het schoolplein toe te voegen."
ANTWOORD = "Het college neemt het advies over: het buurtgesprek komt in het plan."


def test_plan_and_advice(page, browser, live_server, demo):
    # 1. The wijkmanager edits the kaders of the agenda phase.
    login(page, WIJKMANAGER)
    visit(page, PLAN)
    submit(page, page.get_by_role("link", name="Fase wijkagenda bewerken"))
    page.get_by_label("Waar bewoners invloed op hebben").fill(KADER)
    page.get_by_label("anders", exact=True).check()
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".invalid-feedback").first).to_contain_text(
        "Zeg welk ander middel u inzet."
    )
    expect(page.get_by_label("Waar bewoners invloed op hebben")).to_have_value(KADER)
    page.get_by_label("Ander middel").fill("Buurtgesprek")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Het participatieplan is opgeslagen.")).to_be_visible()
    fase = page.locator("#fase-agenda")
    expect(fase).to_contain_text(KADER)
    expect(fase).to_contain_text("Buurtgesprek")

    # 2. The wijkmanager asks the wijkraad's advice on the plan.
    submit(page, page.get_by_role("link", name="Advies vragen over dit plan"))
    page.get_by_label("Adviesvraag").fill(VRAAG)
    termijn = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Advies graag vóór").fill(termijn.isoformat())
    submit(page, page.get_by_role("button", name="Advies vragen"))
    expect(page.get_by_text("De adviesvraag is verstuurd naar de wijkraad.")).to_be_visible()
    advies = Advies.objects.get(vraag=VRAAG)
    assert advies.status == "gevraagd" and advies.cyclus.jaar == 2027

    # 3. The wijkraadslid finds it on "Mijn werk" and gives the wijkraad's advice.
    lid_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    lid = lid_context.new_page()
    login(lid, WIJKRAADSLID)
    werk = lid.get_by_role("region", name="Gevraagd advies van de wijkraad")
    expect(werk).to_contain_text("advies vóór")
    visit(lid, advies.get_absolute_url())
    submit(lid, lid.get_by_role("link", name="Advies geven namens de wijkraad"))
    lid.get_by_label("Advies van de wijkraad").fill(ADVIES)
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    lid.get_by_label("Datum van het besluit van de wijkraad").fill(gisteren.isoformat())
    submit(lid, lid.get_by_role("button", name="Advies vastleggen"))
    expect(lid.get_by_text("Het advies is vastgelegd.")).to_be_visible()
    lid_context.close()

    # 4. The wijkmanager records the college's answer.
    visit(page, "/mijn-werk/")
    expect(
        page.get_by_role("region", name="Adviezen van de wijkraad die op antwoord wachten")
    ).to_be_visible()
    visit(page, advies.get_absolute_url())
    submit(page, page.get_by_role("link", name="Advies beantwoorden"))
    page.get_by_label("het college van burgemeester en wethouders").check()
    page.locator("#id_antwoord").fill(ANTWOORD)
    submit(page, page.get_by_role("button", name="Antwoord vastleggen"))
    expect(page.get_by_text("Het antwoord is vastgelegd.")).to_be_visible()

    # 5. The public reads the kaders and both the advice and the answer.
    bezoeker_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    bezoeker = bezoeker_context.new_page()
    visit(bezoeker, "/werkgebieden/crooswijk/2027/")
    panel = bezoeker.get_by_role("region", name="Participatieplan", exact=True)
    expect(panel).to_contain_text(KADER)
    visit(bezoeker, "/werkgebieden/crooswijk/adviezen/")
    expect(bezoeker.locator("main")).to_contain_text(ADVIES)
    expect(bezoeker.locator("main")).to_contain_text(ANTWOORD)
    expect(bezoeker.locator("main")).to_contain_text("Antwoord van het college")
    bezoeker_context.close()
