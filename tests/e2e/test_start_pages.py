"""Every role's start page ("Mijn werk"), and the pages not reached by the other journeys,
checked in the browser with axe."""

import pytest
from playwright.sync_api import expect

from .axe import visit
from .conftest import login

pytestmark = pytest.mark.e2e

# Demo account, and a heading its start page must show.
START_PAGES = [
    ("wijkmanager@demo.wijkaanpak.nl", "Cycli van mijn werkgebieden"),
    ("wijkraadslid@demo.wijkaanpak.nl", "Cycli van mijn wijkraad"),
    ("accounthouder@demo.wijkaanpak.nl", "Cycli in mijn gebied"),
    ("raad@demo.wijkaanpak.nl", "Onlangs gepubliceerd"),
    ("beheerder@demo.wijkaanpak.nl", "Beheer"),
    ("bewoner@demo.wijkaanpak.nl", "Mijn rollen"),
]


def test_every_role_has_an_accessible_start_page(page, demo):
    for email, heading in START_PAGES:
        page.context.clear_cookies()
        login(page, email)
        visit(page, "/mijn-werk/")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def test_wijkraadslid_reads_a_concept_but_cannot_act(page, demo):
    login(page, "wijkraadslid@demo.wijkaanpak.nl")
    visit(page, "/werkgebieden/crooswijk/2027/wijkanalyse/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkanalyse Crooswijk 2027")
    expect(page.get_by_role("link", name="Bewerken", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Vaststellen")).to_have_count(0)


def test_wijk_without_wijkraad_and_not_found_page(page, demo):
    visit(page, "/wijken/cs-kwartier/")
    expect(
        page.get_by_text("Deze wijk heeft geen wijkraad en geen eigen werkcyclus.")
    ).to_be_visible()
    response = visit(page, "/werkgebieden/bestaat-niet/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
