"""A booking corrected in the browser: the beheerder opens the ledger of Kralingen 2026 (the
demo's knelpunt expenses), corrects one booking with a reversing entry (a missing reason is
refused next to its field, nothing booked), and the ledger shows the correction while the
corrected booking can no longer be corrected; the wijkmanager sees the ledger without the
correction links. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from budgets.models import Boeking, Boekingsoort

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

GROOTBOEK = "/werkgebieden/kralingen/budget/2026/grootboek/"


def test_beheerder_corrects_a_booking_with_a_reason(page, browser, live_server, demo):
    aantal = Boeking.objects.count()
    login(page, demo["beheerder"].email)
    visit(page, GROOTBOEK)
    link = page.get_by_role("link", name=re.compile(r"^Corrigeren boeking nr\. \d+$")).first
    nummer = int(re.search(r"(\d+)$", link.inner_text())[1])
    submit(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Boeking nr. {nummer} corrigeren")

    # No reason (only spaces, past the browser's own check): refused next to the field,
    # nothing booked.
    page.get_by_label("Waarom wordt deze boeking gecorrigeerd?").fill("   ")
    submit(page, page.get_by_role("button", name="Tegenboeking maken"))
    expect(page.locator("#id_reden")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Geef een reden.")).to_be_visible()
    assert Boeking.objects.count() == aantal

    page.get_by_label("Waarom wordt deze boeking gecorrigeerd?").fill("Dubbel geboekt")
    submit(page, page.get_by_role("button", name="Tegenboeking maken"))
    expect(page).to_have_url(re.compile(re.escape(GROOTBOEK) + "$"))
    expect(page.get_by_role("status")).to_contain_text(f"Boeking nr. {nummer} is gecorrigeerd")
    tegen = Boeking.objects.get(gecorrigeerd_id=nummer)
    assert tegen.soort == Boekingsoort.CORRECTIE and tegen.reden == "Dubbel geboekt"
    rij = page.get_by_role("row", name=re.compile(rf"^{tegen.pk} "))
    expect(rij).to_contain_text(f"van nr. {nummer}")
    # Neither the corrected booking nor its correction can be corrected again.
    for nr in (nummer, tegen.pk):
        expect(page.get_by_role("link", name=f"Corrigeren boeking nr. {nr}")).to_have_count(0)

    # The wijkmanager of Kralingen reads the same ledger, without the correction links.
    context = browser.new_context(base_url=live_server.url)
    wijkmanager = context.new_page()
    login(wijkmanager, demo["wijkmanager"].email)
    visit(wijkmanager, GROOTBOEK)
    expect(wijkmanager.get_by_role("row", name=re.compile(rf"^{tegen.pk} "))).to_be_visible()
    expect(wijkmanager.get_by_role("link", name=re.compile("^Corrigeren"))).to_have_count(0)
    context.close()
