"""A published wijkanalyse is corrected. The wijkmanager of Kralingen reopens it for a
correction (a reason is required, and the server insists on it too), rewrites a section and
adopts and publishes it as version 2. While that goes on, a resident sees that the piece is
being corrected and why, with its published versions, but not the new text. Afterwards
version 1 points to version 2, version 2 says what it replaces (its frozen text too), the
archive marks version 1 as replaced and the council is mailed a corrected publication. Tabs
loaded before the reopening change nothing."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from audit.models import AuditEntry
from cycle.models import Fase, Productstatus, Wijkanalyse
from notices.models import Notice
from publication.models import Pdfstatus, Publicatie

from .axe import submit, visit
from .conftest import DEFAULT_TIMEOUT_MS, login
from .test_wijkmanager_journey import confirm_publication, product_status, success_message

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
# The demo took Kralingen 2027 to the phase wijkprogramma: its wijkanalyse is published (v1).
PRODUCT = "/werkgebieden/kralingen/2027/wijkanalyse/"
CYCLUS = "/werkgebieden/kralingen/2027/"
VERSIES = "/publicaties/kralingen/2027/wijkanalyse/"
HEROPENEN = "Heropenen voor correctie"

REDEN = "De cijfers over zwerfafval in de conclusies waren die van een andere wijk."
NIEUWE_CONCLUSIES = "Prioriteit voor veilige oversteekplaatsen bij de scholen aan de Kortekade."
REDEN_ONTBREEKT = (
    "Geef de reden van de correctie: die staat openbaar bij de nieuwe versie en bij de versie "
    "die zij vervangt."
)
TEKST_GEWIJZIGD = (
    "De tekst van dit stuk is gewijzigd nadat u de pagina opende. Er is niets gewijzigd; lees "
    "de nieuwe tekst en neem de stap dan opnieuw."
)


def status_gewijzigd(status: str) -> str:
    return (
        f"Dit stuk heeft intussen de status ‘{status}’. "
        "Er is niets gewijzigd; bekijk de actuele stand."
    )


def error_message(page):
    return page.locator("[role=status] .alert-danger")


def correctie_melding(page):
    """The info box of a product being corrected."""
    return page.get_by_role("note").filter(has_text="Dit stuk wordt gecorrigeerd.")


def versies_panel(page):
    return page.get_by_role("region", name="Gepubliceerde versies")


def reden_veld(page):
    return page.get_by_role("textbox", name="Reden (verplicht)")


def heropeningen(analyse):
    return AuditEntry.objects.filter(
        action="cycle.product_transition",
        content_type=ContentType.objects.get_for_model(Wijkanalyse),
        object_id=str(analyse.pk),
        data__overgang="heropenen",
    )


def versies(analyse):
    return Publicatie.objects.filter(
        product_type=ContentType.objects.get_for_model(Wijkanalyse), product_id=analyse.pk
    ).order_by("versie")


def reopen_without_reason(page, analyse) -> None:
    """The browser refuses an empty reason; with its check removed the server refuses it."""
    veld = reden_veld(page)
    expect(veld).to_have_attribute("required", "")
    expect(veld).to_have_accessible_description(re.compile("^Wat moet er verbeterd worden\\?"))
    url = page.url
    page.get_by_role("button", name=HEROPENEN, exact=True).click()
    assert veld.evaluate("element => element.validity.valueMissing")
    expect(page).to_have_url(url)

    veld.evaluate("element => element.removeAttribute('required')")
    submit(page, page.get_by_role("button", name=HEROPENEN, exact=True))
    expect(page).to_have_url(url)
    expect(error_message(page)).to_have_text(REDEN_ONTBREEKT)
    expect(success_message(page)).to_have_count(0)
    expect(product_status(page)).to_have_text("gepubliceerd")
    expect(correctie_melding(page)).to_have_count(0)
    analyse.refresh_from_db()
    assert analyse.status == Productstatus.GEPUBLICEERD
    assert analyse.correctie_reden == ""
    assert not heropeningen(analyse).exists()


def stale_reopen(tab, melding: str) -> None:
    """A tab loaded while the product was published (v1) reopens it with its own reason."""
    expect(product_status(tab)).to_have_text("gepubliceerd")
    reden_veld(tab).fill("Een andere reden, uit een oude tab.")
    submit(tab, tab.get_by_role("button", name=HEROPENEN, exact=True))
    expect(error_message(tab)).to_have_text(melding)
    expect(success_message(tab)).to_have_count(0)


def test_wijkmanager_corrects_a_published_analysis(browser, context, page, live_server, demo):
    analyse = Wijkanalyse.objects.select_related("cyclus__werkgebied").get(
        cyclus__werkgebied__slug="kralingen", cyclus__jaar=2027
    )
    assert analyse.status == Productstatus.GEPUBLICEERD
    assert analyse.cyclus.fase == Fase.PROGRAMMA
    assert versies(analyse).count() == 1
    titel = analyse.titel
    oude_conclusies = analyse.conclusies
    nieuwe_titel = f"{titel} (gecorrigeerd)"
    # What someone who may not read the correction sees as the heading.
    algemeen = f"Wijkanalyse {analyse.cyclus.werkgebied.naam} 2027"

    bewoner_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    bewoner_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    bewoner_context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    bewoner = bewoner_context.new_page()
    try:
        # 0. Before the correction the resident reads the published analysis and its version
        # page (both now in the page cache for anonymous visitors).
        visit(bewoner, PRODUCT)
        expect(bewoner.get_by_role("heading", level=1)).to_have_text(titel)
        expect(bewoner.locator(".sectie-tekst", has_text=oude_conclusies)).to_have_count(1)
        expect(correctie_melding(bewoner)).to_have_count(0)
        visit(bewoner, f"{VERSIES}v1/")
        expect(bewoner.get_by_role("heading", level=1)).to_have_text(f"{titel}, versie 1")
        expect(bewoner.get_by_text("Vervangen door versie")).to_have_count(0)

        # 1. The wijkmanager opens the published analysis; two more tabs of it stay open.
        login(page, WIJKMANAGER)
        visit(page, PRODUCT)
        expect(product_status(page)).to_have_text("gepubliceerd")
        expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
        oude_tabs = [context.new_page(), context.new_page()]
        for tab in oude_tabs:
            visit(tab, PRODUCT)
            expect(tab.get_by_role("button", name=HEROPENEN, exact=True)).to_be_enabled()

        reopen_without_reason(page, analyse)

        reden_veld(page).fill(REDEN)
        submit(page, page.get_by_role("button", name=HEROPENEN, exact=True))
        expect(page).to_have_url(f"{live_server.url}{PRODUCT}")
        expect(success_message(page)).to_have_text(f"{titel} heeft nu de status ‘in correctie’.")
        expect(product_status(page)).to_have_text("in correctie")
        melding = correctie_melding(page)
        expect(melding).to_be_visible()
        expect(melding).to_contain_text(f"Reden van de correctie: {REDEN}")
        # Whoever is involved still reads the text, and may now edit and adopt it, whatever
        # the phase of the cycle (wijkprogramma).
        expect(page.locator(".sectie-tekst", has_text=oude_conclusies)).to_have_count(1)
        expect(page.get_by_role("link", name="Bewerken", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Vaststellen", exact=True)).to_be_enabled()
        expect(page.get_by_role("button", name=HEROPENEN, exact=True)).to_have_count(0)
        analyse.refresh_from_db()
        assert analyse.status == Productstatus.CORRECTIE
        assert analyse.correctie_reden == REDEN

        # 5a. A tab loaded while the analysis was published: its reopening is stale now.
        stale_reopen(oude_tabs[0], status_gewijzigd("in correctie"))
        expect(product_status(oude_tabs[0])).to_have_text("in correctie")
        expect(correctie_melding(oude_tabs[0])).to_contain_text(REDEN)
        analyse.refresh_from_db()
        assert (analyse.status, analyse.correctie_reden) == (Productstatus.CORRECTIE, REDEN)
        assert heropeningen(analyse).count() == 1

        # 3a. The wijkmanager corrects the title and a section.
        submit(page, page.get_by_role("link", name="Bewerken", exact=True))
        expect(page).to_have_url(f"{live_server.url}{PRODUCT}bewerken/")
        page.locator("#id_titel").fill(nieuwe_titel)
        page.locator("#id_conclusies").fill(NIEUWE_CONCLUSIES)
        submit(page, page.get_by_role("button", name="Opslaan"))
        expect(page).to_have_url(f"{live_server.url}{PRODUCT}")
        expect(success_message(page)).to_contain_text(f"{nieuwe_titel} is opgeslagen.")
        expect(page.get_by_role("heading", level=1)).to_have_text(nieuwe_titel)
        expect(page.locator(".sectie-tekst", has_text=NIEUWE_CONCLUSIES)).to_have_count(1)
        expect(product_status(page)).to_have_text("in correctie")

        # 2. Meanwhile the resident: the correction and its reason, the published versions,
        # but neither the new title nor the new text.
        for stand in ("in correctie", "vastgesteld"):
            if stand == "vastgesteld":
                # 3b. The wijkmanager adopts the correction; it is still not public.
                submit(page, page.get_by_role("button", name="Vaststellen", exact=True))
                expect(success_message(page)).to_contain_text("heeft nu de status ‘vastgesteld’")
                expect(product_status(page)).to_have_text("vastgesteld")
                expect(correctie_melding(page)).to_contain_text(REDEN)
                expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
            response = visit(bewoner, PRODUCT)
            assert response.status == 200
            expect(bewoner.get_by_role("heading", level=1)).to_have_text(algemeen)
            expect(bewoner).to_have_title(f"{algemeen} – Wijkaanpak Rotterdam")
            expect(product_status(bewoner)).to_have_text(stand)
            expect(correctie_melding(bewoner)).to_contain_text(f"Reden van de correctie: {REDEN}")
            panel = versies_panel(bewoner)
            expect(panel.get_by_role("listitem")).to_have_count(1)
            expect(panel.get_by_role("listitem")).to_contain_text("Versie 1")
            expect(panel.get_by_role("link", name="lees de gepubliceerde tekst")).to_have_attribute(
                "href", f"{VERSIES}v1/tekst/"
            )
            expect(bewoner.locator(".sectie-tekst")).to_have_count(0)
            expect(bewoner.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
            expect(bewoner.locator("form[action$='/stap/']")).to_have_count(0)
            html = bewoner.content()
            assert NIEUWE_CONCLUSIES not in html
            assert nieuwe_titel not in html

        # The resident's way in, the cycle page: the analysis links to its published versions.
        visit(bewoner, CYCLUS)
        expect(bewoner.get_by_text("correctie in voorbereiding").first).to_be_visible()
        assert nieuwe_titel not in bewoner.content()

        # 3c. The wijkmanager publishes the correction: version 2.
        confirm_publication(page)
        submit(page, page.get_by_role("button", name="Publiceren", exact=True))
        expect(success_message(page)).to_have_text(
            f"{nieuwe_titel} heeft nu de status ‘gepubliceerd’."
        )
        expect(product_status(page)).to_have_text("gepubliceerd")
        expect(correctie_melding(page)).to_have_count(0)
        panel = versies_panel(page)
        items = panel.get_by_role("listitem")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text("Versie 2")
        expect(items.nth(0)).to_contain_text(f"Reden van de correctie: {REDEN}")
        expect(items.nth(0)).not_to_contain_text("Vervangen door")
        # The PDF of the new version is made eagerly here (no worker in these tests).
        expect(
            items.nth(0).get_by_role("link", name=re.compile("download als PDF"))
        ).to_be_visible()
        expect(items.nth(1)).to_contain_text("Versie 1")
        expect(items.nth(1)).to_contain_text("Vervangen door versie 2")
        expect(page.get_by_role("button", name=HEROPENEN, exact=True)).to_be_enabled()

        v1, v2 = versies(analyse)
        assert (v1.versie, v1.titel, v1.correctie_reden) == (1, titel, "")
        assert (v2.versie, v2.titel, v2.correctie_reden) == (2, nieuwe_titel, REDEN)
        assert v2.pdf_status == Pdfstatus.KLAAR
        analyse.refresh_from_db()
        assert analyse.status == Productstatus.GEPUBLICEERD
        assert analyse.conclusies == NIEUWE_CONCLUSIES

        # The council hears of a corrected publication, with the reason and the new version.
        mail = Notice.objects.get(
            kind="cycle.published",
            recipient=demo["raad"].email,
            subject=f"Gecorrigeerd gepubliceerd: {nieuwe_titel}",
        )
        assert REDEN in mail.body
        assert f"{VERSIES}v2/" in mail.body

        # 5b. The other tab loaded before the reopening: the product is published again, but
        # its text is no longer the one that tab showed, so reopening from it changes nothing.
        stale_reopen(oude_tabs[1], TEKST_GEWIJZIGD)
        expect(product_status(oude_tabs[1])).to_have_text("gepubliceerd")
        analyse.refresh_from_db()
        assert (analyse.status, analyse.correctie_reden) == (Productstatus.GEPUBLICEERD, REDEN)
        assert heropeningen(analyse).count() == 1
        assert versies(analyse).count() == 2

        # 4. The resident opens version 1 again: it was replaced, and says why.
        with translation.override("nl"):
            datum = date_format(timezone.localtime(v2.gepubliceerd_op), "j F Y")
        visit(bewoner, f"{VERSIES}v1/")
        expect(bewoner.get_by_role("heading", level=1)).to_have_text(f"{titel}, versie 1")
        vervangen = bewoner.get_by_role("note").filter(has_text="Vervangen door versie 2")
        expect(vervangen).to_contain_text(f"Vervangen door versie 2 op {datum}.")
        expect(vervangen).to_contain_text(f"Reden van de correctie: {REDEN}")
        submit(bewoner, vervangen.get_by_role("link", name="Naar versie 2"))
        expect(bewoner).to_have_url(f"{live_server.url}{VERSIES}v2/")
        expect(bewoner.get_by_role("heading", level=1)).to_have_text(f"{nieuwe_titel}, versie 2")
        expect(bewoner.get_by_text("Deze versie vervangt versie 1.")).to_have_text(
            f"Deze versie vervangt versie 1. Reden van de correctie: {REDEN}"
        )
        expect(bewoner.get_by_text("Vervangen door versie")).to_have_count(0)
        expect(bewoner.get_by_role("status")).to_contain_text("De PDF is klaar.")

        # Its frozen text carries the reason on its cover.
        submit(bewoner, bewoner.get_by_role("link", name="Lees de gepubliceerde tekst"))
        expect(bewoner).to_have_url(f"{live_server.url}{VERSIES}v2/tekst/")
        expect(bewoner.locator(".omslag .correctie")).to_have_text(
            f"Deze versie vervangt versie 1. Reden van de correctie: {REDEN}"
        )
        expect(bewoner.locator("body")).to_contain_text(NIEUWE_CONCLUSIES)

        # The archive marks version 1 as replaced.
        visit(bewoner, "/publicaties/")
        bewoner.get_by_label("Werkgebied").select_option(label=analyse.cyclus.werkgebied.naam)
        submit(bewoner, bewoner.get_by_role("button", name="Filteren"))
        rij_v1 = bewoner.locator("tbody tr").filter(
            has=bewoner.locator(f"a[href='{VERSIES}v1/tekst/']")
        )
        rij_v2 = bewoner.locator("tbody tr").filter(
            has=bewoner.locator(f"a[href='{VERSIES}v2/tekst/']")
        )
        expect(rij_v1).to_contain_text("vervangen door versie 2")
        expect(rij_v1).to_contain_text(titel)
        expect(rij_v2).to_contain_text(nieuwe_titel)
        expect(rij_v2).to_contain_text("correctie")
        expect(rij_v2).not_to_contain_text("vervangen door")

        # And the product page is public again, with the corrected text.
        visit(bewoner, PRODUCT)
        expect(bewoner.get_by_role("heading", level=1)).to_have_text(nieuwe_titel)
        expect(correctie_melding(bewoner)).to_have_count(0)
        expect(bewoner.locator(".sectie-tekst", has_text=NIEUWE_CONCLUSIES)).to_have_count(1)
        expect(versies_panel(bewoner).get_by_role("listitem")).to_have_count(2)
    finally:
        bewoner_context.close()
