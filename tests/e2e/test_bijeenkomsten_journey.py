"""Meetings and the wijkschouw in the browser: the demo wijkmanager plans a meeting in Crooswijk
(an end before the start first: the message is next to the field and the input stays); the
public sees it in the werkgebied's calendar and downloads the iCalendar feed; on a phone-size
screen the wijkmanager enters findings of Crooswijk's wijkschouw while the phone is offline
(they wait, and the page says so), they are sent when the connection returns, and two of them
become meldingen in one step. axe-core checks every page."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from participation.models import Bevinding, Bijeenkomst

from .axe import assert_accessible, submit, visit
from .conftest import DEFAULT_TIMEOUT_MS, login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
KALENDER = "/werkgebieden/crooswijk/bijeenkomsten/"
TITEL = "Bewonersavond over het Crooswijkse groen"
BEGIN = timezone.localtime() + datetime.timedelta(days=12)


def success(page):
    return page.locator("[role=status] .alert-success")


def test_plan_publish_and_walk_a_wijkschouw(page, browser, live_server, demo):
    login(page, WIJKMANAGER)
    visit(page, KALENDER)
    submit(page, page.get_by_role("link", name="Bijeenkomst plannen"))
    page.locator("#id_soort").select_option("themabijeenkomst")
    page.locator("#id_titel").fill(TITEL)
    page.locator("#id_begin").fill(BEGIN.strftime("%Y-%m-%dT19:30"))
    page.locator("#id_einde").fill(BEGIN.strftime("%Y-%m-%dT18:00"))
    page.locator("#id_plaats").fill("Buurthuis De Kroon")
    page.locator("#id_niveau").select_option("raadplegen")
    page.locator("#id_agenda").fill("1. Het park\n2. De pleinen")
    submit(page, page.get_by_role("button", name="Bijeenkomst plannen"))
    expect(page.get_by_text("De bijeenkomst moet eindigen na het begin.")).to_be_visible()
    expect(page.locator("#id_agenda")).to_have_value("1. Het park\n2. De pleinen")
    page.locator("#id_einde").fill(BEGIN.strftime("%Y-%m-%dT21:30"))
    submit(page, page.get_by_role("button", name="Bijeenkomst plannen"))
    expect(success(page)).to_have_text("De bijeenkomst is gepland.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITEL)

    # The public: the calendar and the feed.
    publiek = browser.new_context(base_url=live_server.url, locale="nl-NL", accept_downloads=True)
    publiek.set_default_timeout(DEFAULT_TIMEOUT_MS)
    bezoeker = publiek.new_page()
    visit(bezoeker, KALENDER)
    expect(bezoeker.get_by_role("link", name=TITEL)).to_be_visible()
    with bezoeker.expect_download() as download:
        bezoeker.get_by_role("link", name="Agendafeed (iCalendar, .ics)").click()
    with open(download.value.path(), "rb") as bestand:
        cal = Calendar.from_ical(bestand.read())
    titels = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert f"{TITEL} (Crooswijk)" in titels
    publiek.close()

    # The wijkschouw on a phone.
    schouw = Bijeenkomst.objects.get(soort="wijkschouw", werkgebied__slug="crooswijk")
    voor = Bevinding.objects.filter(bijeenkomst=schouw).count()
    telefoon = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    telefoon.set_default_timeout(DEFAULT_TIMEOUT_MS)
    mobiel = telefoon.new_page()
    login(mobiel, WIJKMANAGER)
    bevindingen_url = f"{KALENDER}{schouw.pk}/bevindingen/"
    visit(mobiel, bevindingen_url)
    status = mobiel.locator("#wachtrij-status")

    telefoon.set_offline(True)
    mobiel.locator("#id_tekst").fill("Omgevallen boom op het pad")
    mobiel.get_by_role("button", name="Bevinding opslaan").click()
    expect(status).to_have_text("1 bevinding wacht op verbinding")
    mobiel.locator("#id_tekst").fill("Verstopte put bij de kerk")
    mobiel.get_by_role("button", name="Bevinding opslaan").click()
    expect(status).to_have_text("2 bevindingen wachten op verbinding")
    assert_accessible(mobiel)
    assert Bevinding.objects.filter(bijeenkomst=schouw).count() == voor

    telefoon.set_offline(False)
    expect(status).to_have_text("Alle bevindingen zijn verstuurd.")
    expect(mobiel.locator("#zojuist li")).to_have_count(2)
    assert Bevinding.objects.filter(bijeenkomst=schouw).count() == voor + 2

    # Two of them become meldingen in one step.
    visit(mobiel, bevindingen_url)
    mobiel.get_by_label("Omgevallen boom op het pad").check()
    mobiel.get_by_label("Verstopte put bij de kerk").check()
    mobiel.locator("#id_thema").select_option(index=1)
    mobiel.locator("#id_wijk").select_option(index=1)
    submit(mobiel, mobiel.get_by_role("button", name="Maak meldingen"))
    expect(success(mobiel)).to_contain_text("2 meldingen gemaakt")
    nieuw = Bevinding.objects.filter(
        bijeenkomst=schouw, tekst__in=["Omgevallen boom op het pad", "Verstopte put bij de kerk"]
    )
    assert nieuw.count() == 2 and all(b.melding_id for b in nieuw)
    telefoon.close()
