"""A resident's own place in the browser: sign up (a bad password first), confirm through the
link in the mail (Django's locmem outbox), sign in, follow a werkgebied, see the notification
about their melding in the navigation and the list, choose the weekly overview, unsubscribe
with the link in that overview, download their data and delete the account (a wrong password
first). axe-core checks every page."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from participation import services
from participation.models import Gebiedvolging, Melding, Thema
from people.models import Frequentie, Instellingen, User
from people.notificaties import weekoverzichten_versturen
from places.models import Wijk

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

EMAIL = "nieuwe.bewoner@example.nl"
PASSWORD = "Rubroek-aan-de-Rotte-2026"


def _mail_aan(onderwerp: str):
    berichten = [m for m in mail.outbox if m.to == [EMAIL] and onderwerp in m.subject]
    assert berichten, [m.subject for m in mail.outbox]
    return berichten[-1]


def _pad(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_resident_signs_up_follows_is_notified_and_leaves(page, demo, settings):
    mail.outbox.clear()
    # Sign up: a password too short first, the form keeps the rest.
    visit(page, "/")
    submit(page, page.get_by_role("link", name="Account aanmaken"))
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Naam (mag u leeg laten)").fill("Nina Nieuw")
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("kort")
    page.get_by_label("Uw wijk").select_option(label="Rubroek")
    submit(page, page.get_by_role("button", name="Account aanmaken"))
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("E-mailadres")).to_have_value(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Account aanmaken"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert not User.objects.get(email=EMAIL).is_active

    # The link in the mail, then the button (a mail scanner's GET confirms nothing).
    bevestiging = _mail_aan("Bevestig uw e-mailadres")
    pad = re.search(r"https?://\S+(/aanmelden/bevestigen/\S+/)", bevestiging.body).group(1)
    visit(page, pad)
    submit(page, page.get_by_role("button", name="Bevestig mijn e-mailadres"))
    expect(page.get_by_text("Uw e-mailadres is bevestigd")).to_be_visible()
    login(page, EMAIL, PASSWORD)

    # Mijn wijk: follow the werkgebied Crooswijk.
    visit(page, "/mijn-wijk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn wijk")
    submit(page, page.get_by_role("link", name="Een werkgebied of wijk volgen"))
    submit(page, page.get_by_role("button", name="Volgen"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("Kies het werkgebied")
    page.get_by_label("Werkgebied").select_option(label="Crooswijk")
    submit(page, page.get_by_role("button", name="Volgen"))
    expect(page.get_by_text("U volgt nu Crooswijk.")).to_be_visible()
    user = User.objects.get(email=EMAIL)
    assert Gebiedvolging.objects.filter(user=user, werkgebied__slug="crooswijk").exists()

    # Their melding is taken up: a notification in the navigation and the list.
    melding = services.melding_create(
        gegevens=services.NieuweMelding(
            tekst="Bij de Rotte ligt een omgevallen boom over het fietspad.",
            thema=Thema.objects.get(slug="heel"),
            wijk=Wijk.objects.get(slug="rubroek"),
            melder=user,
        )
    )
    services.melding_transition(
        melding_id=melding.pk,
        user=demo["wijkmanager"],
        transition="in_behandeling_nemen",
        expected_versie=None,
    )
    visit(page, "/mijn-wijk/")
    expect(page.get_by_role("link", name=re.compile(r"Berichten\s*1\s*ongelezen"))).to_be_visible()
    mijn_meldingen = page.get_by_role("region", name="Mijn meldingen met hun status")
    expect(mijn_meldingen).to_contain_text(melding.code)
    submit(page, page.get_by_role("link", name=re.compile(r"Berichten\s*1")))
    bericht = f"Uw melding {melding.code}: in behandeling"
    expect(page.get_by_role("link", name=bericht)).to_be_visible()
    submit(page, page.get_by_role("button", name="Alles als gelezen markeren"))
    expect(page.get_by_text("Alle berichten zijn gelezen.")).to_be_visible()

    # The weekly overview instead of a mail per message.
    visit(page, "/mijn-wijk/instellingen/")
    page.get_by_label("één keer per week, in een overzicht").check()
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Uw keuze is opgeslagen.")).to_be_visible()
    assert Instellingen.objects.get(user=user).frequentie == Frequentie.WEKELIJKS
    services.melding_transition(
        melding_id=melding.pk,
        user=demo["wijkmanager"],
        transition="afhandelen",
        expected_versie=None,
        antwoord="De boom is weggehaald.",
    )
    mail.outbox.clear()
    assert weekoverzichten_versturen() == 1
    overzicht = _mail_aan("weekoverzicht")
    afmelden = overzicht.extra_headers["List-Unsubscribe"].strip("<>")
    assert afmelden in overzicht.body

    # One click on the link in the mail, without signing in.
    anoniem = page.context.browser.new_context(base_url=page.url.split("/mijn-wijk")[0])
    los = anoniem.new_page()
    visit(los, _pad(afmelden))
    submit(los, los.get_by_role("button", name="Ja, meld mij af"))
    expect(los.get_by_text("U krijgt geen e-mail meer")).to_be_visible()
    anoniem.close()
    assert Instellingen.objects.get(user=user).frequentie == Frequentie.NOOIT

    # Their data, then the account.
    visit(page, "/mijn-wijk/gegevens/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert melding.code in {m["code"] for m in data["participatie"]["meldingen"]}
    submit(page, page.get_by_role("link", name="Mijn account verwijderen"))
    page.get_by_label("Uw wachtwoord").fill("niet-mijn-wachtwoord")
    submit(page, page.get_by_role("button", name="Account definitief verwijderen"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("Het wachtwoord klopt niet")
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Account definitief verwijderen"))
    expect(page.get_by_text("Uw account is verwijderd.")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()
    melding.refresh_from_db()
    assert melding.melder_id is None and melding.email == ""
    assert Melding.objects.filter(pk=melding.pk).exists()
