"""A consultation in the browser: the wijkmanager of Crooswijk puts the wijkagenda 2028 in
consultation; a resident without an account reacts about an agendapunt and places the
reaction through the one-time link in the mail (Django's locmem outbox); another leaves an
abusive one; adoption is blocked while they are unanswered; the wijkmanager finds them on
"Mijn werk", answers one (with what changed) and hides the other with a reason; the agenda is
adopted and shows its nota van beantwoording. axe-core checks every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cycle.demo import demo_cycle, vul_product
from cycle.models import Fase, Wijkagenda
from participation.models import Reactie, Reactiestatus
from places.models import Werkgebied
from tests.participation.plan import kaders_invullen

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER = "wijkmanager@demo.wijkaanpak.nl"
AGENDA = "/werkgebieden/crooswijk/2028/wijkagenda/"
CONSULTATIE = AGENDA + "consultatie/"
GOED = "Graag ook de Boezemweg meenemen bij de schone straten."
BOOS = "Jullie zijn allemaal oplichters, ik weet waar jullie wonen."


def _link(adres: str) -> str:
    berichten = [m for m in mail.outbox if m.to == [adres]]
    assert berichten, [m.to for m in mail.outbox]
    return re.search(r"https?://[^/\s]+(/reactie/bevestigen/[-\w]+/)", berichten[-1].body).group(1)


def _reageer(page, tekst: str, adres: str, onderdeel: str | None = None) -> None:
    visit(page, CONSULTATIE)
    page.locator("#id_tekst").fill(tekst)
    if onderdeel:
        page.get_by_label("Over welk onderdeel gaat uw reactie?").select_option(label=onderdeel)
    page.get_by_label("Uw e-mailadres").fill(adres)
    submit(page, page.get_by_role("button", name="Reactie versturen"))
    expect(page.get_by_text("U ontvangt een e-mail met een link")).to_be_visible()
    visit(page, _link(adres))
    submit(page, page.get_by_role("button", name="Ja, plaats mijn reactie"))
    expect(page.get_by_text("Uw reactie is geplaatst.")).to_be_visible()


def test_consultation_from_reaction_to_nota(page, context, demo, settings):
    settings.MELDING_RATE = "100/h"
    mail.outbox.clear()
    crooswijk = Werkgebied.objects.select_related("gebied").get(slug="crooswijk")
    demo_cycle(werkgebied=crooswijk, jaar=2028, doel=Fase.AGENDA, user=demo["wijkmanager"])
    agenda = Wijkagenda.objects.select_related("cyclus__werkgebied").get(
        cyclus__werkgebied=crooswijk, cyclus__jaar=2028
    )
    agenda = vul_product(agenda, demo["wijkmanager"])
    # The phase's kaders are in the participation plan (a condition of consultation).
    kaders_invullen(agenda.cyclus)
    punt = agenda.agendapunten.order_by("rang").first()

    # The wijkmanager puts the agenda in consultation.
    login(page, WIJKMANAGER)
    visit(page, AGENDA)
    submit(page, page.get_by_role("button", name="Ter consultatie voorleggen"))
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("in consultatie")
    paneel = page.locator("section#consultatie")
    expect(paneel).to_contain_text("De consultatie is open")

    # Residents without an account react, and place it through the link in the mail.
    bewoner = context.browser.new_context(base_url=page.url.split("/werkgebieden")[0])
    rp = bewoner.new_page()
    visit(rp, CONSULTATIE)
    expect(rp.get_by_role("heading", level=1)).to_contain_text("Consultatie")
    expect(rp.get_by_text("Nog 43 dagen om te reageren.")).to_be_visible()
    # Nothing lost on a bad address.
    rp.locator("#id_tekst").fill(GOED)
    rp.get_by_label("Uw e-mailadres").fill("geen adres")
    submit(rp, rp.get_by_role("button", name="Reactie versturen"))
    expect(rp.locator(".invalid-feedback").first).to_contain_text("Vul een geldig e-mailadres in")
    expect(rp.locator("#id_tekst")).to_have_value(GOED)
    _reageer(rp, GOED, "buur@example.nl", onderdeel=f"{punt.rang}. {punt.titel}")
    _reageer(rp, BOOS, "boos@example.nl")
    reacties = rp.locator("#reacties")
    expect(reacties).to_contain_text(GOED)
    expect(reacties).to_contain_text(f"over agendapunt {punt.rang}")
    expect(reacties).not_to_contain_text("buur@example.nl")
    bewoner.close()

    # Adoption is blocked while they are unanswered.
    visit(page, AGENDA)
    expect(page.get_by_text("2 reacties zonder antwoord").first).to_be_visible()
    expect(page.get_by_role("button", name="Vaststellen")).to_be_disabled()

    # From "Mijn werk" to the unanswered reactions: answer one, hide the abusive one.
    visit(page, "/mijn-werk/")
    submit(page, page.get_by_role("link", name=re.compile("Crooswijk 2028, wijkagenda")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reacties op")
    submit(page, page.get_by_role("link", name=re.compile("Graag ook de Boezemweg")))
    page.locator("#id_antwoord").fill("Dank u: de Boezemweg staat er nu bij.")
    page.get_by_label("Wat is er daardoor veranderd in het stuk?").fill(
        "Agendapunt 1 noemt nu de Boezemweg."
    )
    submit(page, page.get_by_role("button", name="Antwoord opslaan"))
    expect(page.get_by_text("Het antwoord is opgeslagen.")).to_be_visible()
    submit(page, page.get_by_role("link", name=re.compile("ik weet waar jullie wonen")))
    page.get_by_label("Reden van verbergen").fill("Bevat een bedreiging.")
    submit(page, page.get_by_role("button", name="Reactie verbergen"))
    expect(page.get_by_text("De reactie is verborgen")).to_be_visible()
    assert Reactie.objects.filter(status=Reactiestatus.VERBORGEN, tekst=BOOS).exists()

    # Now it can be adopted, and it carries its nota van beantwoording.
    visit(page, AGENDA)
    submit(page, page.get_by_role("button", name="Vaststellen"))
    expect(page.locator("p", has_text="Status:").locator(".badge")).to_have_text("vastgesteld")
    nota = page.locator("section#consultatie")
    expect(nota).to_contain_text("Nota van beantwoording")
    expect(nota).to_contain_text("Agendapunt 1 noemt nu de Boezemweg.")
    expect(nota).to_contain_text("Verborgen door de wijkmanager: Bevat een bedreiging.")
    expect(nota).not_to_contain_text(BOOS)
    expect(nota).not_to_contain_text("buur@example.nl")
