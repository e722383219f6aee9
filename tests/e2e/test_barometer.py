"""The wijkbarometer and the Wijkprofiel upload in the browser: the charts are named images
with a table beside them, need no JavaScript and print; a beheerder finds the upload on Mijn
werk, sees every bad line of a bad file, imports a good one and the public page shows it. Every
page is checked with axe on the way."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Rol
from places.models import WijkprofielScore
from tests.people.factories import user_with_role

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

KOP = "wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index\n"
PASSWORD = "barometer-wachtwoord-2026"


def _charts(page):
    return page.locator("svg[role='img']")


@pytest.mark.parametrize(
    ("path", "naam"),
    [("/wijken/rubroek/", "Rubroek"), ("/werkgebieden/crooswijk/", "Werkgebied Crooswijk")],
)
def test_barometer_pages_are_accessible_and_print(page, rotterdam, path, naam):
    visit(page, path)
    expect(page.get_by_role("heading", name="Wijkbarometer")).to_be_visible()
    expect(_charts(page)).to_have_count(3)
    for index in ("Sociale index", "Fysieke index", "Veiligheidsindex"):
        chart = page.get_by_role("img", name=f"{index}: {naam}, 2014–2026")
        expect(chart).to_be_visible()
        table = page.get_by_role("table", name=f"{index} per meetjaar (100 = Rotterdam in 2014)")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader", name="Gebied Kralingen-Crooswijk")).to_be_visible()
        expect(table.get_by_role("row")).to_have_count(1 + 7)  # header and 2014..2026
    # The chart's description is what a screen reader reads after its name.
    description = page.locator("svg[role='img'] desc").first.text_content()
    assert "100 is het gemiddelde van Rotterdam in 2014" in description
    assert re.search(r"In 2026: .+ \d+, gebied \d+, Rotterdam \d+\.", description)

    # On a phone the page does not scroll sideways (the tables scroll in their own region).
    page.set_viewport_size({"width": 375, "height": 740})
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0
    assert _charts(page).first.bounding_box()["width"] <= 375

    page.emulate_media(media="print")
    expect(_charts(page).first).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Sociale index per meetjaar"))).to_be_visible()
    # Printed, each chart still fits the page.
    overflow = _charts(page).first.evaluate(
        "el => el.getBoundingClientRect().width - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_charts_need_no_javascript(browser, live_server, rotterdam):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/werkgebieden/crooswijk/")
        expect(_charts(page)).to_have_count(3)
        box = _charts(page).first.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
    finally:
        context.close()


def test_beheerder_uploads_a_bad_and_then_a_good_wijkprofiel(page, rotterdam, tmp_path):
    beheerder = user_with_role(Rol.BEHEERDER)
    beheerder.set_password(PASSWORD)
    beheerder.save()
    login(page, beheerder.email, PASSWORD)

    submit(page, page.get_by_role("link", name="Een nieuwer Wijkprofiel inlezen (CSV)"))
    expect(page.get_by_role("heading", name="Wijkprofiel inlezen", level=1)).to_be_visible()
    before = WijkprofielScore.objects.count()

    slecht = tmp_path / "wijkprofiel-fout.csv"
    slecht.write_text(
        KOP + "rubroek,2028,90,91,92\nnergenshuizen,2028,1,2,3\nrubroek,2028,1,2,999\n"
    )
    page.get_by_label("Wijkprofielbestand (CSV)").set_input_files(slecht)
    submit(page, page.get_by_role("button", name="Inlezen"))
    expect(page.get_by_role("alert")).to_contain_text("Het bestand is niet ingelezen")
    field = page.get_by_label("Wijkprofielbestand (CSV)")
    expect(field).to_have_attribute("aria-invalid", "true")
    errors = page.locator("#id_bestand_fouten li")
    expect(errors).to_have_text(
        [
            "Regel 3: onbekende wijk “nergenshuizen”.",
            "Regel 4: sociale_index “999” is geen geheel getal van 0 tot en met 500.",
            "Regel 4: wijk “rubroek”, jaar 2028 staat ook al op regel 2.",
        ]
    )
    # The errors are part of the field's description, so a screen reader reads them with it.
    assert "id_bestand_fouten" in field.get_attribute("aria-describedby")
    assert WijkprofielScore.objects.count() == before

    # The summary's link takes keyboard users to the field.
    page.get_by_role("link", name="Naar de fouten").click()
    expect(field).to_be_focused()

    goed = tmp_path / "wijkprofiel-2028.csv"
    goed.write_text(KOP + "rubroek,2028,90,91,92\noud-crooswijk,2028,80,81,82\n")
    field.set_input_files(goed)
    submit(page, page.get_by_role("button", name="Inlezen"))
    expect(page.get_by_role("status")).to_contain_text(
        "Het Wijkprofiel uit wijkprofiel-2028.csv is ingelezen: 2 nieuw, 0 gewijzigd, "
        "0 ongewijzigd."
    )
    assert WijkprofielScore.objects.count() == before + 2

    visit(page, "/wijken/rubroek/")
    expect(page.get_by_role("img", name="Sociale index: Rubroek, 2014–2028")).to_be_visible()
    table = page.get_by_role("table", name="Sociale index per meetjaar (100 = Rotterdam in 2014)")
    expect(table.get_by_role("row", name=re.compile(r"^2028 92 "))).to_be_visible()
