"""Who drafts and who adopts, per werkgebied. In the demo, Feijenoord works as Rotterdam does:
the wijkraad writes the wijkverslag and the college adopts it, which the wijkmanager records
with the reference of the decision. The roles page says so, from the same rules."""

import re

import pytest
from playwright.sync_api import expect

from cycle.models import Productstatus, Wijkverslag

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKRAADSLID = "wijkraadslid@demo.wijkaanpak.nl"
WIJKMANAGER_FEIJENOORD = "wijkmanager.feijenoord@demo.wijkaanpak.nl"
CYCLUS = "/werkgebieden/feijenoord/2025/"


def logout(page):
    submit(page, page.get_by_role("button", name="Uitloggen"))


def test_roles_page_explains_the_task_division(page, demo):
    visit(page, "/werkgebieden/feijenoord/rollen/")
    wijkraad = page.locator("section[aria-labelledby='rol-wijkraadslid']")
    expect(wijkraad).to_contain_text("wijkverslag opstellen en ter consultatie voorleggen")
    manager = page.locator("section[aria-labelledby='rol-wijkmanager']")
    expect(manager).to_contain_text("de vaststelling door het college vastleggen")
    expect(manager).not_to_contain_text("wijkverslag opstellen")
    # Elsewhere the defaults hold: the wijkmanager writes the report.
    visit(page, "/werkgebieden/crooswijk/rollen/")
    manager = page.locator("section[aria-labelledby='rol-wijkmanager']")
    expect(manager).to_contain_text("wijkverslag opstellen en ter consultatie voorleggen")


def test_wijkraad_writes_the_report_and_the_college_adopts_it(page, demo):
    # The wijkraadslid writes the wijkverslag and puts it out for consultation.
    login(page, WIJKRAADSLID)
    visit(page, f"{CYCLUS}wijkverslag/")
    submit(page, page.get_by_role("link", name="Bewerken", exact=True))
    page.locator("#id_resultaten").fill("Door de wijkraad: twaalf acties uitgevoerd.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".sectie-tekst", has_text="Door de wijkraad")).to_have_count(1)
    submit(page, page.get_by_role("button", name="Ter consultatie voorleggen", exact=True))
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("in consultatie")
    # Adopting is not theirs.
    expect(page.get_by_role("button", name="Vaststellen", exact=True)).to_have_count(0)
    logout(page)

    # The wijkmanager cannot edit it, but records the college's adoption.
    login(page, WIJKMANAGER_FEIJENOORD)
    visit(page, f"{CYCLUS}wijkverslag/")
    expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
    besluit = page.get_by_role("textbox", name=re.compile("Referentie van het collegebesluit"))
    expect(besluit).to_have_attribute("required", "")
    besluit.fill("B&W 2026/0815")
    submit(page, page.get_by_role("button", name="Vaststellen", exact=True))
    status = page.locator("p", has_text="Status:")
    expect(status.locator(".badge")).to_have_text("vastgesteld")
    expect(status).to_contain_text("collegebesluit B&W 2026/0815")

    verslag = Wijkverslag.objects.get(cyclus__werkgebied__slug="feijenoord", cyclus__jaar=2025)
    assert verslag.status == Productstatus.VASTGESTELD
    assert verslag.besluitreferentie == "B&W 2026/0815"
    assert verslag.resultaten == "Door de wijkraad: twaalf acties uitgevoerd."
