"""Conflicts and form errors as a user meets them: a stale step in a second tab, an invalid
planning, a product without title, and the language switch."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from audit.models import AuditEntry
from cycle.models import Fase, Productstatus, Werkcyclus, Wijkanalyse

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"


def transitions(cyclus, overgang=None):
    entries = AuditEntry.objects.filter(
        action="cycle.transition",
        content_type=ContentType.objects.get_for_model(Werkcyclus),
        object_id=str(cyclus.pk),
    )
    return entries.filter(data__overgang=overgang) if overgang else entries


def programma_met_toegezegde_initiatieven(werkgebied: str, jaar: int) -> None:
    """The programme's initiatives, committed to (through the services): what its adoption
    check asks; the pages that make them have journeys of their own."""
    from cycle.demo import _fill_programma, toezeggingen_geven
    from cycle.models import Wijkprogramma
    from people.models import User

    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(
        cyclus__werkgebied__slug=werkgebied, cyclus__jaar=jaar
    )
    _fill_programma(programma, User.objects.get(email=WIJKMANAGER))
    # The demo leaves two initiatives waiting for Stadsbeheer's accounthouder.
    toezeggingen_geven(programma)


def test_stale_step_in_a_second_tab_changes_nothing(context, page, demo):
    login(page, WIJKMANAGER)
    cyclus_url = "/werkgebieden/kralingen/2027/"
    programma_met_toegezegde_initiatieven("kralingen", 2027)

    # Adopt the wijkprogramma through the UI, so the step to "uitvoering" becomes ready.
    visit(page, f"{cyclus_url}wijkprogramma/")
    submit(page, page.get_by_role("link", name="Bewerken", exact=True))
    page.locator("#id_toelichting").fill("Buurtmoestuin aan de Kralingse Plas.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    submit(page, page.get_by_role("button", name="Vaststellen", exact=True))
    expect(page.locator(".alert-success")).to_contain_text("heeft nu de status ‘vastgesteld’")

    # The same cycle page open in two tabs.
    tab1 = page
    visit(tab1, cyclus_url)
    tab2 = context.new_page()
    visit(tab2, cyclus_url)
    for tab in (tab1, tab2):
        expect(tab.locator("p.lead .badge").first).to_have_text("wijkprogramma")
        expect(tab.get_by_role("button", name="Naar fase uitvoering")).to_be_enabled()

    submit(tab1, tab1.get_by_role("button", name="Naar fase uitvoering"))
    expect(tab1.locator(".alert-success")).to_have_text("De cyclus is nu in de fase ‘uitvoering’.")
    expect(tab1.locator("p.lead .badge").first).to_have_text("uitvoering")

    # Tab 2 still shows the old phase; its step is now stale.
    submit(tab2, tab2.get_by_role("button", name="Naar fase uitvoering"))
    error = tab2.locator("[role=status] .alert-danger")
    expect(error).to_contain_text("intussen")
    expect(error).to_contain_text("uitvoering")
    expect(tab2.locator("p.lead .badge").first).to_have_text("uitvoering")
    expect(tab2.locator(".alert-success")).to_have_count(0)

    cyclus = Werkcyclus.objects.get(werkgebied__slug="kralingen", jaar=2027)
    assert cyclus.fase == Fase.UITVOERING
    assert transitions(cyclus, "naar_uitvoering").count() == 1
    # The history on the page agrees: one row for this transition.
    rows = tab2.locator("section[aria-labelledby='geschiedenis-kop'] tbody tr")
    expect(rows.filter(has_text="Fase wijkprogramma → uitvoering")).to_have_count(1)


def test_planning_with_end_before_begin_is_refused(page, live_server, demo):
    login(page, WIJKMANAGER)
    cyclus = Werkcyclus.objects.get(werkgebied__slug="crooswijk", jaar=2027)
    voor = {f.attname: getattr(cyclus, f.attname) for f in Werkcyclus._meta.concrete_fields}

    visit(page, "/werkgebieden/crooswijk/2027/")
    submit(page, page.get_by_role("link", name="Planning wijzigen"))
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/2027/planning/")

    nieuw_begin = (cyclus.analyse_begin + datetime.timedelta(days=3)).isoformat()
    te_vroeg_eind = (cyclus.agenda_begin - datetime.timedelta(days=10)).isoformat()
    page.locator("#id_analyse_begin").fill(nieuw_begin)
    page.locator("#id_agenda_eind").fill(te_vroeg_eind)
    response = submit(page, page.get_by_role("button", name="Planning opslaan"))

    # Back on the form (not redirected), with the error at the offending field only.
    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/crooswijk/2027/planning/")
    melding = "Het einde ligt vóór het begin van deze fase."
    groep = page.locator("#div_id_agenda_eind")
    expect(groep.locator(".invalid-feedback")).to_have_text(melding)
    expect(groep.locator(".invalid-feedback")).to_be_visible()
    veld = groep.locator("#id_agenda_eind")
    expect(veld).to_have_attribute("aria-invalid", "true")
    expect(veld).to_have_accessible_description(re.compile(re.escape(melding)))
    expect(page.locator("form .invalid-feedback")).to_have_count(1)
    expect(page.locator(".alert-success")).to_have_count(0)

    # What the user entered is still in the form.
    expect(veld).to_have_value(te_vroeg_eind)
    expect(page.locator("#id_analyse_begin")).to_have_value(nieuw_begin)
    expect(page.locator("#id_agenda_begin")).to_have_value(cyclus.agenda_begin.isoformat())

    # Nothing saved, nothing logged.
    cyclus.refresh_from_db()
    na = {f.attname: getattr(cyclus, f.attname) for f in Werkcyclus._meta.concrete_fields}
    assert na == voor
    assert not AuditEntry.objects.filter(action="cycle.planned").exists()


def test_product_without_title_keeps_the_typed_text(page, live_server, demo):
    login(page, WIJKMANAGER)
    analyse = Wijkanalyse.objects.get(cyclus__werkgebied__slug="crooswijk", cyclus__jaar=2027)
    oude_titel, oude_versie = analyse.titel, analyse.versie
    bewerken = "/werkgebieden/crooswijk/2027/wijkanalyse/bewerken/"
    beschrijving = "Nieuwe wijkfoto: meer jonge gezinnen, minder ouderen dan vijf jaar geleden."
    conclusies = "Investeer in speelplekken en in ontmoeting tussen generaties."

    visit(page, "/werkgebieden/crooswijk/2027/wijkanalyse/")
    submit(page, page.get_by_role("link", name="Bewerken", exact=True))
    expect(page).to_have_url(f"{live_server.url}{bewerken}")
    titel = page.locator("#id_titel")

    # An empty title: the browser itself refuses to submit the form (required field).
    titel.fill("")
    page.locator("#id_wijkbeschrijving").fill(beschrijving)
    page.locator("#id_conclusies").fill(conclusies)
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(f"{live_server.url}{bewerken}")
    assert titel.evaluate("el => el.validity.valueMissing") is True

    # A title of only spaces passes the browser but not the server: the Dutch error appears at
    # the title field and the sections keep what was typed.
    titel.fill("   ")
    response = submit(page, page.get_by_role("button", name="Opslaan"))
    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}{bewerken}")
    groep = page.locator("#div_id_titel")
    expect(groep.locator(".invalid-feedback")).to_have_text("Geef het stuk een titel.")
    expect(groep.locator(".invalid-feedback")).to_be_visible()
    expect(titel).to_have_attribute("aria-invalid", "true")
    expect(titel).to_have_accessible_description(re.compile("Geef het stuk een titel."))
    expect(page.locator("form .invalid-feedback")).to_have_count(1)
    expect(page.locator("#id_wijkbeschrijving")).to_have_value(beschrijving)
    expect(page.locator("#id_conclusies")).to_have_value(conclusies)
    expect(page.locator(".alert-success")).to_have_count(0)

    analyse.refresh_from_db()
    assert (analyse.titel, analyse.versie) == (oude_titel, oude_versie)
    assert analyse.wijkbeschrijving != beschrijving
    assert analyse.status == Productstatus.CONCEPT


def test_language_switch(page, live_server, demo):
    visit(page, "/werkgebieden/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    # The switch is one link to the other language, named in that language.
    expect(page.get_by_role("link", name="Nederlands")).to_have_count(0)
    english = page.get_by_role("link", name="English", exact=True)
    expect(english).to_have_attribute("lang", "en")

    submit(page, english)
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/werkgebieden/")  # back where we were
    # The page is really in English now, not only labelled so.
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Werkgebieden en wijkraden")
    expect(page.get_by_role("link", name="English", exact=True)).to_have_count(0)

    # The choice sticks on the next page.
    visit(page, "/wijken/")
    expect(html).to_have_attribute("lang", "en")

    submit(page, page.get_by_role("link", name="Nederlands", exact=True))
    expect(html).to_have_attribute("lang", "nl")
    expect(page).to_have_url(f"{live_server.url}/wijken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alle wijken")
