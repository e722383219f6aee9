"""The pages residents hit, in the browser: every public page fits a phone, printing gives the
content only, the start page's links lead where they say, and the planning form puts begin and
end of a phase side by side (stacked on a phone)."""

import html
import re

import pytest
from playwright.sync_api import expect

from cycle import services
from cycle.demo import TEKSTEN
from cycle.models import Wijkprogramma

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}

PUBLIC_PAGES = [
    "/",
    "/wijken/",
    "/werkgebieden/",
    "/wijken/rubroek/",
    "/werkgebieden/oude-noorden/",
    "/werkgebieden/oude-noorden/rollen/",
    "/werkgebieden/oude-noorden/2026/",
    "/werkgebieden/delfshaven-schiemond/2025/wijkverslag/",
    "/lopende-cycli/",
    "/lopende-cycli/analyse/",
    "/ter-consultatie/",
    "/inloggen/",
    "/bestaat-niet/",
]

# How much wider than its box an element's content is (0 when it fits).
OVERFLOW = "el => el.scrollWidth - el.clientWidth"


def put_in_consultation(accounts):
    """Kralingen 2027 (phase programma): its programme goes out for consultation, so that
    the start page lists a consultation too."""
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(
        cyclus__werkgebied__slug="kralingen", cyclus__jaar=2027
    )
    user = accounts["wijkmanager"]
    # The demo leaves two of its initiatives waiting for Stadsbeheer's answer.
    from cycle.demo import toezeggingen_geven

    toezeggingen_geven(programma)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(pk=programma.pk)
    programma = services.product_update(
        product=programma,
        user=user,
        expected_versie=programma.versie,
        data=TEKSTEN["wijkprogramma"],
    )
    services.product_transition(
        product=programma, user=user, transition="ter_consultatie", expected_status="concept"
    )


def test_every_public_page_fits_a_phone(browser, live_server, demo):
    put_in_consultation(demo)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        for path in PUBLIC_PAGES:
            response = visit(page, path)
            assert response.status == (404 if path == "/bestaat-niet/" else 200), path
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a 375px screen"

        # What used to be cut off on the right now fits without scrolling even inside its
        # own box: the wijken tables and the cycles of a wijk.
        visit(page, "/wijken/")
        tabellen = page.locator(".table-responsive")
        expect(tabellen).to_have_count(14)
        assert [t.evaluate(OVERFLOW) for t in tabellen.all()] == [0] * 14
        visit(page, "/wijken/oude-noorden/")
        cycli = page.locator(".cycli-lijst")
        expect(cycli.get_by_role("link", name="Cyclus 2026")).to_be_visible()
        assert cycli.evaluate(OVERFLOW) == 0
        assert cycli.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    finally:
        context.close()


def test_printing_a_product_prints_its_content_only(page, demo):
    visit(page, "/werkgebieden/delfshaven-schiemond/2025/wijkverslag/")
    chrome = {
        "header": page.locator("header"),
        "main menu": page.locator("nav[aria-label='Hoofdmenu']"),
        "language switch": page.locator(".utility-bar a[hreflang='en']"),
        "login": page.locator(".utility-bar a[href^='/inloggen/']"),
        "breadcrumbs": page.locator("nav[aria-label='Kruimelpad']"),
        "footer": page.locator("footer"),
    }
    for locator in chrome.values():
        expect(locator).to_be_visible()
    tekst = page.locator(".sectie-tekst").first
    expect(tekst).to_have_text(TEKSTEN["wijkverslag"]["resultaten"])

    page.emulate_media(media="print")

    for name, locator in chrome.items():
        expect(locator, f"{name} is printed").to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wijkverslag Delfshaven-Schiemond 2025"
    )
    expect(tekst).to_be_visible()
    expect(page.locator(".sectie-tekst")).to_have_count(3)
    for section in page.locator(".sectie-tekst").all():
        expect(section).to_be_visible()


def test_printing_leaves_out_steps_and_buttons(page, demo):
    login(page, "wijkmanager@demo.wijkaanpak.nl")
    visit(page, "/werkgebieden/crooswijk/2027/wijkanalyse/")
    steps = page.locator("form[action$='/stap/']")
    bewerken = page.get_by_role("link", name="Bewerken", exact=True)
    expect(steps.first).to_be_visible()
    expect(bewerken).to_be_visible()

    page.emulate_media(media="print")

    for form in steps.all():
        expect(form).to_be_hidden()
    knoppen = page.locator("a.btn", has_text="ewerken")
    assert knoppen.count() >= 1
    for i in range(knoppen.count()):
        expect(knoppen.nth(i)).to_be_hidden()
    expect(page.locator("header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkanalyse Crooswijk 2027")


def heading_of(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.text(), re.S)
    assert match, f"no <h1> on {response.url}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def test_start_page_links_lead_to_matching_pages(page, live_server, demo):
    put_in_consultation(demo)
    visit(page, "/")
    nu_bezig = page.locator("section[aria-labelledby='nu-bezig-kop']")
    consultatie = page.locator("section[aria-labelledby='consultatie-kop']")
    gepubliceerd = page.locator("section[aria-labelledby='gepubliceerd-kop']")

    # Every running cycle of the demo, in its phase; the closed one is not "busy".
    per_fase = {
        "analyse": ("Wijkanalyse · 2 cycli", ["Crooswijk 2027", "Oude Noorden 2027"]),
        "agenda": ("Wijkagenda · 1 cyclus", ["Bospolder-Spangen-Tussendijken 2027"]),
        "programma": ("Wijkprogramma · 1 cyclus", ["Kralingen 2027"]),
        "uitvoering": ("Uitvoering · 2 cycli", ["Kralingen 2026", "Oude Noorden 2026"]),
        "verantwoording": ("Verantwoording · 1 cyclus", ["Feijenoord 2025"]),
    }
    for fase, (kop, namen) in per_fase.items():
        groep = nu_bezig.locator(f"section[aria-labelledby='fase-{fase}-kop']")
        expect(groep.get_by_role("heading", level=3)).to_have_text(kop)
        expect(groep.get_by_role("link")).to_have_text(namen)
    expect(nu_bezig.get_by_role("link", name="Delfshaven-Schiemond 2025")).to_have_count(0)
    # (The demo has Bospolder-Spangen-Tussendijken's agenda in consultation too, with its
    # reactions: participation/demo_consultatie.py.)
    expect(consultatie.get_by_role("link")).to_have_text(
        ["Wijkprogramma Kralingen 2027", "Wijkagenda Bospolder-Spangen-Tussendijken 2027"]
    )
    expect(consultatie).to_contain_text("Wijkprogramma · Kralingen 2027")
    expect(gepubliceerd.get_by_role("link").first).to_be_visible()

    # Every link resolves to a page whose heading is what the link said.
    checked = 0
    for section, expected in [
        (nu_bezig, lambda text: "Lopende werkcycli" if text.startswith("Alle ") else text),
        (consultatie, lambda text: text),
        (gepubliceerd, lambda text: text),
    ]:
        for link in section.get_by_role("link").all():
            text, href = link.inner_text().strip(), link.get_attribute("href")
            response = page.request.get(href)
            assert response.status == 200, href
            heading = heading_of(response)
            want = expected(text)
            assert heading in (want, f"Werkcyclus {want}"), (href, text, heading)
            checked += 1
    assert checked >= 6 + 1 + 1 + 1

    # Click through a few, as a resident would.
    submit(page, nu_bezig.get_by_role("link", name="Feijenoord 2025"))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/feijenoord/2025/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkcyclus Feijenoord 2025")
    expect(page.locator("p.lead .badge").first).to_have_text("verantwoording")

    visit(page, "/")
    submit(page, consultatie.get_by_role("link", name="Wijkprogramma Kralingen 2027"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkprogramma Kralingen 2027")
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("in consultatie")

    visit(page, "/")
    publicatie = gepubliceerd.get_by_role("link").first
    titel = publicatie.inner_text().strip()
    submit(page, publicatie)
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("gepubliceerd")

    visit(page, "/")
    submit(page, nu_bezig.get_by_role("link", name="Alle lopende werkcycli"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lopende werkcycli")
    expect(page.locator("main li a[href$='/2025/']")).to_have_text(["Feijenoord 2025"])


@pytest.mark.parametrize(("viewport", "side_by_side"), [(PHONE, False), (None, True)])
def test_planning_form_per_phase(browser, live_server, demo, viewport, side_by_side):
    """One fieldset per phase, named after it; begin and end side by side on a wide screen,
    one under the other on a phone."""
    options = {"viewport": viewport, "is_mobile": True} if viewport else {}
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    try:
        login(page, "wijkmanager@demo.wijkaanpak.nl")
        visit(page, "/werkgebieden/crooswijk/2027/planning/")
        fieldsets = page.locator("form fieldset")
        expect(fieldsets.locator("legend")).to_have_text(
            [
                "1. Wijkanalyse",
                "2. Wijkagenda",
                "3. Wijkprogramma",
                "4. Uitvoering",
                "5. Verantwoording",
            ]
        )
        for fieldset, fase in zip(
            fieldsets.all(),
            ["analyse", "agenda", "programma", "uitvoering", "verantwoording"],
            strict=True,
        ):
            # Field names unchanged; inside the phase's group, "Begin" and "Einde" name them.
            begin = fieldset.locator(f"input[name='{fase}_begin']")
            einde = fieldset.locator(f"input[name='{fase}_eind']")
            expect(begin).to_have_accessible_name(re.compile(r"^Begin\b"))
            expect(einde).to_have_accessible_name(re.compile(r"^Einde\b"))
            b, e = begin.bounding_box(), einde.bounding_box()
            if side_by_side:
                assert abs(b["y"] - e["y"]) < 1 and e["x"] >= b["x"] + b["width"], fase
            else:
                assert e["y"] >= b["y"] + b["height"] and abs(b["x"] - e["x"]) < 1, fase
        width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert width <= 0
    finally:
        context.close()
