"""A wijkmanager of another werkgebied (Feijenoord) can read Crooswijk's public cycle page but
gets no step, no planning link, and a 403 for every write page and for a forged step POST."""

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from audit.models import AuditEntry
from cycle.models import Fase, Werkcyclus

from .axe import visit
from .conftest import login

pytestmark = pytest.mark.e2e

WIJKMANAGER_FEIJENOORD = "wijkmanager.feijenoord@demo.wijkaanpak.nl"
CYCLUS = "/werkgebieden/crooswijk/2027/"


def expect_forbidden_page(page, response) -> None:
    assert response.status == 403, f"{page.url}: expected 403, got {response.status}"
    expect(page).to_have_title("Geen toegang – Wijkaanpak Rotterdam")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_role("link", name="Naar de startpagina")).to_be_visible()


def test_wijkmanager_of_another_werkgebied_cannot_act(page, live_server, demo):
    login(page, WIJKMANAGER_FEIJENOORD)

    response = visit(page, CYCLUS)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkcyclus Crooswijk 2027")
    expect(page.locator("p.lead .badge").first).to_have_text("wijkanalyse")
    expect(page.locator("form[action$='/stap/']")).to_have_count(0)
    expect(page.get_by_role("button", name="Naar fase wijkagenda")).to_have_count(0)
    expect(page.get_by_role("link", name="Planning wijzigen")).to_have_count(0)

    for path in [
        f"{CYCLUS}wijkanalyse/bewerken/",
        f"{CYCLUS}planning/",
        "/werkgebieden/crooswijk/nieuwe-cyclus/",
    ]:
        expect_forbidden_page(page, visit(page, path))  # axe runs on the 403 page too

    # A forged step: a valid CSRF token and Referer, but no right to act in Crooswijk.
    visit(page, CYCLUS)
    csrftoken = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}{CYCLUS}stap/",
        form={
            "csrfmiddlewaretoken": csrftoken,
            "overgang": "naar_agenda",
            "verwacht": Fase.ANALYSE,
            "reden": "",
        },
        headers={"Referer": f"{live_server.url}{CYCLUS}"},
        max_redirects=0,
    )
    assert response.status == 403, response.status
    body = response.text()
    assert "Geen toegang" in body  # refused for lack of rights...
    assert "Formulier verlopen" not in body  # ...not because the CSRF check failed

    cyclus = Werkcyclus.objects.get(werkgebied__slug="crooswijk", jaar=2027)
    assert cyclus.fase == Fase.ANALYSE
    assert not AuditEntry.objects.filter(
        action="cycle.transition",
        content_type=ContentType.objects.get_for_model(Werkcyclus),
        object_id=str(cyclus.pk),
    ).exists()
