"""Residents follow the execution year in the browser: on Kralingen 2026's public cycle page a
resident finds an initiative, follows it with an e-mail address, confirms through the link in
the mail (Django's locmem outbox), the demo accounthouder reports progress, the resident gets
the mail and sees the progress on the cycle page, and unsubscribes with the link in the mail.
A melding's tracking page shows the initiative it led to. axe-core checks every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from participation.demo_volgen import DEMO_MELDINGEN
from participation.models import Melding, Volger

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
BEWONER = "buurtbewoner@example.nl"
SPEELPLEK = "Speelplek Lusthofstraat opknappen"
CYCLUS = "/werkgebieden/kralingen/2026/"


def _mail_aan(adres: str, onderwerp: str):
    berichten = [m for m in mail.outbox if m.to == [adres] and onderwerp in m.subject]
    assert berichten, [m.subject for m in mail.outbox if m.to == [adres]]
    return berichten[-1]


def _pad(body: str, soort: str) -> str:
    return re.search(rf"https?://[^/\s]+(/volgen/{soort}/[-\w]+/)", body).group(1)


def test_resident_follows_an_initiative(page, context, demo, settings):
    settings.MELDING_RATE = "100/h"
    mail.outbox.clear()
    # The public cycle page lists the initiatives with their progress.
    visit(page, CYCLUS)
    tabel = page.get_by_role(
        "region", name="De initiatieven met hun status, voortgang en laatste update"
    )
    expect(tabel).to_contain_text(SPEELPLEK)
    expect(tabel).to_contain_text("70% klaar")
    submit(page, tabel.get_by_role("link", name=SPEELPLEK))
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEELPLEK)

    # Follow it: an address, then the confirmation mail.
    submit(page, page.get_by_role("link", name="Volg dit initiatief"))
    page.get_by_label("Uw e-mailadres").fill("geen adres")
    submit(page, page.get_by_role("button", name="Volgen"))
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text(
        "Vul een geldig e-mailadres in"
    )
    page.get_by_label("Uw e-mailadres").fill(BEWONER)
    submit(page, page.get_by_role("button", name="Volgen"))
    expect(page.get_by_text("ontvangt u een e-mail met een link om te bevestigen")).to_be_visible()
    bevestiging = _mail_aan(BEWONER, "Bevestig")
    visit(page, _pad(bevestiging.body, "bevestigen"))
    submit(page, page.get_by_role("button", name="Ja, ik wil dit initiatief volgen"))
    expect(page.get_by_text("U volgt dit initiatief nu.")).to_be_visible()
    assert Volger.objects.get(email=BEWONER).is_bevestigd

    # The accounthouder reports progress.
    beheer = context.browser.new_context(base_url=page.url.split("/werkgebieden")[0])
    ah = beheer.new_page()
    login(ah, ACCOUNTHOUDER)
    visit(ah, page.url.split("#")[0].rstrip("/") + "/voortgang/")
    ah.get_by_label("Voortgang (%)").fill("85")
    ah.get_by_label("Wat is er gebeurd?").fill("De valondergrond ligt erin; de opening is gepland.")
    submit(ah, ah.get_by_role("button", name="Voortgang opslaan"))
    beheer.close()

    # The resident gets the mail and sees the progress on the cycle page.
    update = _mail_aan(BEWONER, "85% klaar")
    assert "De valondergrond ligt erin" in update.body
    assert "volger1.kralingen" not in update.body
    visit(page, CYCLUS)
    tabel = page.get_by_role(
        "region", name="De initiatieven met hun status, voortgang en laatste update"
    )
    expect(tabel.get_by_role("row", name=re.compile(SPEELPLEK))).to_contain_text("85% klaar")

    # Unsubscribe with the link in the mail, without an account.
    visit(page, _pad(update.body, "afmelden"))
    submit(page, page.get_by_role("button", name="Afmelden"))
    expect(page.get_by_text("U bent afgemeld.")).to_be_visible()
    assert not Volger.objects.filter(email=BEWONER).exists()

    # A melding taken into the cycle shows the initiative that came from it.
    melding = Melding.objects.get(tekst=DEMO_MELDINGEN[0][1])
    visit(page, f"/meldingen/{melding.code}/")
    expect(page.get_by_text("Heeft geleid tot het initiatief")).to_be_visible()
    # In the summary (with its progress) and as a step of the trail.
    expect(page.get_by_role("link", name=DEMO_MELDINGEN[0][2])).to_have_count(2)
    expect(page.locator("dl")).to_contain_text("100% klaar")
