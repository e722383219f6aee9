"""A bewonersinitiatief from application to verantwoording, in the browser: a resident of
Crooswijk applies with an activiteitenplan (cost lines in Dutch amounts), asks four neighbours
to sign, each confirms through the one-time link in their mail (read from Django's locmem
outbox), the resident submits; a wijkraadslid records the wijkraad's decision with the seven
spelregels, an amount above the request is refused in Dutch; the wijkmanager pays; the
resident reports with a receipt. axe-core checks every page."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Boeking, Boekingsoort
from budgets.models_bi import SPELREGEL_CODES, Bewonersinitiatief, BIStatus
from budgets.services import budget_vaststellen
from people.models import Rol
from tests.people.factories import user_with_role

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WACHTWOORD = "geheim-wachtwoord"
TITEL = "Buurtfeest Rubroek"


def _nieuwe_pagina(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    return context.new_page()


def _link(adres: str) -> str:
    berichten = [m for m in mail.outbox if m.to == [adres] and "ondertekenen" in m.subject]
    assert berichten, [m.subject for m in mail.outbox]
    return re.search(
        r"https?://[^/\s]+(/bewonersinitiatieven/ondertekenen/[-\w]+/)", berichten[-1].body
    ).group(1)


def test_bewonersinitiatief_journey(page, browser, live_server, werkgebied):
    mail.outbox.clear()
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    wijkraadslid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    datum = timezone.localdate() + datetime.timedelta(weeks=8)
    budget_vaststellen(
        werkgebied=werkgebied,
        jaar=datum.year,
        bedragen={"bewonersinitiatieven": "5000"},
        user=user_with_role(Rol.BEHEERDER),
    )

    # The resident applies.
    login(page, bewoner.email, WACHTWOORD)
    visit(page, f"/werkgebieden/{werkgebied.slug}/bewonersinitiatieven/aanvragen/")
    page.get_by_label("Titel").fill(TITEL)
    page.get_by_label("Wat gaat u doen?").fill("Een straatfeest met muziek.")
    page.get_by_label("Voor wie is het?").fill("Alle bewoners van de straat.")
    page.get_by_label("Datum van de activiteit").fill(datum.isoformat())
    page.get_by_label("Wie voert het uit?").fill("De bewonersgroep.")
    page.get_by_label("Eigen bijdrage (euro)").fill("100")
    page.get_by_label("Ik verklaar dat ik 18 jaar of ouder ben").check()
    page.locator("#id_kosten-0-onderdeel").fill("Muziek")
    page.locator("#id_kosten-0-bedrag").fill("1.2,50")
    submit(page, page.get_by_role("button", name="Concept opslaan"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("Vul een bedrag in euro")
    page.locator("#id_kosten-0-bedrag").fill("1.250,50")
    page.locator("#id_kosten-1-onderdeel").fill("Eten")
    page.locator("#id_kosten-1-bedrag").fill("400")
    submit(page, page.get_by_role("button", name="Concept opslaan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITEL)
    bi = Bewonersinitiatief.objects.get()
    assert str(bi.gevraagd_bedrag) == "1550.50"

    # Four neighbours; the applicant cannot sign for themself.
    page.get_by_label("Naam").fill("Ik zelf")
    page.get_by_label("E-mailadres").fill(bewoner.email)
    submit(page, page.get_by_role("button", name="Vraag deze bewoner te ondertekenen"))
    expect(page.get_by_text("U bent de aanvrager")).to_be_visible()
    for i in range(4):
        page.get_by_label("Naam").fill(f"Buur {i}")
        page.get_by_label("E-mailadres").fill(f"buur{i}@example.nl")
        submit(page, page.get_by_role("button", name="Vraag deze bewoner te ondertekenen"))
    submit(page, page.get_by_role("button", name="Aanvraag indienen"))
    expect(page.get_by_role("alert").first).to_contain_text("0 van de 4")

    buur = _nieuwe_pagina(browser, live_server)
    for i in range(4):
        visit(buur, _link(f"buur{i}@example.nl"))
        buur.get_by_label("Ik woon in deze wijk en ben 12 jaar of ouder.").check()
        submit(buur, buur.get_by_role("button", name="Ik onderteken dit initiatief"))
        expect(buur.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw handtekening")
    # The link works once.
    visit(buur, _link("buur0@example.nl"))
    expect(buur.get_by_role("alert")).to_contain_text("werkt niet")

    visit(page, bi.get_absolute_url())
    submit(page, page.get_by_role("button", name="Aanvraag indienen"))
    expect(page.get_by_text("Uw aanvraag is ingediend.")).to_be_visible()
    visit(page, "/mijn-wijk/")
    expect(page.get_by_role("link", name=TITEL)).to_be_visible()

    # The wijkraadslid records the wijkraad's decision with the seven spelregels.
    raad = _nieuwe_pagina(browser, live_server)
    login(raad, wijkraadslid.email, WACHTWOORD)
    expect(raad.get_by_text("1 aanvraag wacht op een besluit")).to_be_visible()
    visit(raad, bi.get_absolute_url())
    submit(raad, raad.get_by_role("button", name="In beoordeling nemen"))
    for code in SPELREGEL_CODES:
        raad.locator(f"input[name=voldoet_{code}][value=ja]").check()
        raad.locator(f"#id_toelichting_{code}").fill("Voldoet, zie het plan.")
    raad.locator("input[name=besluit][value=toekennen]").check()
    raad.get_by_label("Toegekend bedrag (euro)").fill("2.000,00")
    submit(raad, raad.get_by_role("button", name="Besluit vastleggen"))
    expect(raad.get_by_text("niet meer toekennen dan gevraagd")).to_be_visible()
    assert not Boeking.objects.exists()
    raad.get_by_label("Toegekend bedrag (euro)").fill("1.500,00")
    submit(raad, raad.get_by_role("button", name="Besluit vastleggen"))
    expect(raad.get_by_text("Het initiatief is toegekend.")).to_be_visible()

    # The wijkmanager pays.
    manager = _nieuwe_pagina(browser, live_server)
    login(manager, wijkmanager.email, WACHTWOORD)
    visit(manager, bi.get_absolute_url())
    submit(manager, manager.get_by_role("button", name="Uitbetalen"))
    expect(manager.get_by_text("De betaling is geboekt.")).to_be_visible()

    # The resident reports, with a receipt.
    visit(page, bi.get_absolute_url())
    page.get_by_label("Wat heeft u gedaan?").fill("Het feest was een succes.")
    page.get_by_label("Werkelijke kosten (euro)").fill("1.480")
    page.locator("#id_bonnen").set_input_files(
        files=[{"name": "bon.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF"}]
    )
    submit(page, page.get_by_role("button", name="Verantwoording insturen"))
    expect(page.get_by_text("uw verantwoording is ontvangen")).to_be_visible()
    bi.refresh_from_db()
    assert bi.status == BIStatus.VERANTWOORD
    soorten = set(Boeking.objects.values_list("soort", flat=True))
    assert soorten == {Boekingsoort.RESERVERING, Boekingsoort.BETALING}

    # The public list shows it by title and amount.
    visit(page, f"/werkgebieden/{werkgebied.slug}/bewonersinitiatieven/")
    expect(page.get_by_role("cell", name=TITEL)).to_be_visible()
    expect(page.get_by_text("1.500,00").first).to_be_visible()
