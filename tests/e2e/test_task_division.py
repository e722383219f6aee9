"""Who drafts and who adopts, per werkgebied. In the demo, Feijenoord works as Rotterdam does:
the wijkraad writes the wijkverslag and the college adopts it, which the wijkmanager records
with the reference of the decision. The roles page says so, from the same rules.

The wijkverslag rests on the twelve-month report: the wijkmanager records how each initiative
ended its year, the wijkraad judges each one, and the published report shows the figures; the
council reads them for the whole city."""

import re

import pytest
from playwright.sync_api import expect

from cycle.models import Initiatief, Oordeel, Productstatus, Wijkverslag

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKRAADSLID = "wijkraadslid@demo.wijkaanpak.nl"
WIJKMANAGER_FEIJENOORD = "wijkmanager.feijenoord@demo.wijkaanpak.nl"
RAAD = "raad@demo.wijkaanpak.nl"
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


def twaalfmaandenrapport(page) -> None:
    """The wijkmanager records the end of the initiative still running; the wijkraad judges
    all three (the demo realised two): 2 of 3 realised in its judgement, under the 75%."""
    login(page, WIJKMANAGER_FEIJENOORD)
    visit(page, f"{CYCLUS}")
    submit(page, page.get_by_role("link", name=re.compile("Twaalfmaandenrapport")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Twaalfmaandenrapport Feijenoord 2025"
    )
    expect(page.locator("table").first).to_contain_text("afloop nog niet vastgelegd")
    lopend = Initiatief.objects.get(
        wijkprogramma__cyclus__werkgebied__slug="feijenoord", afloop="", status="in_uitvoering"
    )
    # No later programme is being drafted in Feijenoord: carrying over would make it wait for
    # the next one; the page says so. The wijkmanager drops it instead.
    submit(page, page.get_by_role("link", name=f"‘{lopend.titel}’ doorschuiven naar volgend jaar"))
    expect(page.locator("main")).to_contain_text("Er wordt nu geen later wijkprogramma opgesteld")
    expect(page.get_by_role("button", name="Doorschuiven naar volgend jaar")).to_have_count(1)
    submit(page, page.get_by_role("link", name="Terug naar het twaalfmaandenrapport"))
    submit(page, page.get_by_role("link", name=f"Afloop van ‘{lopend.titel}’ vastleggen"))
    page.get_by_label("geschrapt").check()
    submit(page, page.get_by_role("button", name="Opslaan"))
    # Dropping asks for the reason, next to the field; the choice stays.
    expect(page.locator("#id_reden").locator("..")).to_contain_text("Zeg waarom")
    expect(page.get_by_label("geschrapt")).to_be_checked()
    page.locator("#id_reden").fill("De woningcorporatie heeft het speelveld zelf aangelegd.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator("[role=status] .alert-success")).to_contain_text("geschrapt")
    expect(page.locator("table").first).not_to_contain_text("afloop nog niet vastgelegd")
    # The wijk-MT follows the year being accounted for, from the werkgebied's page.
    visit(page, "/werkgebieden/feijenoord/")
    submit(page, page.get_by_role("link", name=re.compile("Wijk-MT")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijk-MT Feijenoord")
    expect(page.locator("main")).to_contain_text(lopend.titel)
    logout(page)

    login(page, WIJKRAADSLID)
    visit(page, f"{CYCLUS}twaalfmaandenrapport/")
    titels = list(
        Initiatief.objects.filter(wijkprogramma__cyclus__werkgebied__slug="feijenoord")
        .order_by("agendapunt__rang", "pk")
        .values_list("titel", "status")
    )
    for titel, status in titels:
        submit(page, page.get_by_role("link", name=f"Oordeel over ‘{titel}’ geven"))
        page.get_by_label(
            "niet gerealiseerd" if status != "gerealiseerd" else "gerealiseerd", exact=True
        ).check()
        submit(page, page.get_by_role("button", name="Oordeel opslaan"))
        expect(page.locator("[role=status] .alert-success")).to_contain_text("is opgeslagen")
    expect(page.locator("main")).to_contain_text(
        "Gerealiseerd naar het oordeel van de wijkraad: 66,7%"
    )
    expect(page.locator("main")).to_contain_text("onder de streefwaarde van de stad (75%)")
    assert set(
        Initiatief.objects.filter(wijkprogramma__cyclus__werkgebied__slug="feijenoord").values_list(
            "oordeel", flat=True
        )
    ) == {Oordeel.GEREALISEERD, Oordeel.NIET}


def test_wijkraad_writes_the_report_and_the_college_adopts_it(page, demo):
    twaalfmaandenrapport(page)
    # The wijkraadslid writes the wijkverslag and puts it out for consultation.
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

    # Published, the wijkverslag shows its twelve-month report to everyone.
    checkbox = page.get_by_role("checkbox", name=re.compile("publiceren niet ongedaan"))
    checkbox.check()
    submit(page, page.get_by_role("button", name="Publiceren", exact=True))
    expect(status.locator(".badge")).to_have_text("gepubliceerd")
    logout(page)
    visit(page, f"{CYCLUS}wijkverslag/")
    rapport = page.locator("#twaalfmaanden")
    expect(rapport).to_contain_text("Gerealiseerd naar het oordeel van de wijkraad: 66,7%")
    expect(rapport.get_by_role("table")).to_contain_text("geschrapt")

    # The council reads the city's figures for the year from "Mijn werk".
    login(page, RAAD)
    submit(page, page.get_by_role("link", name="Programmajaar 2025"))
    rij = page.get_by_role("row", name=re.compile("Feijenoord"))
    expect(rij).to_contain_text("66,7%")
