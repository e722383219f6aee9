"""A melding from report to result: an anonymous resident reports with a photo and a point on
the map on a 375 px screen, the wijkmanager triages it and forwards it to a cluster, the
cluster's accounthouder answers, and the resident follows it on the tracking page. Every page
is checked with axe-core."""

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from participation.models import Melding
from places.models import Wijk

from .axe import assert_accessible, submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

TEKST = "Op de stoep van de Boezemsingel ligt al een week een kapotte fiets in de weg."


def jpeg() -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (64, 48), "#336699")
    exif = Image.Exif()
    exif[0x0110] = "Testtelefoon"  # a camera model: metadata that must not survive
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def click_inside(page, selector: str) -> None:
    """Click a point that really lies inside the SVG path (its bounding box centre may not)."""
    page.locator(selector).scroll_into_view_if_needed()
    point = page.evaluate(
        """(selector) => {
            const path = document.querySelector(selector);
            const svg = path.ownerSVGElement;
            const box = path.getBBox();
            // The grid point inside the path with the most of its neighbours inside too: well
            // away from the border, where the simplified map and the real buurt agree.
            const inside = (i, j) => {
                const p = svg.createSVGPoint();
                p.x = box.x + box.width * i / 20;
                p.y = box.y + box.height * j / 20;
                return path.isPointInFill(p) ? p : null;
            };
            let best = null, bestScore = -1;
            for (let i = 1; i < 20; i++) {
                for (let j = 1; j < 20; j++) {
                    const p = inside(i, j);
                    if (!p) continue;
                    let score = 0;
                    for (let d = 1; d < 6; d++) {
                        score += [inside(i - d, j), inside(i + d, j), inside(i, j - d),
                                  inside(i, j + d)].filter(Boolean).length;
                    }
                    if (score > bestScore) { best = p; bestScore = score; }
                }
            }
            if (!best) return null;
            const screen = best.matrixTransform(path.getScreenCTM());
            return {x: screen.x, y: screen.y};
        }""",
        selector,
    )
    assert point is not None, f"no point inside {selector}"
    page.mouse.click(point["x"], point["y"])


def test_melding_from_report_to_answer(browser, live_server, demo):
    # --- an anonymous resident on a phone
    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        locale="nl-NL",
    )
    page = phone.new_page()
    visit(page, "/wijken/oud-crooswijk/")
    submit(page, page.get_by_role("link", name="Iets melden in Oud Crooswijk"))
    expect(page.get_by_role("combobox", name="Wijk")).to_have_value("oud-crooswijk")
    page.get_by_role("combobox", name="Thema").select_option(label="heel")
    submit(page, page.get_by_role("button", name="Verder"))
    expect(page.get_by_text("Stap 2 van 2: uw melding")).to_be_visible()
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_label("Wat is er aan de hand?").fill(TEKST)
    page.get_by_label("Straat of plek (optioneel)").fill("Boezemsingel")
    buurt = Wijk.objects.get(slug="oud-crooswijk").cbs_buurtcodes[0]
    click_inside(page, f'path[data-buurt="{buurt}"]')
    expect(page.locator(".kaart-status")).to_contain_text("Plek gekozen")
    expect(page.get_by_label("Lengtegraad (oost)")).not_to_have_value("")
    page.get_by_label("Voor een groep bewoners of de buurt").check()
    page.get_by_label("Foto's (optioneel, hoogstens 3)").set_input_files(
        [{"name": "fiets.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_label("E-mailadres voor updates (optioneel)").fill("fiets@example.nl")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Melding versturen"))

    melding = Melding.objects.get(tekst=TEKST)
    assert melding.buurtcode == buurt
    assert melding.lengtegraad is not None
    foto = melding.fotos.get()
    with foto.bestand.open("rb") as bestand:
        assert not Image.open(bestand).getexif()
    expect(page).to_have_url(f"{live_server.url}/meldingen/{melding.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Melding {melding.code}")
    expect(page.get_by_text(f"volgcode {melding.code}")).to_be_visible()
    assert "fiets@example.nl" not in page.content()
    assert TEKST not in page.content()
    phone.close()

    # --- the wijkmanager triages it and forwards it to Stadsbeheer
    manager = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = manager.new_page()
    login(page, "wijkmanager@demo.wijkaanpak.nl")
    werk = page.locator("section[aria-labelledby='meldingen-kop']")
    expect(werk).to_contain_text("Crooswijk")
    submit(page, werk.get_by_role("link", name="Crooswijk"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen in Crooswijk")
    submit(page, page.get_by_role("link", name=melding.code))
    expect(page.get_by_text("fiets@example.nl")).to_be_visible()
    expect(page.get_by_role("img", name="Foto 1 bij de melding")).to_be_visible()
    page.locator("summary", has_text="Doorzetten naar cluster of partner").click()
    page.locator("#doorzetten-cluster").select_option(label="Stadsbeheer")
    page.locator("#doorzetten-notitie").fill("Graag weghalen.")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Doorzetten naar cluster of partner"))
    expect(page.get_by_role("status")).to_contain_text("De melding is bijgewerkt.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("doorgezet")
    manager.close()

    # --- the accounthouder of Stadsbeheer answers
    cluster = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = cluster.new_page()
    login(page, "accounthouder@demo.wijkaanpak.nl")
    doorgezet = page.locator("section[aria-labelledby='doorgezet-kop']")
    submit(page, doorgezet.get_by_role("link", name=melding.code))
    expect(page.get_by_text("Graag weghalen.")).to_be_visible()
    assert "fiets@example.nl" not in page.content()
    page.locator("summary", has_text="Afhandelen met een antwoord").click()
    page.locator("#afhandelen-antwoord").fill("De fiets is weggehaald door Stadsbeheer.")
    submit(page, page.get_by_role("button", name="Afhandelen met een antwoord"))
    expect(page.get_by_role("status")).to_contain_text("De melding is bijgewerkt.")
    cluster.close()

    # --- the resident follows it and is asked whether it is solved
    resident = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = resident.new_page()
    visit(page, f"/meldingen/{melding.code}/")
    expect(page.locator(".badge").first).to_have_text("afgehandeld")
    expect(page.get_by_text("De fiets is weggehaald door Stadsbeheer.")).to_be_visible()
    expect(page.get_by_role("heading", name="Is het opgelost?")).to_be_visible()
    historie = page.locator("section[aria-labelledby='spoor-kop']")
    expect(historie).to_contain_text(re.compile("doorgezet naar Stadsbeheer"))
    page.get_by_label("Nee, het is niet opgelost").check()
    page.get_by_label("Wat is er nog niet opgelost?").fill("Er staat nu een tweede fiets.")
    submit(page, page.get_by_role("button", name="Reactie versturen"))
    expect(page.get_by_role("status")).to_contain_text("opnieuw in behandeling")
    resident.close()
    assert Melding.objects.get(pk=melding.pk).status == "in_behandeling"


def test_resident_finds_a_melding_in_the_list_and_supports_it(page, live_server, demo):
    visit(page, "/meldingen/")
    page.get_by_label("Wijk").select_option(label="Rubroek")
    page.get_by_label("Status").select_option("open")
    submit(page, page.get_by_role("button", name="Filteren"))
    hoofd = Melding.objects.get(wijk__slug="rubroek", hoofdmelding=None, status="nieuw")
    before = hoofd.steun
    submit(page, page.get_by_role("link", name=hoofd.code))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Melding {hoofd.code}")
    submit(page, page.get_by_role("link", name="Dit heb ik ook: steun deze melding"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding steunen")
    submit(page, page.get_by_role("button", name="Ja, ik steun deze melding"))
    expect(page.get_by_role("status")).to_contain_text("Uw steun is bij deze melding opgeteld")
    assert Melding.objects.get(pk=hoofd.pk).steun == before + 1


def test_beheerder_handles_a_melding_without_a_wijkraad(page, demo):
    """CS-kwartier has no wijkraad and so no wijkmanager: the demo's melding there reaches the
    beheerder from "Mijn werk", who takes it into treatment."""
    melding = Melding.objects.get(wijk__slug="cs-kwartier")
    login(page, "beheerder@demo.wijkaanpak.nl")
    section = page.get_by_role("region", name="Meldingen in wijken zonder wijkraad")
    submit(page, section.get_by_role("link", name=re.compile("1 open melding")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen in wijken zonder wijkraad")
    submit(page, page.get_by_role("link", name=melding.code))
    page.get_by_text("In behandeling nemen", exact=True).first.click()
    submit(page, page.get_by_role("button", name="In behandeling nemen"))
    expect(page.get_by_role("status")).to_contain_text("De melding is bijgewerkt")
    assert_accessible(page)
    assert Melding.objects.get(pk=melding.pk).status == "in_behandeling"
