"""The wijk-MT of Kralingen in the browser: the demo wijkmanager (its chair) adds a wijkraadslid
to the delegation, records a meeting (a wrong date first: the message is next to the field and
the agenda typed stays) with a decision tied to the open knelpunt of the lichtmasten, sees the
decision on the initiative's page and resolves the knelpunt there; the demo accounthouder reads
the besluitenlijst and cannot change it. axe-core checks every page."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from cycle.models import Besluit, Knelpunt, Overleg
from people.models import User

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
WIJKMT = "/werkgebieden/kralingen/wijk-mt/"
LICHTMASTEN = "Verlichting op de schoolroutes"
BESLUIT = "De wijkmanager vraagt de directeur Vergunningen om een besluit binnen twee weken."


# Ten days ago: the demo's own meetings were four and eight weeks ago.
DATUM = timezone.localdate() - datetime.timedelta(days=10)
with translation.override("nl"):
    DATUM_TEKST = date_format(DATUM, "j F Y")


def success(page):
    return page.locator("[role=status] .alert-success")


def test_chair_records_a_meeting_and_the_accounthouder_reads_it(page, browser, live_server, demo):
    knelpunt = Knelpunt.objects.get(initiatief__titel=LICHTMASTEN, opgelost_op__isnull=True)
    assert Overleg.objects.filter(werkgebied__slug="kralingen").count() == 2

    login(page, WIJKMANAGER)
    visit(page, WIJKMT)
    leden = page.locator("section[aria-labelledby='leden-kop']")
    expect(leden).to_contain_text("Kiki de Kralinger")
    expect(leden).not_to_contain_text("Lars Lusthof")
    overleggen = page.locator("section[aria-labelledby='overleggen-kop']")
    expect(overleggen.get_by_role("listitem")).to_have_count(2)

    # The delegation.
    submit(page, page.get_by_role("link", name="Wijkraaddelegatie kiezen"))
    page.get_by_label("Lars Lusthof").check()
    submit(page, page.get_by_role("button", name="Delegatie opslaan"))
    expect(success(page)).to_have_text("De wijkraaddelegatie in het wijk-MT is opgeslagen.")
    expect(leden).to_contain_text("Kiki de Kralinger")
    expect(leden).to_contain_text("Lars Lusthof")

    # A meeting: a wrong date first.
    submit(page, overleggen.get_by_role("link", name="Overleg vastleggen"))
    page.locator("#id_datum").fill("1850-01-01")
    page.locator("#id_locatie").fill("Wijkhuis De Oude Kerk")
    page.locator("#id_agenda").fill("1. Knelpunt lichtmasten\n2. Rondvraag")
    submit(page, page.get_by_role("button", name="Overleg vastleggen"))
    expect(page.locator("#id_datum")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Vul een geldige datum in (dag-maand-jaar).")).to_be_visible()
    expect(page.locator("#id_agenda")).to_have_value("1. Knelpunt lichtmasten\n2. Rondvraag")
    page.locator("#id_datum").fill(DATUM.isoformat())
    submit(page, page.get_by_role("button", name="Overleg vastleggen"))
    expect(success(page)).to_contain_text(f"Het overleg van {DATUM_TEKST} is vastgelegd.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"overleg van {DATUM_TEKST}")

    # A decision tied to the open knelpunt.
    submit(page, page.get_by_role("link", name="Besluit toevoegen"))
    page.locator("#id_tekst").fill(BESLUIT)
    page.locator("#id_actiehouder").select_option(label="Wendy de Wijkmanager")
    page.locator("#id_deadline").fill((DATUM + datetime.timedelta(days=14)).isoformat())
    page.locator("#id_knelpunt").select_option(value=str(knelpunt.pk))
    submit(page, page.get_by_role("button", name="Besluit toevoegen"))
    expect(success(page)).to_have_text("Het besluit is aan de besluitenlijst toegevoegd.")
    besluit = Besluit.objects.get(tekst=BESLUIT)
    assert besluit.knelpunt_id == knelpunt.pk
    lijst = page.locator("#besluiten")
    expect(lijst).to_contain_text(BESLUIT)
    expect(lijst).to_contain_text("Actiehouder: Wendy de Wijkmanager")

    # The knelpunt, on the initiative's page, shows the decision; the chair resolves it there.
    submit(page, lijst.get_by_role("link", name="De omgevingsvergunning"))
    item = page.locator(f"#knelpunt-{knelpunt.pk}")
    expect(item).to_contain_text(BESLUIT)
    expect(page.locator("#wijkmt-besluiten")).to_contain_text(BESLUIT)
    item.get_by_label("Hoe is het opgelost?").fill("De vergunning is verleend op 1 december.")
    submit(page, item.get_by_role("button", name="Als opgelost afsluiten"))
    expect(success(page)).to_contain_text("is opgelost")
    knelpunt.refresh_from_db()
    assert not knelpunt.is_open

    # The accounthouder of Stadsbeheer reads the besluitenlijst, and cannot change it.
    ander = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        ah = ander.new_page()
        login(ah, ACCOUNTHOUDER)
        visit(ah, WIJKMT)
        submit(ah, ah.get_by_role("link", name=DATUM_TEKST))
        expect(ah.locator("#besluiten")).to_contain_text(BESLUIT)
        expect(ah.locator("#besluiten")).to_contain_text("(opgelost)")
        expect(ah.get_by_role("link", name="Besluit toevoegen")).to_have_count(0)
        expect(ah.get_by_role("button", name="Van de lijst halen")).to_have_count(0)
        submit(ah, ah.get_by_role("link", name="Alle overleggen"))
        expect(ah.locator("tbody tr")).to_have_count(3)
        response = ah.goto(f"{WIJKMT}overleggen/nieuw/")
        assert response.status == 403
    finally:
        ander.close()
    assert User.objects.get(email=ACCOUNTHOUDER).has_perm("cycle.view_wijkmt", besluit.overleg)
