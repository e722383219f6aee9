"""API keys in the browser, and the key at work: the demo accounthouder of Stadsbeheer makes a
key on "API-sleutels" (from "Mijn werk"), a system uses it to report progress on a Kralingen
2026 action of Stadsbeheer through /api/v1/, the accounthouder sees that progress on the
action's page, and revokes the key, after which it is refused. axe-core checks every page."""

import json

import pytest
from playwright.sync_api import expect

from api.demo import DEMO_SLEUTEL
from api.models import ApiSleutel, digest
from cycle.models import Initiatief, Voortgang

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e

ACCOUNTHOUDER = "accounthouder@demo.wijkaanpak.nl"
TITEL = "Speelplek Lusthofstraat opknappen"


@pytest.fixture
def systeem(playwright_driver, live_server):
    """Another system: Playwright's request API with no cookies of the browser's session."""
    context = playwright_driver.request.new_context(base_url=live_server.url)
    yield context
    context.dispose()


def api_post(systeem, path, data, *, key, versie):
    response = systeem.post(
        path,
        data=json.dumps(data),
        headers={
            "Authorization": f"Token {key}",
            "If-Match": f'"{versie}"',
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    return response.status, response.headers, response.json()


def test_make_use_and_revoke_a_key(page, demo, systeem):
    # The demo's own published key exists (only its digest).
    assert ApiSleutel.objects.filter(sleutel_hash=digest(DEMO_SLEUTEL)).exists()
    initiatief = Initiatief.objects.select_related("wijkprogramma__cyclus__werkgebied").get(
        titel=TITEL,
        wijkprogramma__cyclus__jaar=2026,
        wijkprogramma__cyclus__werkgebied__slug="kralingen",
    )
    login(page, ACCOUNTHOUDER)
    visit(page, "/mijn-werk/")
    submit(page, page.get_by_role("link", name="API-sleutels"))
    expect(page.get_by_role("heading", name="API-sleutels", level=1)).to_be_visible()

    page.get_by_label("Naam van de sleutel").fill("Zaaksysteem Stadsbeheer")
    submit(page, page.get_by_role("button", name="Sleutel maken"))
    expect(page.get_by_text("U ziet hem hierna nooit meer", exact=False)).to_be_visible()
    key = page.get_by_label("Sleutel", exact=True).input_value()
    assert len(key) > 30

    # A system reports progress with the key.
    versie = initiatief.versie
    status, headers, body = api_post(
        systeem,
        f"/api/v1/acties/{initiatief.pk}/voortgang/",
        {"tekst": "Valondergrond gelegd; de speelplek gaat volgende week open.", "percentage": 90},
        key=key,
        versie=versie,
    )
    assert status == 201, body
    assert headers["etag"] == f'"{versie + 1}"'
    assert Voortgang.objects.get(pk=body["id"]).auteur.email == ACCOUNTHOUDER
    # The same version again: stale.
    status, _, body = api_post(
        systeem,
        f"/api/v1/acties/{initiatief.pk}/voortgang/",
        {"tekst": "Nog eens."},
        key=key,
        versie=versie,
    )
    assert status == 412 and body["code"] == "versie_verouderd"

    # The progress is on the action's page.
    cyclus = initiatief.wijkprogramma.cyclus
    visit(
        page,
        f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkprogramma/initiatieven/"
        f"{initiatief.pk}/",
    )
    expect(page.get_by_text("Valondergrond gelegd", exact=False)).to_be_visible()
    expect(page.get_by_text("90% klaar", exact=False).first).to_be_visible()

    # The key page lists the key as used; revoke it.
    visit(page, "/api-sleutels/")
    rij = page.locator("tr", has_text="Zaaksysteem Stadsbeheer")
    expect(rij).to_be_visible()
    expect(rij).not_to_contain_text("nog nooit")
    submit(page, rij.get_by_role("link", name="Intrekken"))
    submit(page, page.get_by_role("button", name="Ja, intrekken"))
    expect(page.get_by_text("is ingetrokken", exact=False)).to_be_visible()
    expect(page.locator("tr", has_text="Zaaksysteem Stadsbeheer")).to_have_count(0)

    status, _, body = api_post(
        systeem,
        f"/api/v1/acties/{initiatief.pk}/voortgang/",
        {"tekst": "Na het intrekken."},
        key=key,
        versie=versie + 1,
    )
    assert status == 401 and body["status"] == 401
