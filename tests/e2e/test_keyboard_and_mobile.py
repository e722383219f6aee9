"""Keyboard-only use and a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from cycle.models import Fase, Werkcyclus

from .axe import assert_accessible, visit
from .conftest import login

pytestmark = pytest.mark.e2e


FOCUSED_TEXT = (
    "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
)


def tab_to(page, name: str, max_tabs: int = 80) -> None:
    """Press Tab until the focused element's text is ``name``."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_TEXT) == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def tab_to_field(page, element_id: str, max_tabs: int = 80) -> None:
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_wijkmanager_adopts_and_advances_with_keyboard_only(page, demo):
    """Kralingen 2027 is in the programme phase with its programme in concept."""
    from tests.e2e.test_conflicts_and_errors import programma_met_toegezegde_initiatieven

    programma_met_toegezegde_initiatieven("kralingen", 2027)
    login(page, "wijkmanager@demo.wijkaanpak.nl")
    visit(page, "/werkgebieden/kralingen/2027/wijkprogramma/bewerken/")
    tab_to_field(page, "id_toelichting")
    page.keyboard.type("Schoonmaakacties met bewoners")
    tab_to(page, "Opslaan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    tab_to(page, "Vaststellen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(page.locator("[role=status] .alert-success")).to_contain_text("vastgesteld")

    visit(page, "/werkgebieden/kralingen/2027/")
    tab_to(page, "Naar fase uitvoering")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(page.locator("[role=status] .alert-success")).to_contain_text("uitvoering")
    cyclus = Werkcyclus.objects.get(werkgebied__slug="kralingen", jaar=2027)
    assert cyclus.fase == Fase.UITVOERING


def test_phone_screen_menu_and_no_sideways_scrolling(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    try:
        for path in ["/", "/wijken/", "/werkgebieden/feijenoord/2025/", "/wijken/rubroek/"]:
            visit(page, path)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        menu_link = page.get_by_role("link", name="Werkgebieden", exact=True)
        expect(menu_link).to_be_hidden()
        page.get_by_role("button", name="Menu openen").click()
        expect(menu_link).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
